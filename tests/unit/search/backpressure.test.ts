/**
 * A writer slower than the search must slow the search, not let batches pile up in memory: at most
 * `maxInFlight` batches are posted and uncommitted, and the search waits at its next step.
 */
import Database from 'better-sqlite3';
import { MessageChannel } from 'node:worker_threads';
import { expect, test } from 'vitest';
import { runAlgorithm } from '../../../main/engine/search/run-algorithm';
import { runSearch } from '../../../main/engine/search/run-service';
import { EnumeratorPolicy } from '../../../main/engine/search/stand-ins/enumerator';
import { ExactScorer } from '../../../main/engine/search/stand-ins/exact-scorer';
import { decodeNodes, type EncodedNodes } from '../../../main/engine/store/packed-nodes';
import type { ToWriter } from '../../../main/engine/search/writer/protocol';
import { MAX_IN_FLIGHT, WriterThread } from '../../../main/engine/search/writer/threaded-sink';
import type { NewNode } from '../../../main/engine/store/node-writer';
import { Store } from '../../../main/engine/store/store';
import { countdownProblem, countdownTask } from '../../../main/engine/tasks/countdown';
import { countdown, MemorySink, runtimesClosedAfterAll, shape, tempDbFile } from './helpers';

/** The database's runtime (writer thread), closed after the file's tests. */
const runtimeOf = runtimesClosedAfterAll();

test('a slow writer: the search waits, never more than maxInFlight batches outstanding, nothing lost', async () => {
  // This thread plays the writer at the far end of a channel and commits one batch every 20 ms.
  const { port1, port2 } = new MessageChannel();
  const queue: EncodedNodes[] = [];
  const received: NewNode[] = [];
  const batchSizes: number[] = [];
  let committed: Int32Array | null = null;
  let maxOutstanding = 0;
  let closedRun: number | null = null;
  port2.on('message', (m: ToWriter) => {
    if (m.type === 'open') committed = m.committed;
    else if (m.type === 'batch') {
      if (m.nodes) queue.push(m.nodes);
      maxOutstanding = Math.max(maxOutstanding, queue.length);
    } else if (m.type === 'close') closedRun = m.runId;
  });
  const commitOne = () => {
    const batch = queue.shift();
    if (!batch) return;
    batchSizes.push(batch.count);
    received.push(...decodeNodes(batch));
    Atomics.add(committed!, 0, 1);
    Atomics.notify(committed!, 0);
  };
  const slowWriter = setInterval(commitOne, 20);

  const maxInFlight = 2;
  const sink = WriterThread.over('slow.db', port1).open(1, { maxInFlight });
  const env = (s: typeof sink | MemorySink) => ({
    task: countdownTask,
    problem: countdown([2, 3, 5, 7, 11, 13], 5000),
    policy: new EnumeratorPolicy(1),
    scorer: new ExactScorer(countdownTask),
    sink: s,
    budget: { maxExpansions: 150 },
    seed: 1,
  });
  const started = Date.now();
  const stats = await runAlgorithm('bfs', { k: 32, stopOnSolution: false }, env(sink));
  const searchMs = Date.now() - started;
  sink.close();
  while (closedRun === null) await new Promise((r) => setTimeout(r, 5)); // the last batch, then close
  while (queue.length) commitOne();
  clearInterval(slowWriter);
  port1.close();

  // The same tree as an in-memory sink gets, in order.
  const memory = new MemorySink();
  await runAlgorithm('bfs', { k: 32, stopOnSolution: false }, env(memory));
  expect(stats.nodes).toBeGreaterThan(3000);
  expect(shape(received)).toEqual(shape(memory.nodes));
  // Bounded: the search never had more than maxInFlight batches out (the final flush adds one),
  // and held at most a full batch plus one step's children (k = 32) meanwhile.
  expect(maxOutstanding).toBeLessThanOrEqual(maxInFlight + 1);
  expect(Math.max(...batchSizes)).toBeLessThanOrEqual(512 + 32);
  // The search waited for the writer: all but the last maxInFlight batches took a commit each.
  expect(searchMs).toBeGreaterThanOrEqual((batchSizes.length - maxInFlight - 1) * 20 * 0.8);
});

test('a writer thread held up by a lock: the search stalls at the bound, then finishes with every node', async () => {
  const file = tempDbFile('metacot-backpressure-');
  const store = Store.open(file);
  const problemId = store.problems.insert(countdownProblem([2, 3, 5, 7, 11, 13], 5000));
  const blocker = new Database(file);
  blocker.pragma('busy_timeout = 5000');
  let locked = false;
  let nodesWhileLocked = 0;
  const run = await runSearch(
    store,
    { problemId, algorithm: 'bfs', config: { k: 32, stopOnSolution: false }, policy: 'enumerator', scorer: 'exact', seed: 1, budget: { maxExpansions: 2000 } },
    {
      runtime: runtimeOf(store),
      writer: 'thread',
      onRunChanged: (r) => {
        if (r.status !== 'running') return;
        // Another connection takes the write lock for a second: the writer thread cannot commit.
        blocker.prepare('BEGIN IMMEDIATE').run();
        locked = true;
        setTimeout(() => {
          blocker.prepare('COMMIT').run();
          locked = false;
        }, 1000);
      },
      onProgress: (_id, p) => {
        if (locked) nodesWhileLocked = Math.max(nodesWhileLocked, p.nodes);
      },
    },
  );
  blocker.close();
  expect(run.status).toBe('done');
  // Unbounded, the search would have made all its nodes in that second; bounded, it stopped
  // after about maxInFlight batches (each up to 512 nodes plus one step's children).
  expect(run.nodeCount).toBeGreaterThan(20_000);
  expect(nodesWhileLocked).toBeGreaterThan(0);
  expect(nodesWhileLocked).toBeLessThanOrEqual((MAX_IN_FLIGHT + 1) * (512 + 32));
  expect(store.nodes.forRun(run.id)).toHaveLength(run.nodeCount);
  store.close();
});
