/** Bad input: every bad line is reported by number and reason; by default nothing is written. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ImportRequest, type ImportRequestInput } from '../../../common/contract/export';
import { importFile } from '../../../main/engine/import/run-import';
import { buildFixtureDb, type FixtureDb } from './fixtures';

let dir: string;
let fx: FixtureDb;
let counter = 0;

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'metacot-import-errors-'));
  fx = buildFixtureDb(path.join(dir, 'fixture.db'));
});
afterAll(() => {
  fx.store.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

const TABLES = ['problems', 'runs', 'nodes', 'annotations', 'history', 'branch_ratings', 'auto_labels', 'undo_stack'];

/** Every row of every table the import could touch. */
function dump(): string {
  return JSON.stringify(TABLES.map((t) => fx.store.connection.prepare(`SELECT * FROM ${t} ORDER BY 1, 2, 3`).all()));
}

function file(lines: string[], ext = 'jsonl'): string {
  const f = path.join(dir, `input-${++counter}.${ext}`);
  fs.writeFileSync(f, lines.join('\n'));
  return f;
}

const run = (path: string, input: Omit<ImportRequestInput, 'path'>) => importFile(fx.store, ImportRequest.parse({ ...input, path }));

const trl = (completions: string[], labels: boolean[], extra: Record<string, unknown> = {}) =>
  JSON.stringify({ prompt: 'Q: what is 1+1?', completions, labels, ...extra });

const TRL_LINES = [
  trl(['1+1=2', 'The answer is 2'], [true, true]),
  '{"prompt": "Q: what is 1+1?", "completions": ["1+1=3"',
  trl(['1+1=3', 'The answer is 3'], [false, false]),
  trl(['1+1=2'], [true, false]),
  '',
  trl(['1+1=2', 'So 2'], [false, true]),
  trl(['1+1=2', 'Hence 2'], [true, true]),
];

