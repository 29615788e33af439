/**
 * Batches against a model server (the countdown stand-in on 127.0.0.1, answering out of order):
 * many runs and requests in flight, yet every run stores the tree it stores with one request at a
 * time; a stalled request is retried, and a failing server fails only the runs it touches.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import type { Run } from '../../../common/domain';
import { requestPool } from '../../../main/engine/providers/request-pool';
import { defaultProviders } from '../../../main/engine/providers';
import { dispatch } from '../../../main/engine/api/dispatch';
import { EventBus } from '../../../main/engine/events';
import { runBatch } from '../../../main/engine/search/batch';
import { SearchManager } from '../../../main/engine/search/manager';
import { createSearchRun, executeRun, type SearchSpec } from '../../../main/engine/search/run-service';
import { SearchRuntime } from '../../../main/engine/search/runtime';
import { Store } from '../../../main/engine/store/store';
import { countdownTask, generateCountdownProblems } from '../../../main/engine/tasks/countdown';
import { runCli } from '../../helpers/cli';
import { startCountdownServer, type ServerControls } from '../../helpers/completion-server';

let server: ServerControls;
beforeAll(async () => {
  server = await startCountdownServer();
  server.jitterMs = 15;
});
const runtimes: SearchRuntime[] = [];
/** The database's runtime (writer thread), closed after the file's tests. */
const runtimeOf = (store: Store) => {
  const runtime = SearchRuntime.forStore(store);
  runtimes.push(runtime);
  return runtime;
};
afterAll(async () => {
  await server.close();
  await Promise.all(runtimes.map((r) => r.close()));
});

const problems = generateCountdownProblems(12, { seed: 11, numbers: 4 });
const policyName = () => `${server.url}/v1?max_tokens=8&retries=2&timeout_ms=1500#countdown-standin`;
/** Specs name the server, so they are made inside tests (once it listens). */
const spec = (algorithm: SearchSpec['algorithm'], config: Record<string, unknown>): Omit<SearchSpec, 'problemId'> => ({
  algorithm,
  config,
  policy: policyName(),
  scorer: 'exact',
  seed: 5,
  budget: { maxExpansions: 14 },
});

/** A run's tree as stored, without database ids, and its statistics without timings. */
function stored(store: Store, run: Run) {
  const nodes = store.nodes.forRun(run.id);
  const seqOf = new Map(nodes.map((n) => [n.id, n.seq]));
  const tree = nodes.map(({ id: _id, runId: _run, parentId, ...rest }) => ({ ...rest, parentSeq: parentId === null ? null : seqOf.get(parentId) }));
  const { wallMs: _wall, ...stats } = store.runs.get(run.id).stats;
  return { status: store.runs.get(run.id).status, stats, tree };
}

async function batch(s: Omit<SearchSpec, 'problemId'>, concurrency: number, onRunEnded?: (run: Run, index: number) => void) {
  const store = Store.open(path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'metacot-conc-')), 'trees.db'));
  const policy = await defaultProviders().createPolicy(s.policy, { task: countdownTask, seed: s.seed });
  const scorer = await defaultProviders().createScorer(s.scorer, { task: countdownTask, seed: s.seed, policy });
  const pool = requestPool();
  const limit = pool.limit;
  pool.limit = concurrency;
  server.peakInFlight = 0;
  try {
    const runs = await runBatch(store, problems, s, { runtime: runtimeOf(store), workers: 1, concurrency, signal: new AbortController().signal, providers: { policy, scorer }, onRunEnded });
    const byProblem = [...runs].sort((a, b) => a.id - b.id);
    return { store, runs: byProblem, peak: server.peakInFlight };
  } finally {
    pool.limit = limit;
  }
}

const algorithms: [string, SearchSpec['algorithm'], Record<string, unknown>][] = [
  ['mcts with virtual-loss batches', 'mcts', { k: 4, batchSize: 4 }],
  ['bfs in batches', 'bfs', { k: 4, batchSize: 3, stopOnSolution: false }],
  ['best-first in batches', 'best-first', { k: 4, batchSize: 2 }],
];

for (const [name, algorithm, config] of algorithms) {
  test(`${name}: a batch stores the same trees with 1 and 64 requests in flight`, async () => {
    const s = spec(algorithm, config);
    const one = await batch(s, 1);
    const many = await batch(s, 64);
    expect(one.peak).toBe(1);
    expect(many.peak).toBeGreaterThan(8); // 12 runs at once, several requests each
    expect(many.runs).toHaveLength(problems.length);
    for (let i = 0; i < problems.length; i++) {
      const a = stored(one.store, one.runs[i]!);
      expect(a.status).toBe('done');
      expect(a.tree.length).toBeGreaterThan(1);
      expect(stored(many.store, many.runs[i]!)).toEqual(a);
    }
    one.store.close();
    many.store.close();
  });
}

test('stalled requests time out and are retried: every run ends done with the same tree', async () => {
  const s = spec('bfs', { k: 4, batchSize: 3, stopOnSolution: false });
  const reference = await batch(s, 64);
  server.stallNext = 5;
  const stalled = await batch(s, 64);
  expect(server.stallNext).toBe(0);
  for (let i = 0; i < problems.length; i++) expect(stored(stalled.store, stalled.runs[i]!)).toEqual(stored(reference.store, reference.runs[i]!));
  reference.store.close();
  stalled.store.close();
});

