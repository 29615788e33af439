/**
 * The sample database a new user opens first: a few Countdown and Game of 24 problems with trees
 * grown by real searches with the bundled policy and PRM (BFS and DFS as Stream of Search traces
 * them, MCTS, best-first, beam, best-of-N), so the studio shows trees at once. Built in a
 * temporary file and moved into place, so a failed or interrupted build never leaves half a
 * database.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { AlgorithmName, NewProblem } from '../../../common/domain';
import { runSearch } from '../search/run-service';
import { SearchRuntime } from '../search/runtime';
import { Store } from '../store/store';
import { countdownProblem, generateCountdownProblems } from '../tasks/countdown';
import { game24Problem } from '../tasks/game24';

export class SampleDbExistsError extends Error {
  constructor(file: string) {
    super(`${file} already exists (use --force to rebuild it)`);
    this.name = 'SampleDbExistsError';
  }
}

interface SampleRun {
  problem: number;
  algorithm: AlgorithmName;
  config: Record<string, unknown>;
  scorer?: string;
  maxExpansions: number;
}

function sampleProblems(): NewProblem[] {
  return [
    countdownProblem([4, 9, 3], 24), // the Stream of Search paper's example
    ...generateCountdownProblems(2, { seed: 7, numbers: 4 }),
    countdownProblem([25, 3, 7, 50, 2], 442),
    game24Problem([4, 5, 6, 10], { source: '24.csv' }),
    game24Problem([3, 3, 8, 8], { source: '24.csv' }),
    game24Problem([1, 1, 4, 6], { source: '24.csv', rank: 1 }),
  ];
}

// Budgets and stopOnSolution: false where a run would otherwise stop at its first solution after a
// step or two (the bundled policy is good at small puzzles) and show no search worth looking at.
const RUNS: SampleRun[] = [
  { problem: 0, algorithm: 'bfs', config: { k: 32, stopOnSolution: false }, maxExpansions: 12 },
  { problem: 0, algorithm: 'dfs', config: { k: 32, stopOnSolution: false }, maxExpansions: 30 },
  { problem: 1, algorithm: 'mcts', config: {}, maxExpansions: 80 },
  { problem: 1, algorithm: 'best-first', config: { k: 24 }, maxExpansions: 30 },
  { problem: 2, algorithm: 'beam', config: { beamWidth: 3, k: 6 }, maxExpansions: 30 },
  { problem: 2, algorithm: 'best-of-n', config: { n: 12 }, maxExpansions: 60 },
  { problem: 3, algorithm: 'mcts', config: { k: 8 }, scorer: 'rollout:4', maxExpansions: 40 },
  { problem: 4, algorithm: 'bfs', config: { k: 12 }, maxExpansions: 25 },
  { problem: 5, algorithm: 'mcts', config: {}, maxExpansions: 50 },
  { problem: 6, algorithm: 'dfs', config: { k: 10, order: 'score', stopOnSolution: false }, maxExpansions: 30 },
];

export interface SampleDbSummary {
  path: string;
  problems: number;
  runs: number;
  nodes: number;
  solved: number;
}

export async function buildSampleDb(file: string, options: { force?: boolean } = {}): Promise<SampleDbSummary> {
  if (fs.existsSync(file) && !options.force) throw new SampleDbExistsError(file);
  fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  const tmp = `${file}.building-${process.pid}`;
  for (const f of [tmp, `${tmp}-wal`, `${tmp}-shm`]) fs.rmSync(f, { force: true });
  const store = Store.open(tmp);
  // The searches build their bundled models from this runtime's providers and write inline.
  const runtime = SearchRuntime.forStore(store);
  let summary: SampleDbSummary;
  try {
    const ids = store.problems.insertMany(sampleProblems());
    let nodes = 0;
    let solved = 0;
    for (const r of RUNS) {
      const run = await runSearch(store, {
        problemId: ids[r.problem]!,
        algorithm: r.algorithm,
        config: r.config,
        // No policy or scorer named: the task's defaults, the bundled models.
        ...(r.scorer ? { scorer: r.scorer } : {}),
        seed: 1,
        budget: { maxExpansions: r.maxExpansions },
      }, { runtime });
      if (run.status !== 'done') throw new Error(`sample run ${r.algorithm} ended ${run.status}: ${run.error ?? ''}`);
      nodes += run.nodeCount;
      if (run.solved) solved++;
    }
    summary = { path: file, problems: ids.length, runs: RUNS.length, nodes, solved };
    // One self-contained file: fold the WAL in before moving it into place.
    store.leaveWalMode();
  } catch (error) {
    store.close();
    fs.rmSync(tmp, { force: true });
    throw error;
  }
  store.close();
  for (const f of [`${file}-wal`, `${file}-shm`]) fs.rmSync(f, { force: true });
  fs.renameSync(tmp, file);
  return summary;
}
