/** The two transcript exports: clean (abandoned branches removed) and tagged (as written). */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadTranscript } from '../../../main/engine/longcot/store';
import { Store } from '../../../main/engine/store/store';
import { runCli } from '../../helpers/cli';
import { ANSWER, REASONING, RESPONSE, SHAPES } from './fixture';

let dir: string;
let db: string;
const readJsonl = (file: string) => fs.readFileSync(file, 'utf8').trim().split('\n').map((l) => JSON.parse(l));

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'longcot-export-'));
  db = path.join(dir, 'x.db');
  const file = path.join(dir, 'in.jsonl');
  fs.writeFileSync(file, `${JSON.stringify(SHAPES.openR1)}\n`);
  const res = await runCli('import', '--db', db, '--format', 'long-cot', file, '--segment', 'paragraph');
  expect(res.err).toBe('');
  // A searched-style tree without a transcript, which transcript exports leave out.
  const problems = path.join(dir, 'problems.jsonl');
  fs.writeFileSync(problems, `${JSON.stringify({ prompt: 'What is 2 + 2?', completions: ['2 + 2 = 4', 'The answer is 4'], labels: [true, true] })}\n`);
  expect((await runCli('import', '--db', db, '--format', 'trl', problems)).err).toBe('');
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('transcript export', () => {
  it('tagged: the response as written, with each step tagged and placed in the tree', async () => {
    const out = path.join(dir, 'tagged');
    const res = await runCli('export', '--db', db, '--format', 'transcript', '--variant', 'tagged', '--labels', 'exact', '--out', out);
    expect(res.err).toBe('');
    expect(res.out).toMatch(/left out 1: not a long-CoT transcript/);
    const rows = readJsonl(path.join(out, 'train.jsonl'));
    expect(rows).toHaveLength(2);
    const [right, wrong] = rows;
    expect(right.completion).toBe(RESPONSE);
    expect(right.steps.map((s: { text: string }) => s.text).join('')).toBe(REASONING + ANSWER);
    expect(right.steps[0]).toMatchObject({ tag: 'problem_setup', relation: 'continue', parent: -1, abandoned: false });
    expect(right.steps.some((s: { relation: string; abandoned: boolean }) => s.relation === 'backtrack' && s.abandoned)).toBe(true);
    expect(right.meta).toMatchObject({ gold_answer: '38', final_answer: '38', final_outcome: 'correct', segmenter: 'paragraph' });
    expect(wrong.meta).toMatchObject({ final_answer: '10', final_outcome: 'incorrect', failed_step_fraction: 0 });
    expect(fs.readFileSync(path.join(out, 'README.md'), 'utf8')).toMatch(/Thought Anchors/);
  });

  it('clean: abandoned branches removed, the final branch and answer kept in order', async () => {
    const out = path.join(dir, 'clean');
    const res = await runCli('export', '--db', db, '--format', 'transcript', '--labels', 'exact', '--out', out);
    expect(res.err).toBe('');
    const [right, wrong] = readJsonl(path.join(out, 'train.jsonl'));
    // The wrong first attempt (answer 0) and its correction are gone; the new approach stays.
    expect(right.completion).not.toContain('so the answer is 0');
    expect(right.completion).not.toContain('Wait, that can\'t be right');
    expect(right.completion.startsWith('<think>\nOkay, so I need to find')).toBe(true);
    expect(right.completion).toContain('Alternatively, I could complete the square');
    expect(right.completion.endsWith(ANSWER)).toBe(true);
    expect(right.meta.removed_steps).toBe(6);
    // A transcript with nothing abandoned comes out as written.
    expect(wrong.completion).toBe(SHAPES.openR1!.generations && (SHAPES.openR1!.generations as string[])[1]);
  });
});

describe('searched-tree exports on transcript trees', () => {
  it('labels on transcript steps export as TRL like any tree', async () => {
    const store = Store.open(db);
    const runId = (store.connection.prepare('SELECT run_id FROM transcripts ORDER BY run_id LIMIT 1').get() as { run_id: number }).run_id;
    const t = loadTranscript(store.connection, runId)!;
    const finalPath = t.steps.filter((s) => !s.abandoned && s.section === 'reasoning').slice(0, 3);
    for (const s of finalPath) store.annotations.setLabel(s.nodeId, 'ann', { rating: 1 });
    store.close();
    const out = path.join(dir, 'trl');
    const res = await runCli('export', '--db', db, '--format', 'trl', '--labels', 'annotator:ann', '--runs', String(runId), '--out', out);
    expect(res.err).toBe('');
    const rows = readJsonl(path.join(out, 'train.jsonl'));
    expect(rows.length).toBeGreaterThan(0);
    expect(rows[0].completions.slice(0, 3)).toEqual(finalPath.map((s) => s.text));
    expect(rows[0].labels.slice(0, 3)).toEqual([true, true, true]);
  });
});