test('a server that starts failing fails the runs it touches; finished runs are kept and failed ones resume to the same trees', async () => {
  const s = spec('bfs', { k: 4, batchSize: 3, stopOnSolution: false });
  const reference = await batch(s, 64);
  let ended = 0;
  const failing = await batch(s, 3, () => {
    if (++ended === 3) server.failNext = 1_000_000;
  });
  server.failNext = 0;
  expect(failing.runs).toHaveLength(problems.length); // every run is reported
  const done = failing.runs.filter((r) => r.status === 'done');
  const failed = failing.runs.filter((r) => r.status === 'failed');
  expect(done.length).toBeGreaterThanOrEqual(3);
  expect(failed.length).toBeGreaterThan(0);
  expect(done.length + failed.length).toBe(problems.length);
  for (const run of failed) {
    expect(run.error).toMatch(/cannot reach the completion endpoint http:\/\/127\.0\.0\.1:\d+\/v1\/completions: HTTP 503 .*\(3 attempts\)/);
    expect(failing.store.nodes.forRun(run.id).length).toBe(run.nodeCount);
  }
  for (const run of failed) await executeRun(failing.store, run.id, { runtime: runtimeOf(failing.store), writer: 'thread' });
  for (let i = 0; i < problems.length; i++) expect(stored(failing.store, failing.runs[i]!)).toMatchObject({ status: 'done', tree: stored(reference.store, reference.runs[i]!).tree });
  reference.store.close();
  failing.store.close();
});

test('metacot search --concurrency caps the requests in flight for the whole batch', async () => {
  const db = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'metacot-conc-cli-')), 'trees.db');
  const limit = requestPool().limit;
  server.peakInFlight = 0;
  try {
    const { code, out, err } = await runCli(
      'search', '--task', 'countdown', '--count', '8', '--algo', 'bfs', '--budget', '6', '--set', 'batchSize=4', '--k', '3',
      '--policy', `${server.url}/v1#countdown-standin`, '--scorer', 'exact', '--concurrency', '3', '--db', db,
    );
    expect(err).toBe('');
    expect(code).toBe(0);
    expect(out).toMatch(/8 runs: \d+ solved/);
  } finally {
    requestPool().limit = limit;
  }
  expect(server.peakInFlight).toBe(3);
  const { code, err } = await runCli('search', '--task', 'countdown', '--count', '1', '--concurrency', '0', '--db', db);
  expect(code).toBe(2);
  expect(err).toMatch(/--concurrency/);
});

test('the app\'s search manager runs endpoint runs together in one worker, storing the same trees', async () => {
  const s = spec('bfs', { k: 4, batchSize: 1, stopOnSolution: false });
  const reference = await batch(s, 1);
  const store = Store.open(path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'metacot-conc-mgr-')), 'trees.db'));
  const manager = new SearchManager({ store, events: new EventBus(), mode: 'worker', liveNodes: false });
  server.peakInFlight = 0;
  try {
    const runs = problems.map((p) => createSearchRun(store, { ...s, problemId: store.problems.insert(p) }));
    manager.enqueue(runs.map((r) => r.id));
    await manager.idle();
    // One worker slot, yet every run had its request out at once (each run has one at a time).
    expect(server.peakInFlight).toBeGreaterThan(problems.length / 2);
    runs.forEach((run, i) => expect(stored(store, run)).toEqual(stored(reference.store, reference.runs[i]!)));
  } finally {
    await manager.close();
    store.close();
    reference.store.close();
  }
});

test('startSearch sets the process-wide request limit (the New search dialog\'s "Requests in flight")', async () => {
  const store = Store.open(':memory:');
  const events = new EventBus();
  const searches = new SearchManager({ store, events, mode: 'inline' });
  const limit = requestPool().limit;
  try {
    const start = (concurrency: unknown) =>
      dispatch('startSearch', { policy: policyName(), scorer: 'exact', generate: { count: 2, seed: 3 }, algorithm: 'bfs', budget: { maxExpansions: 3 }, concurrency }, { store, events, searches });
    const ok = await start(7);
    expect(ok.ok).toBe(true);
    expect(requestPool().limit).toBe(7);
    const bad = await start(0);
    expect(bad.ok).toBe(false);
    expect(JSON.stringify(bad)).toMatch(/concurrency/);
    expect(requestPool().limit).toBe(7);
    await searches.idle();
  } finally {
    requestPool().limit = limit;
    await searches.close();
    store.close();
  }
});

test('Ctrl+C during an endpoint batch cancels every run in flight at once, keeps their nodes and leaves nothing queued', async () => {
  const s = spec('bfs', { k: 4, batchSize: 2, stopOnSolution: false });
  const store = Store.open(path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'metacot-conc-cancel-')), 'trees.db'));
  const policy = await defaultProviders().createPolicy(s.policy, { task: countdownTask, seed: s.seed });
  const scorer = await defaultProviders().createScorer(s.scorer, { task: countdownTask, seed: s.seed, policy });
  const controller = new AbortController();
  server.delayMs = 400; // every request is still out when the abort comes
  try {
    const started = Date.now();
    const runs = await runBatch(store, problems, { ...s, budget: { maxExpansions: 1000 } }, {
      runtime: runtimeOf(store),
      workers: 1,
      concurrency: 64,
      signal: controller.signal,
      providers: { policy, scorer },
      onNodes: (n) => n >= problems.length * 5 && controller.abort(),
    });
    expect(Date.now() - started).toBeLessThan(60_000);
    expect(runs).toHaveLength(problems.length); // all were running together
    for (const run of runs) {
      expect(run.status).toBe('cancelled');
      expect(store.nodes.forRun(run.id).length).toBe(run.nodeCount);
    }
    expect(store.runs.count()).toBe(problems.length);
  } finally {
    server.delayMs = 0;
    store.close();
  }
});
