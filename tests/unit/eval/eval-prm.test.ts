/**
 * PRM evaluation on trees small enough to compute by hand. Scores are stored for a scorer named
 * "hand" before the evaluation, so nothing is asked of a model (which is also how a resumed
 * evaluation finds its earlier work); one test scores through a real provider.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ImportRequest } from '../../../common/contract/export';
import { evaluatePrm, listEvaluations } from '../../../main/engine/eval/evaluate';
import { processBench, tuneThreshold, type ScoredPath } from '../../../main/engine/eval/metrics';
import { scoreRuns } from '../../../main/engine/eval/step-scores';
import type { PathQuery } from '../../../main/engine/providers/types';
import { importFile } from '../../../main/engine/import/run-import';
import type { Store } from '../../../main/engine/store/store';
import { Store as StoreClass } from '../../../main/engine/store/store';
import { seedSampleTree } from '../../helpers/seed';

let dir: string;
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'metacot-eval-'));
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

/** Stores scores for the steps of a run by seq. */
function storeScores(store: Store, runId: number, scorer: string, bySeq: Record<number, number>): void {
  const insert = store.connection.prepare('INSERT INTO prm_step_scores (scorer, node_id, run_id, score) VALUES (?, ?, ?, ?)');
  for (const n of store.nodes.forRun(runId)) if (n.seq in bySeq) insert.run(scorer, n.id, runId, bySeq[n.seq]!);
}

describe('the countdown sample tree against its exact labels', () => {
  /*
   *   seq  step       exact  score
   *   1    9*3=27      -1    0.30    path 1-4:  refs -1 -1  first error 0, predicted 0 (0.30 < 0.5)   right
   *   2    9-3=6       +1    0.80    path 2-5:  refs +1 +1  no error,     predicted none             right
   *   3    4+3=7       -1    0.60    path 2-6:  refs +1 -1  first error 1, predicted 1 (0.40)        right
   *   4    27-4=23     -1    0.20    path 3-7:  refs -1 -1  first error 0, predicted none (0.60, 0.95) wrong
   *   5    4*6=24      +1    0.90
   *   6    6-4=2       -1    0.40
   *   7    9+7=16      -1    0.95
   */
  let store: Store;
  let runId: number;
  beforeAll(() => {
    ({ store, runId } = seedSampleTree(path.join(dir, 'sample.db')));
    storeScores(store, runId, 'hand', { 1: 0.3, 2: 0.8, 3: 0.6, 4: 0.2, 5: 0.9, 6: 0.4, 7: 0.95 });
  });
  afterAll(() => store.close());

  it('ProcessBench, step-level and Best-of-N figures match the hand computation', async () => {
    const r = await evaluatePrm(store, { scorer: 'hand' });
    expect(r.reference).toBe('exact'); // no gold labels here, so the solver's
    expect([r.runs, r.paths, r.steps, r.labeledSteps]).toEqual([1, 4, 7, 7]);
    // Erroneous paths 1-4, 2-6, 3-7: two found exactly; the correct path 2-5 left alone.
    expect(r.processBench).toEqual({ erroneous: 3, correct: 1, errorAccuracy: 0.666667, correctAccuracy: 1, f1: 0.8 });
    // Right steps 2, 5 vs wrong 1, 3, 4, 6, 7: 8 of 10 pairs ordered right (7 at 0.95 beats both).
    // At 0.5: TP 2 (steps 2, 5), FP 2 (3, 7), TN 3 (1, 4, 6), FN 0.
    expect(r.stepLevel).toEqual({ auc: 0.8, tp: 2, fp: 2, tn: 3, fn: 0, f1: 0.666667, negativeF1: 0.75, prmScore: 0.708333 });
    // min picks 2-5 (0.8), product picks 2-5 (0.72), last picks 3-7 (0.95, incorrect).
    expect(r.bestOfN).toEqual({ runs: 1, meanN: 4, accuracy: { min: 1, last: 0, product: 1 }, oracle: 1, random: 0.25 });
    expect(r.prmBench).toBeNull();
    expect(r.threshold).toEqual({ value: 0.5, tuned: null });
  });

  it('the threshold moves the predicted first error', async () => {
    const r = await evaluatePrm(store, { scorer: 'hand', threshold: 0.7 });
    // At 0.7 path 3-7 is caught at step 3 (0.60), path 2-6 still at step 6; path 1-4 at step 1.
    expect(r.processBench).toEqual({ erroneous: 3, correct: 1, errorAccuracy: 1, correctAccuracy: 1, f1: 1 });
  });

  it('tuning picks the lowest threshold with the best F1', () => {
    const paths: ScoredPath[] = [
      [[-1, 0.3], [-1, 0.2]],
      [[1, 0.8], [1, 0.9]],
      [[1, 0.8], [-1, 0.4]],
      [[-1, 0.6], [-1, 0.95]],
    ].map((steps, i) => ({
      runId: 1,
      leafNodeId: i,
      terminal: true,
      outcome: null,
      steps: steps.map(([reference, score], k) => ({ nodeId: i * 10 + k, reference: reference as -1 | 1, score: score! })),
    }));
    // Above 0.60 path 3-7 is caught; at 0.81 and above the correct path 2-5 is flagged at 0.80.
    expect(tuneThreshold(paths)).toEqual({ threshold: 0.61, f1: 1 });
    expect(processBench(paths, 0.81).correctAccuracy).toBe(0);
  });

  it('every evaluation is stored under its scorer name', () => {
    const stored = listEvaluations(store);
    expect(stored.map((e) => [e.scorer, e.reference, e.threshold])).toEqual([
      ['hand', 'exact', 0.7],
      ['hand', 'exact', 0.5],
    ]);
    expect(stored[1]!.metrics.processBench.f1).toBe(0.8);
  });

  it('a real scorer scores the steps once: stored scores are reused, missing ones computed', async () => {
    const first = await evaluatePrm(store, { scorer: 'exact' });
    // The exact scorer is 1 exactly where the exact label is +1: a perfect PRM.
    expect(first.processBench.f1).toBe(1);
    expect(first.stepLevel.auc).toBe(1);
    const rows = () =>
      store.connection.prepare("SELECT node_id, score, created_at FROM prm_step_scores WHERE scorer = 'exact' ORDER BY node_id").all() as {
        node_id: number;
        created_at: string;
      }[];
    const before = rows();
    expect(before).toHaveLength(7);
    store.connection.prepare("DELETE FROM prm_step_scores WHERE scorer = 'exact' AND node_id IN (?, ?)").run(before[0]!.node_id, before[6]!.node_id);
    const progress: [number, number][] = [];
    await evaluatePrm(store, { scorer: 'exact', onProgress: (done, total) => progress.push([done, total]) });
    expect(progress[0]).toEqual([5, 7]); // resumed with five stored
    expect(progress.at(-1)).toEqual([7, 7]);
    const after = rows();
    expect(after.map((r) => r.node_id)).toEqual(before.map((r) => r.node_id));
    expect(after.slice(1, 6)).toEqual(before.slice(1, 6)); // untouched rows kept their time
  });

  it('a scorer of whole paths is asked once per leaf; a shared step keeps its first score', async () => {
    const asked: string[][] = [];
    const pathScorer = {
      name: 'paths',
      score: () => Promise.reject(new Error('asked step by step')),
      scorePathSteps: async (q: PathQuery) => {
        asked.push([...q.steps]);
        return q.steps.map((_, k) => (k + 1) * 10 + asked.length); // depth and call, read back below
      },
    };
    const scores = await scoreRuns(store, 'paths', [runId], async () => pathScorer);
    expect(asked).toEqual([
      ['9*3=27', '27-4=23'],
      ['9-3=6', '4*6=24'],
      ['9-3=6', '6-4=2'],
      ['4+3=7', '9+7=16'],
    ]);
    const bySeq = Object.fromEntries(store.nodes.forRun(runId).filter((n) => n.parentId !== null).map((n) => [n.seq, scores.get(n.id)]));
    // 9-3=6 (seq 2) is on the second and third paths: the second's score stays.
    expect(bySeq).toEqual({ 1: 11, 2: 12, 3: 14, 4: 21, 5: 22, 6: 23, 7: 24 });
  });

  it('bad requests are refused before anything is scored', async () => {
    await expect(evaluatePrm(store, { scorer: 'hand', tuneOn: 1.5 })).rejects.toThrow(/--tune-on is a fraction/);
    await expect(evaluatePrm(store, { scorer: 'hand', threshold: 2 })).rejects.toThrow(/--threshold is between 0 and 1/);
    await expect(evaluatePrm(store, { scorer: 'hand', reference: 'gold' })).rejects.toThrow(/no gold step labels/);
    await expect(evaluatePrm(store, { scorer: 'hand', runIds: [999] })).rejects.toThrow(/999/);
    await expect(evaluatePrm(store, { scorer: 'no-such-scorer' })).rejects.toThrow(/no-such-scorer/);
  });
});

