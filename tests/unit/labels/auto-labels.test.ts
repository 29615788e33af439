import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, expect, test } from 'vitest';
import type { NewNode } from '../../../main/engine/store/node-writer';
import { countdownTask } from '../../../main/engine/tasks/countdown';
import { EnumeratorPolicy } from '../../../main/engine/search/stand-ins/enumerator';
import type { Policy, ProposeRequest } from '../../../main/engine/search/types';
import { exactLabels, firstErrorSearch, monteCarloLabels } from '../../../main/engine/labels/auto-labels';
import { Store } from '../../../main/engine/store/store';
import { seedSampleTree, type SeededTree } from '../../helpers/seed';

/** A policy that always plays a winning move when one exists: MC(s) > 0 exactly when s is solvable. */
class OraclePolicy implements Policy {
  readonly name = 'oracle';
  calls = 0;
  async propose(requests: readonly ProposeRequest[]) {
    this.calls++;
    return requests.map((r) => {
      const legal = r.task.legalSteps!(r.state);
      const winning = legal.find((step) => {
        const next = r.task.applyStep(r.state, step);
        return next.valid && r.task.exactLabel!(next.state, r.problem) === 1;
      });
      const pick = winning ?? legal[0];
      return pick ? [{ text: pick, logprob: 0 }] : [];
    });
  }
}

let t: SeededTree;
beforeEach(() => {
  t = seedSampleTree(path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'metacot-auto-')), 'a.db'));
});
afterEach(() => t.store.close());

test('exact labels come from the solver and never touch human labels', () => {
  t.store.annotations.setLabel(t.ids[1]!, 'ann', { rating: 1 });
  const labels = exactLabels(t.store, t.runId);
  expect(labels.map((l) => l.label)).toEqual([-1, 1, -1, -1, 1, -1, -1]);
  expect(t.store.annotations.forRun(t.runId).annotations).toMatchObject([{ nodeId: t.ids[1], rating: 1, annotator: 'ann' }]);
  expect(t.store.autoLabels.forRun(t.runId).filter((l) => l.source === 'exact')).toHaveLength(7);
});

test('Monte-Carlo labels: hard label from any success, soft from the share; they agree with exact labels on this tree', async () => {
  const labels = await monteCarloLabels(t.store, t.runId, new EnumeratorPolicy(1), 16);
  const exact = [-1, 1, -1, -1, 1, -1, -1];
  expect(labels.map((l) => l.label)).toEqual(exact);
  for (const l of labels) {
    expect(l.value).toBeGreaterThanOrEqual(0);
    expect(l.value).toBeLessThanOrEqual(1);
    expect(l.rollouts).toBe(16);
  }
  // 9-3=6 leaves [4, 6]: 4*6 is one of the legal moves, so some rollouts win and some do not.
  const soft = labels.find((l) => l.nodeId === t.ids[2])!.value!;
  expect(soft).toBeGreaterThan(0);
  expect(soft).toBeLessThan(1);
});

test('first-error search finds a planted first error with O(log n) rollout batches', async () => {
  // 100 from [1, 2, 3, 4, 5, 6]: five steps; the second one ruins it.
  const store = Store.open(path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'metacot-fe-')), 'fe.db'));
  const problemId = store.problems.insert({ task: 'countdown', prompt: '100:[1, 2, 3, 4, 5, 6]', goldAnswer: '100', metadata: { numbers: [1, 2, 3, 4, 5, 6], target: 100 } });
  const problem = store.problems.get(problemId);
  let state = countdownTask.initialState(problem);
  // A good first move, then plant the error: the first move after which 100 is out of reach.
  const keepsSolvable = (st: typeof state, step: string) => {
    const next = countdownTask.applyStep(st, step);
    return next.valid && countdownTask.exactLabel!(next.state, problem) === 1;
  };
  const steps = [countdownTask.legalSteps!(state).find((step) => keepsSolvable(state, step))!];
  state = (countdownTask.applyStep(state, steps[0]!) as { valid: true; state: typeof state }).state;
  const ruin = countdownTask.legalSteps!(state).find((s) => {
    const next = countdownTask.applyStep(state, s);
    return next.valid && countdownTask.exactLabel!(next.state, problem) === -1;
  })!;
  steps.push(ruin);
  let s = (countdownTask.applyStep(state, ruin) as { valid: true; state: typeof state }).state;
  while (!countdownTask.isTerminal(s)) {
    const step = countdownTask.legalSteps!(s)[0]!;
    steps.push(step);
    s = (countdownTask.applyStep(s, step) as { valid: true; state: typeof state }).state;
  }
  expect(steps).toHaveLength(5);
  const run = store.runs.create({ problemId, algorithm: 'dfs', policy: 'test' });
  const writer = store.nodeWriter(run.id);
  const nodes: NewNode[] = [{ seq: 0, parentSeq: null, depth: 0, expansion: 0, stepText: '' }];
  steps.forEach((text, i) =>
    nodes.push({ seq: i + 1, parentSeq: i, depth: i + 1, expansion: i + 1, stepText: text, isTerminal: i === 4, outcome: i === 4 ? 'incorrect' : null }),
  );
  nodes.forEach((n) => writer.add(n));
  writer.close();
  const ids = store.nodes.forRun(run.id).map((n) => n.id);

  const result = await firstErrorSearch(store, run.id, ids[5]!, new OraclePolicy(), 1);
  expect(result.firstErrorNodeId).toBe(ids[2]);
  // MC(root) and then bisection over 5 steps: 1 + ceil(log2 5) = 4 batches at most, not 5.
  expect(result.batches).toBeLessThanOrEqual(1 + Math.ceil(Math.log2(5)));
  const saved = store.autoLabels.forRun(run.id).filter((l) => l.source === 'first-error');
  expect(saved.map((l) => [l.nodeId, l.label])).toEqual([
    [ids[1], 1],
    [ids[2], -1],
  ]);
  await expect(firstErrorSearch(store, run.id, ids[3]!, new OraclePolicy(), 1)).rejects.toThrow(/does not end a wrong finished path/);
  store.close();
});
