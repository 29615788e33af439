import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SEGMENTER_NAMES } from '../../../common/longcot';
import { segment } from '../../../main/engine/longcot/segment';
import { joinParts, splitThink } from '../../../main/engine/longcot/think';
import { FIXTURE } from './fixture';

// Strings built from the characters segmenters look at, so cuts, math and markers all occur.
const pieces = fc.constantFrom(
  '.', '?', '!', ' ', '\n', '\n\n', '$', '$$', '\\[', '\\]', '\\(', '\\)', 'Wait, ', 'Alternatively, ', 'Let me verify. ',
  'Hmm. ', 'x = 3', '<think>', '</think>', '<|begin_of_solution|>', 'é', '😀', 'So the answer is 4. ',
);
const transcriptLike = fc.array(fc.oneof(pieces, fc.string()), { maxLength: 80 }).map((a) => a.join(''));

describe('segmenters', () => {
  for (const name of SEGMENTER_NAMES) {
    it(`${name}: any string splits into non-empty steps that rejoin exactly`, () => {
      fc.assert(
        fc.property(fc.oneof(fc.string({ unit: 'grapheme', maxLength: 400 }), transcriptLike), (text) => {
          const steps = segment(text, name);
          expect(steps.join('')).toBe(text);
          for (const s of steps) expect(s.length).toBeGreaterThan(0);
        }),
        { numRuns: 400 },
      );
    });
  }

  it('never cuts inside LaTeX math', () => {
    const text = 'We get $x = 3. Then y$ and more. Also \\[ a. b \\] holds.\n\nNext $$ p.\n\n q $$ end. ' + 'Filler sentence here. '.repeat(3);
    for (const name of SEGMENTER_NAMES) {
      let at = 0;
      for (const s of segment(text, name)) {
        at += s.length;
        const before = text.slice(0, at);
        // An even number of single dollars and balanced \[ \] before each cut.
        expect(((before.match(/\$/g) ?? []).length) % 2).toBe(0);
        expect((before.match(/\\\[/g) ?? []).length).toBe((before.match(/\\\]/g) ?? []).length);
      }
    }
  });

  it('sentence merges very short pieces into the next one', () => {
    expect(segment('Hmm. Wait. Let me compute the product of the two numbers. It is twelve, as expected. Good.', 'sentence')).toEqual([
      'Hmm. Wait. Let me compute the product of the two numbers. ',
      // The last piece is too short too: it joins the one before.
      'It is twelve, as expected. Good.',
    ]);
  });

  it('discourse cuts only at a thought marker, once the step is long enough', () => {
    const long = 'The product of the two factors is twelve, and their sum is seven, which fits the equation. '.repeat(2);
    expect(segment(`${long}Wait, that is wrong. ${long}`, 'discourse')).toEqual([long, `Wait, that is wrong. ${long}`]);
    expect(segment('Short. Wait, no.', 'discourse')).toEqual(['Short. Wait, no.']);
  });

  it('a response splits into wrapper, reasoning and answer that rejoin exactly', () => {
    fc.assert(
      fc.property(transcriptLike, (text) => {
        const parts = splitThink(text);
        if (parts) expect(joinParts(parts)).toBe(text);
      }),
      { numRuns: 400 },
    );
    const parts = splitThink(FIXTURE)!;
    expect(parts.prefix.endsWith('<think>')).toBe(true);
    expect(parts.middle).toBe('</think>');
    expect(parts.answer).toContain('\\boxed{38}');
    expect(joinParts(parts)).toBe(FIXTURE);
  });
});