describe('PRMBench: PRMScore per error class against the gold labels', () => {
  it('matches the hand computation', async () => {
    const store = StoreClass.open(path.join(dir, 'prmbench.db'));
    const summary = await importFile(
      store,
      ImportRequest.parse({ format: 'prmbench', path: path.join(import.meta.dirname, '..', 'import', 'fixtures', 'prmbench.jsonl') }),
    );
    expect(summary.committed).toBe(true);
    const [circular, contradiction] = store.runs.list({ limit: 10, offset: 0, direction: 'asc' }).runs.map((r) => r.id);
    // circular, modified path seqs 1 2 | 7 8 9 | 10 11 with gold +1 +1 | -1 -1 -1 | +1 +1
    storeScores(store, circular!, 'hand', { 1: 0.9, 2: 0.8, 3: 0.9, 4: 0.9, 5: 0.9, 6: 0.9, 7: 0.3, 8: 0.6, 9: 0.2, 10: 0.7, 11: 0.4 });
    // step_contradiction: seq 1 shared (+1), 2 original (+1), 3 modified (-1)
    storeScores(store, contradiction!, 'hand', { 1: 0.7, 2: 0.9, 3: 0.55 });
    const r = await evaluatePrm(store, { scorer: 'hand' });
    expect(r.reference).toBe('gold');
    expect(r.prmBench).toEqual({
      // TP 3 (seqs 1, 2, 10), FN 1 (11), TN 2 (7, 9), FP 1 (8)
      byClass: {
        circular: { tp: 3, fp: 1, tn: 2, fn: 1, f1: 0.75, negativeF1: 0.666667, prmScore: 0.708333 },
        // TP 1 (seq 1), FP 1 (seq 3 at 0.55)
        step_contradiction: { tp: 1, fp: 1, tn: 0, fn: 0, f1: 0.666667, negativeF1: 0, prmScore: 0.333333 },
      },
      overall: { tp: 4, fp: 2, tn: 2, fn: 1, f1: 0.727273, negativeF1: 0.571429, prmScore: 0.649351 },
    });
    store.close();
  });
});
