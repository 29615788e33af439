import { expect, test } from 'vitest';
import type { Run } from '../../../common/domain';
import { runBatch } from '../../../main/engine/search/batch';
import { executeRun, createSearchRun } from '../../../main/engine/search/run-service';
import { EnumeratorPolicy } from '../../../main/engine/search/stand-ins/enumerator';
import { ExactScorer } from '../../../main/engine/search/stand-ins/exact-scorer';
import { Store } from '../../../main/engine/store/store';
import { countdownTask, generateCountdownProblems } from '../../../main/engine/tasks/countdown';
import { runtimesClosedAfterAll, tempDbFile } from './helpers';

/** The database's runtime (writer thread), closed after the file's tests. */
const runtimeOf = runtimesClosedAfterAll();

const dbFile = () => tempDbFile('metacot-batch-');
const spec = { algorithm: 'bfs' as const, config: { k: 32, stopOnSolution: false }, policy: 'enumerator', scorer: 'exact', seed: 1, budget: { maxExpansions: 60 } };
const providers = () => ({ policy: new EnumeratorPolicy(1), scorer: new ExactScorer(countdownTask) });

test('on one thread, runs are reported in order, each wholly stored and finished by the writer', async () => {
  const store = Store.open(dbFile());
  const problems = generateCountdownProblems(20, { seed: 3, numbers: 5, targetMin: 100, targetMax: 999 });
  const reported: { index: number; run: Run; stored: number; row: Run }[] = [];
  const runs = await runBatch(store, problems, spec, {
    runtime: runtimeOf(store),
    workers: 1,
    signal: new AbortController().signal,
    providers: providers(),
    onRunEnded: (run, index) => reported.push({ index, run, stored: store.nodes.forRun(run.id).length, row: store.runs.get(run.id) }),
  });
  expect(runs).toHaveLength(20);
  expect(reported.map((r) => r.index)).toEqual([...Array(20).keys()]);
  for (const { run, stored, row } of reported) {
    // When a run is reported its every node is committed, and the writer has recorded its end.
    expect(run.status).toBe('done');
    expect(stored).toBe(run.nodeCount);
    expect(row.status).toBe('done');
    expect(row.stats.nodes).toBe(stored);
    expect(row.finishedAt).not.toBeNull();
    expect(row.startedAt).not.toBeNull();
  }
  store.close();
});

test('a threaded run says when its search is over, and resolves only once its tail is stored and its end recorded', async () => {
  const store = Store.open(dbFile());
  const [problemId] = store.problems.insertMany(generateCountdownProblems(1, { seed: 5, numbers: 6, targetMin: 900, targetMax: 999 }));
  const run = createSearchRun(store, { ...spec, problemId: problemId!, budget: { maxExpansions: 300 } });
  const order: string[] = [];
  const done = await executeRun(store, run.id, { runtime: runtimeOf(store), writer: 'thread', providers: providers(), onSearchEnded: () => order.push('search ended') });
  order.push('resolved');
  expect(order).toEqual(['search ended', 'resolved']);
  expect(done.status).toBe('done');
  expect(store.runs.get(run.id).stats.nodes).toBe(done.nodeCount);
  expect(store.nodes.forRun(run.id)).toHaveLength(done.nodeCount);
  store.close();
});

test('a cancelled batch leaves no run or problem it never started', async () => {
  const store = Store.open(dbFile());
  const controller = new AbortController();
  const problems = generateCountdownProblems(40, { seed: 9, numbers: 6, targetMin: 900, targetMax: 999 });
  const runs = await runBatch(store, problems, { ...spec, budget: { maxExpansions: 100_000 } }, {
    runtime: runtimeOf(store),
    workers: 1,
    signal: controller.signal,
    providers: providers(),
    onNodes: (n) => n > 200 && controller.abort(),
  });
  expect(runs).toHaveLength(1);
  expect(runs[0]!.status).toBe('cancelled');
  expect(store.runs.count()).toBe(1);
  expect(store.problems.count()).toBe(1);
  store.close();
});
