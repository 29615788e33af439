/**
 * Search throughput on Countdown with the enumerating policy: nodes created per second with every
 * node streamed into SQLite (batched writer, WAL) against the same searches into a no-op sink, in
 * one run. The store may cost at most 25% of search throughput (ratio >= 0.75). Both sides run
 * the same searches; the stored side also creates run rows and waits for every commit.
 *
 * The stored side needs a second core for its writer thread: on a machine whose cores other
 * processes keep busy the two threads share one and the ratio drops, so the note records the
 * load average around the measurement.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { AlgorithmName, Problem } from '../common/domain';
import { runAlgorithm } from '../main/engine/search/run-algorithm';
import { runBatch } from '../main/engine/search/batch';
import { EnumeratorPolicy } from '../main/engine/search/stand-ins/enumerator';
import { ExactScorer } from '../main/engine/search/stand-ins/exact-scorer';
import type { NodeSink } from '../main/engine/store/node-writer';
import { SearchRuntime } from '../main/engine/search/runtime';
import { Store } from '../main/engine/store/store';
import { countdownTask, generateCountdownProblems } from '../main/engine/tasks/countdown';
import type { BenchRow } from './types';

const noopSink: NodeSink = { add() {}, update() {}, flush() {}, close() {} };

interface Case {
  algorithm: AlgorithmName;
  config: Record<string, unknown>;
  maxExpansions: number;
}

const CASES: Case[] = [
  { algorithm: 'bfs', config: { k: 32, stopOnSolution: false }, maxExpansions: 400 },
  { algorithm: 'mcts', config: { k: 32, maxIdleRounds: 1_000_000 }, maxExpansions: 400 },
];
const PROBLEMS = generateCountdownProblems(12, { seed: 42, numbers: 5, targetMin: 100, targetMax: 999 });
const ROUNDS = 7;
const SEED = 1;

/** Nodes per second of the case's searches over all problems into a no-op sink. */
async function withoutStore(c: Case): Promise<number> {
  const scorer = new ExactScorer(countdownTask);
  let nodes = 0;
  const start = performance.now();
  for (const [i, p] of PROBLEMS.entries()) {
    const problem = { id: i + 1, createdAt: '', goldAnswer: null, metadata: {}, ...p } as Problem;
    const stats = await runAlgorithm(c.algorithm, c.config, {
      task: countdownTask,
      problem,
      policy: new EnumeratorPolicy(SEED),
      scorer,
      sink: noopSink,
      budget: { maxExpansions: c.maxExpansions },
      seed: SEED,
    });
    nodes += stats.nodes;
  }
  return nodes / ((performance.now() - start) / 1000);
}

/**
 * The same searches as stored runs, exactly as `metacot search` stores them (runBatch on this
 * thread): problem and run rows, statuses, every node and every stats update in SQLite through the
 * writer thread; the next run's search may start while the writer commits the previous run's
 * tail. The clock stops when the last run is wholly stored.
 */
async function withStore(c: Case, store: Store, runtime: SearchRuntime): Promise<number> {
  const scorer = new ExactScorer(countdownTask);
  const start = performance.now();
  const runs = await runBatch(
    store,
    PROBLEMS,
    { algorithm: c.algorithm, config: c.config, policy: 'enumerator', scorer: 'exact', seed: SEED, budget: { maxExpansions: c.maxExpansions } },
    { runtime, workers: 1, signal: new AbortController().signal, providers: { policy: new EnumeratorPolicy(SEED), scorer } },
  );
  const seconds = (performance.now() - start) / 1000;
  if (runs.some((r) => r.status !== 'done')) throw new Error(`bench search: a stored run ended ${runs.find((r) => r.status !== 'done')!.status}`);
  return runs.reduce((sum, r) => sum + r.nodeCount, 0) / seconds;
}

function median(xs: readonly number[]): number {
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

export async function benchSearch(): Promise<BenchRow[]> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'metacot-bench-search-'));
  const store = Store.open(path.join(dir, 'bench.db'));
  const runtime = SearchRuntime.forStore(store);
  const rows: BenchRow[] = [];
  try {
    for (const c of CASES) {
      const loadBefore = os.loadavg()[0]!;
      // Warm-up: JIT, the solver's memo and the writer thread's start, for both sides alike.
      await withoutStore(c);
      await withStore(c, store, runtime);
      const plainRounds: number[] = [];
      const storedRounds: number[] = [];
      // Alternate the two so machine noise hits both; each side's median round (single rounds
      // of these 13 ms runs swing by 20% with what the other core is doing).
      for (let round = 0; round < ROUNDS; round++) {
        plainRounds.push(await withoutStore(c));
        storedRounds.push(await withStore(c, store, runtime));
      }
      const plain = median(plainRounds);
      const stored = median(storedRounds);
      rows.push({
        figure: `countdown ${c.algorithm} search, nodes created/s with the store`,
        value: stored,
        unit: 'nodes/s',
        baseline: plain,
        ratio: stored / plain,
        note:
          `enumerator policy, exact scorer, ${PROBLEMS.length} five-number puzzles x ${c.maxExpansions} expansions; baseline = no-op sink; median of ${ROUNDS} alternating rounds; target ratio >= 0.75; ` +
          `load avg ${loadBefore.toFixed(1)} -> ${os.loadavg()[0]!.toFixed(1)} on ${os.cpus().length} cores`,
      });
    }
  } finally {
    await runtime.close();
    store.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
  return rows;
}
