/**
 * The allocation-free Sampler draws exactly what the straightforward sampler drew before it
 * (tests/fixtures/sampling-reference.ts) for the same seed: same tokens, same log-probabilities,
 * over temperatures, top-k, top-p, masks and vocabulary sizes.
 */
import fc from 'fast-check';
import { expect, test } from 'vitest';
import { Rng, Sampler, type SamplingOptions } from '../../../main/engine/models/sampling';
import { referenceSampleToken } from '../../fixtures/sampling-reference';

const options = fc.record(
  {
    temperature: fc.constantFrom(0, 0.3, 0.7, 1, 1.5, 2.5),
    topK: fc.constantFrom(0, 1, 2, 5, 40, 5000),
    topP: fc.constantFrom(1, 0.99, 0.9, 0.5, 0.1),
  },
  { requiredKeys: [] },
);

/** Logits with ties and far-off values, as trained models give; optionally a sparse or dense mask. */
const cases = fc
  .record({
    v: fc.integer({ min: 1, max: 2500 }),
    seed: fc.integer({ min: 0, max: 2 ** 31 - 1 }),
    spread: fc.constantFrom(0.5, 4, 30),
    mask: fc.constantFrom('none', 'sparse', 'dense', 'empty'),
    options,
  })
  .map(({ v, seed, spread, mask, options }) => {
    const rng = new Rng(seed);
    // Quantised logits make ties common (the tie-breaks must agree too).
    const logits = Float32Array.from({ length: v }, () => Math.round((rng.next() - 0.5) * spread * 8) / 8);
    const keep = mask === 'sparse' ? 0.01 : mask === 'dense' ? 0.6 : 0;
    const allowed = mask === 'none' ? null : Uint8Array.from({ length: v }, () => (rng.next() < keep ? 1 : 0));
    return { logits, allowed, seed, options: options as SamplingOptions };
  });

test('the same tokens and log-probabilities as the reference sampler for every seed and setting', () => {
  const sampler = new Sampler();
  fc.assert(
    fc.property(cases, ({ logits, allowed, seed, options }) => {
      const a = new Rng(seed);
      const b = new Rng(seed);
      for (let t = 0; t < 8; t++) {
        const expected = referenceSampleToken(logits, options, a, allowed);
        const id = sampler.sample(logits, options, b, allowed);
        if (expected === null) {
          expect(id).toBe(-1);
          continue;
        }
        expect(id).toBe(expected.id);
        expect(sampler.logprob).toBe(expected.logprob);
      }
    }),
    { numRuns: 600, seed: 16 },
  );
});

test('a sampler reused across vocabulary sizes keeps no state from earlier rows', () => {
  const sampler = new Sampler();
  const big = Float32Array.from({ length: 3000 }, (_, i) => Math.sin(i));
  const small = Float32Array.from([0.1, 2, 0.3]);
  sampler.sample(big, { temperature: 1 }, new Rng(1));
  for (const options of [{ temperature: 1 }, { temperature: 0.5, topK: 2 }, { topP: 0.5 }] as SamplingOptions[]) {
    const ids = Array.from({ length: 50 }, (_, i) => sampler.sample(small, options, new Rng(i)));
    const expected = Array.from({ length: 50 }, (_, i) => referenceSampleToken(small, options, new Rng(i))!.id);
    expect(ids).toEqual(expected);
  }
});