describe('an import with bad lines', () => {
  it('writes nothing and reports each bad line with its number', async () => {
    const before = dump();
    const summary = await run(file(TRL_LINES), { format: 'trl' });
    expect(summary.committed).toBe(false);
    expect(summary.errors.map((e) => e.line)).toEqual([2, 4, 6]);
    expect(summary.errors[0]!.reason).toMatch(/not valid JSON/);
    expect(summary.errors[1]!.reason).toMatch(/labels and completions differ in length/);
    expect(summary.errors[2]!.reason).toMatch(/step 1 is labeled -1 here and 1 in an earlier record/);
    expect(summary.errorCount).toBe(3);
    expect(summary.runs).toBe(0);
    expect(dump()).toBe(before);
  });

  it('with partial, imports the good lines and writes the bad ones with reasons to a report', async () => {
    const input = file(TRL_LINES);
    const report = path.join(dir, 'rejected.jsonl');
    const summary = await run(input, { format: 'trl', partial: true, reportPath: report });
    expect(summary.committed).toBe(true);
    expect(summary.reportPath).toBe(report);
    const rejected = fs
      .readFileSync(report, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { line: number; reason: string; text: string });
    expect(rejected.map((r) => r.line)).toEqual([2, 4, 6]);
    expect(rejected[2]!.text).toBe(TRL_LINES[5]);
    // Lines 1, 3 and 7 share a prompt: one tree with root, 1+1=2 (2 children), 1+1=3 (1 child).
    expect(summary.runs).toBe(1);
    expect(summary.nodes).toBe(6);
    const runId = fx.store.runs.list({ limit: 1, offset: 0 }).runs[0]!.id;
    expect(fx.store.nodes.forRun(runId).map((n) => n.stepText)).toEqual([
      '',
      '1+1=2',
      'The answer is 2',
      '1+1=3',
      'The answer is 3',
      'Hence 2',
    ]);
  });

  it('PRM800K: schema, index and labeler problems are each reported', async () => {
    const good = {
      labeler: 'abc-123',
      question: { problem: 'What is 2+2?', ground_truth_answer: '4' },
      label: {
        steps: [{ completions: [{ text: '2+2=4', rating: 1, flagged: null }], human_completion: null, chosen_completion: 0 }],
        finish_reason: 'solution',
      },
    };
    const lines = [
      JSON.stringify(good),
      JSON.stringify({ ...good, label: { ...good.label, steps: [{ ...good.label.steps[0], chosen_completion: 3 }] } }),
      JSON.stringify({ ...good, question: {} }),
      JSON.stringify({ ...good, labeler: 'bad/labeler' }),
      JSON.stringify({ ...good, label: { ...good.label, steps: [{ completions: [{ text: 'x', rating: 2 }] }] } }),
      JSON.stringify({ ...good, label: { ...good.label, finish_reason: 'tired' } }),
    ];
    const before = dump();
    const summary = await run(file(lines), { format: 'prm800k' });
    expect(summary.errors.map((e) => e.line)).toEqual([2, 3, 4, 5, 6]);
    expect(summary.errors[0]!.reason).toMatch(/chosen_completion is 3 but the step has 1 completions/);
    expect(summary.errors[1]!.reason).toMatch(/question\.problem/);
    expect(summary.errors[2]!.reason).toMatch(/labeler "bad\/labeler"/);
    expect(summary.errors[3]!.reason).toMatch(/rating/);
    expect(summary.errors[4]!.reason).toMatch(/finish_reason "tired"/);
    expect(dump()).toBe(before);
  });

  it('Math-Shepherd: a label that does not line up with the input is reported', async () => {
    const lines = [
      JSON.stringify({ input: 'Q? Step 1: a ки\nStep 2: b ки', label: 'Q? Step 1: a +\nStep 2: b -', task: 'GSM8K' }),
      JSON.stringify({ input: 'Q? Step 1: a ки\nStep 2: b ки', label: 'Q? Step 1: a +\nStep 2: b', task: 'GSM8K' }),
      JSON.stringify({ input: 'Q? Step 1: a ки', label: ['+', '-'] }),
      JSON.stringify({ input: 'no tags here', label: '' }),
    ];
    const summary = await run(file(lines), { format: 'math-shepherd' });
    expect(summary.errors.map((e) => [e.line, e.reason])).toEqual([
      [2, '"label" is not "input" with each tag replaced by + or - (lengths differ)'],
      [3, '"label" lists 2 labels for 1 steps'],
      [4, '"input" has no step tag ки'],
    ]);
  });

  it('problems: a CSV with a bad puzzle row and a short row names both rows', async () => {
    const csv = file(['Rank,Puzzles,AMT (s),Solved rate', '1,1 1 4 6,4.4,99.20%', '2,1 one 4 6,4.4,99%', '3,2 2 2', '4,"1 2 3 4",5,90%'], 'csv');
    const before = dump();
    const summary = await run(csv, { format: 'problems' });
    expect(summary.errors.map((e) => e.line)).toEqual([3, 4]);
    expect(summary.errors[1]!.reason).toBe('row has 2 cells but the header has 4');
    expect(dump()).toBe(before);
  });

  it('a failure while writing rolls everything back', async () => {
    fx.store.connection.exec(
      "CREATE TEMP TRIGGER fail_on_boom BEFORE INSERT ON nodes WHEN NEW.step_text = 'boom' BEGIN SELECT RAISE(ABORT, 'disk on fire'); END",
    );
    try {
      const before = dump();
      const lines = [trl(['fine step'], [true]), JSON.stringify({ prompt: 'other', completions: ['boom'], labels: [true] })];
      await expect(run(file(lines), { format: 'trl' })).rejects.toThrow(/disk on fire/);
      expect(dump()).toBe(before);
    } finally {
      fx.store.connection.exec('DROP TRIGGER fail_on_boom');
    }
  });

  it('a missing file and a CSV for a tree format are refused up front', async () => {
    await expect(run(path.join(dir, 'nope.jsonl'), { format: 'trl' })).rejects.toThrow(/not found/);
    await expect(run(file(['a,b'], 'csv'), { format: 'prm800k' })).rejects.toThrow(/only problem files may be CSV/);
  });
});
