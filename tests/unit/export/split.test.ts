/** The train/test split is by problem: no problem ever has records on both sides. */
import fc from 'fast-check';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ExportRequest } from '../../../common/contract/export';
import { exportDataset } from '../../../main/engine/export/run-export';
import { Store } from '../../../main/engine/store/store';

let dir: string;
let store: Store;
let reversed: Store;
let counter = 0;
const PROBLEMS = 40;

/** Each problem gets 1-3 runs; each run a root with two labeled two-step paths. */
function build(file: string, order: number[]): Store {
  const s = Store.open(file);
  for (const k of order) {
    const problemId = s.problems.insert({ task: 'math', prompt: `Problem ${k}: what is ${k} + ${k}?`, goldAnswer: String(2 * k) });
    for (let r = 0; r < (k % 3) + 1; r++) {
      const run = s.runs.create({ problemId, algorithm: 'beam', policy: 'test' });
      const w = s.nodeWriter(run.id);
      w.add({ seq: 0, parentSeq: null, depth: 0, expansion: 0, stepText: '' });
      w.add({ seq: 1, parentSeq: 0, depth: 1, expansion: 1, stepText: `${k}+${k} is double ${k}` });
      w.add({ seq: 2, parentSeq: 1, depth: 2, expansion: 2, stepText: `The answer is ${2 * k}` });
      w.add({ seq: 3, parentSeq: 1, depth: 2, expansion: 2, stepText: `The answer is ${2 * k + r + 1}` });
      w.close();
      for (const n of s.nodes.forRun(run.id).slice(1)) s.annotations.setLabel(n.id, 'alice', { rating: n.seq === 3 ? -1 : 1 });
    }
  }
  return s;
}

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'metacot-split-'));
  const order = Array.from({ length: PROBLEMS }, (_, k) => k);
  store = build(path.join(dir, 'a.db'), order);
  reversed = build(path.join(dir, 'b.db'), [...order].reverse());
});
afterAll(() => {
  store.close();
  reversed.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

async function splitPrompts(db: Store, testFraction: number, seed: number, format: 'trl' | 'prm800k' = 'trl') {
  const outDir = path.join(dir, `out-${++counter}`);
  const summary = await exportDataset(db.connection, ExportRequest.parse({ format, outDir, split: { testFraction, seed } }));
  const read = (split: string) => {
    const file = path.join(outDir, `${split}.jsonl`);
    if (!fs.existsSync(file)) return [];
    return fs
      .readFileSync(file, 'utf8')
      .trim()
      .split('\n')
      .map((l) => {
        const row = JSON.parse(l) as { prompt?: string; question?: { problem: string } };
        return row.prompt ?? row.question!.problem;
      });
  };
  return { train: read('train'), test: read('test'), summary };
}

describe('train/test split', () => {
  it('never puts one problem on both sides, for any seed and fraction', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 0, max: 1_000_000 }), fc.double({ min: 0.05, max: 0.95, noNaN: true }), async (seed, fraction) => {
        const { train, test, summary } = await splitPrompts(store, fraction, seed);
        const trainSet = new Set(train);
        expect(test.filter((p) => trainSet.has(p))).toEqual([]);
        // Every record lands on one side; all problems are counted once.
        expect(train.length + test.length).toBe(summary.records);
        expect(summary.splits[0]!.problems + summary.splits[1]!.problems).toBe(PROBLEMS);
      }),
      { numRuns: 12 },
    );
  });

  it('puts roughly the asked share of problems in test, all runs of a problem together', async () => {
    const { test, summary } = await splitPrompts(store, 0.3, 7);
    const testProblems = new Set(test).size;
    expect(testProblems).toBeGreaterThan(PROBLEMS * 0.1);
    expect(testProblems).toBeLessThan(PROBLEMS * 0.5);
    expect(summary.splits[1]!.problems).toBe(testProblems);
  });

  it('assigns a problem to the same side in another database (hash of task and prompt, not ids)', async () => {
    const a = await splitPrompts(store, 0.4, 3);
    const b = await splitPrompts(reversed, 0.4, 3);
    expect(new Set(b.test)).toEqual(new Set(a.test));
  });

  it('splits PRM800K records by problem too', async () => {
    const { train, test } = await splitPrompts(store, 0.5, 11, 'prm800k');
    const trainSet = new Set(train);
    expect(test.length).toBeGreaterThan(0);
    expect(test.filter((p) => trainSet.has(p))).toEqual([]);
  });

  it('the card lists both split files', async () => {
    const outDir = path.join(dir, 'card');
    await exportDataset(store.connection, ExportRequest.parse({ format: 'trl', outDir, split: { testFraction: 0.5, seed: 1 } }));
    const card = fs.readFileSync(path.join(outDir, 'README.md'), 'utf8');
    expect(card).toContain('  - split: train\n    path: train.jsonl');
    expect(card).toContain('  - split: test\n    path: test.jsonl');
  });
});
