/**
 * The optional LLM tagger: answers are validated entry by entry, and accepted proposals become
 * undoable structure edits. The model is a local stand-in server speaking OpenAI's chat API (no
 * model runs on this machine); it answers from the prompt it receives.
 */
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseTaggerAnswer } from '../../../main/engine/longcot/llm-tagger';
import { loadTranscript } from '../../../main/engine/longcot/store';
import { Store } from '../../../main/engine/store/store';
import { runCli } from '../../helpers/cli';
import { FIXTURE_PATH, PROBLEM } from './fixture';

describe('parseTaggerAnswer', () => {
  const entry = (step: number, parent = step - 1, tag = 'active_computation', relation = 'continue') => ({ step, tag, relation, parent });

  it('accepts a well-formed answer, also inside prose or a code fence', () => {
    const json = JSON.stringify({ steps: [entry(1), entry(2, 0, 'plan_generation', 'explore')] });
    for (const content of [json, `Here you go:\n\`\`\`json\n${json}\n\`\`\``]) {
      const review = parseTaggerAnswer(content, 2);
      expect(review.rejected).toEqual([]);
      expect(review.proposals).toEqual([
        { index: 0, tag: 'active_computation', relation: 'continue', parent: -1 },
        { index: 1, tag: 'plan_generation', relation: 'explore', parent: -1 },
      ]);
    }
  });

  it('rejects each broken entry with its reason and keeps the rest', () => {
    const review = parseTaggerAnswer(
      JSON.stringify({
        steps: [entry(1), entry(2, 2), entry(3, 1, 'guessing'), entry(3, 1, 'active_computation', 'jumps'), entry(4), entry(4), { step: 'five' }, entry(9)],
      }),
      6,
    );
    expect(review.proposals.map((p) => p.index)).toEqual([0, 3]);
    expect(review.rejected.map((r) => r.reason)).toEqual([
      'step 2: parent 2 is not the problem (0) or an earlier step',
      'step 3: "guessing" is not a tag',
      'step 3: "jumps" is not a relation',
      'step 4 is given twice',
      'entry 6: step: Invalid input: expected number, received string',
      'step 9 does not exist (1-6)',
      'step 5: no proposal',
      'step 6: no proposal',
    ]);
  });

  it('refuses an answer that is not the documented JSON', () => {
    expect(() => parseTaggerAnswer('I think step 2 is a backtrack.', 3)).toThrow(/no JSON object/);
    expect(() => parseTaggerAnswer('{"steps": [1, 2', 3)).toThrow(/no JSON object|does not parse/);
    expect(() => parseTaggerAnswer('{"tags": []}', 3)).toThrow(/no "steps" list/);
  });
});

describe('metacot tag-transcripts', () => {
  let dir: string;
  let server: http.Server;
  let url: string;
  const prompts: string[] = [];

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'longcot-llm-'));
    // Answers like a model that reads every step as a computation continuing the one before,
    // except step 2, which it hangs under a later step (a rule break the tagger must reject).
    server = http.createServer((req, res) => {
      let body = '';
      req.on('data', (c) => (body += c));
      req.on('end', () => {
        const prompt = JSON.parse(body).messages[0].content as string;
        prompts.push(prompt);
        const count = [...prompt.matchAll(/<step_(\d+)>/g)].length;
        const steps = Array.from({ length: count }, (_, i) => ({ step: i + 1, tag: 'active_computation', relation: 'continue', parent: i === 1 ? 3 : i }));
        res.setHeader('content-type', 'application/json');
        res.end(JSON.stringify({ choices: [{ message: { role: 'assistant', content: JSON.stringify({ steps }) } }] }));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1#stand-in`;
  });
  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('compares, then applies validated proposals as undoable edits by the named annotator', async () => {
    const db = path.join(dir, 'x.db');
    expect((await runCli('import', '--db', db, '--format', 'long-cot', FIXTURE_PATH, '--segment', 'paragraph')).err).toBe('');
    const dry = await runCli('tag-transcripts', '--db', db, '--llm', url);
    expect(dry.err).toBe('');
    expect(dry.out).toMatch(/run 1: 16 steps; the model agrees on tags \d+%, relations \d+%, parents \d+%; \d+ edits proposed/);
    expect(dry.out).toContain('rejected: step 2: parent 3 is not the problem (0) or an earlier step');
    expect(prompts[0]).toContain(PROBLEM);
    expect(prompts[0]).toContain('<step_16>');
    let store = Store.open(db);
    const before = loadTranscript(store.connection, 1)!;
    store.close();

    const applied = await runCli('tag-transcripts', '--db', db, '--llm', url, '--apply', '--annotator', 'llm-stand-in');
    expect(applied.out).toMatch(/edits made/);
    store = Store.open(db);
    const after = loadTranscript(store.connection, 1)!;
    // Every step but the rejected one (index 1) now reads as the model proposed.
    after.steps.forEach((s, i) => {
      if (i === 1) return expect([s.tag, s.parent]).toEqual([before.steps[1]!.tag, before.steps[1]!.parent]);
      const changed = before.steps[i]!.tag !== 'active_computation' || before.steps[i]!.relation !== 'continue';
      expect([s.tag, s.relation, s.parent, s.taggedBy]).toEqual(['active_computation', 'continue', i - 1, changed ? 'llm-stand-in' : 'rules']);
    });
    expect(store.annotations.history(1, 500).every((e) => e.entity === 'structure' && e.annotator === 'llm-stand-in')).toBe(true);
    // The text is untouched, and the edits undo like anyone's.
    expect(after.steps.map((s) => s.text)).toEqual(before.steps.map((s) => s.text));
    while (store.annotations.undo('llm-stand-in'));
    expect(loadTranscript(store.connection, 1)!.steps.map((s) => [s.tag, s.relation, s.parent])).toEqual(before.steps.map((s) => [s.tag, s.relation, s.parent]));
    store.close();
  });
});
