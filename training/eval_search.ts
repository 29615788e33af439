/**
 * Search quality of the bundled models, through the engine exactly as `metacot search` runs it:
 * MCTS with the bundled policy and PRM (their default options, from the model folders'
 * metacot.json) at most `maxExpansions` policy expansions per problem, against uniform BFS (every
 * legal step, in the enumerator's seeded order, until the first solution) on the same problems.
 * Nodes go to a no-op sink: this measures the search, not the store.
 */
import type { Problem } from '../common/domain';
import { defaultProviders } from '../main/engine/providers';
import { runAlgorithm } from '../main/engine/search/run-algorithm';
import type { SearchSink } from '../main/engine/search/search-run';
import type { Task } from '../main/engine/tasks/types';
import { withSearchDefaults } from '../main/engine/search/defaults';

const noopSink: SearchSink = { add() {}, update() {}, flush() {}, close() {} };

export interface SearchEvalOptions {
  maxExpansions: number;
  seed: number;
  /** Called after each problem (for a progress line). */
  onProblem?: (done: number, total: number) => void;
}

export interface SearchEvalResult {
  problems: number;
  solved: number;
  solveRate: number;
  /** Mean policy expansions until the first correct finish, over the problems MCTS solved. */
  mctsMeanExpansionsToSolution: number;
  /** Uniform BFS on the same (MCTS-solved) problems. */
  bfsMeanExpansionsToSolution: number;
  /** BFS mean / MCTS mean: how many times fewer expansions the guided search needed. */
  bfsOverMcts: number;
  seconds: number;
}

const mean = (xs: readonly number[]) => (xs.length ? xs.reduce((s, x) => s + x, 0) / xs.length : NaN);

export async function evalSearch(task: Task, problems: readonly Problem[], options: SearchEvalOptions): Promise<SearchEvalResult> {
  const t0 = performance.now();
  const { seed, maxExpansions } = options;
  // MCTS with nothing named: the bundled policy, PRM and k, exactly what `metacot search` picks.
  const guidedSpec = withSearchDefaults(task, { algorithm: 'mcts' as const });
  const providers = defaultProviders();
  const policy = await providers.createPolicy(guidedSpec.policy, { task, seed });
  const scorer = await providers.createScorer(guidedSpec.scorer, { task, seed, policy });
  const uniform = await providers.createPolicy('enumerator', { task, seed });
  const exact = await providers.createScorer('exact', { task, seed, policy: uniform });
  const mctsFirst: number[] = [];
  const bfsFirst: number[] = [];
  for (const [i, problem] of problems.entries()) {
    const guided = await runAlgorithm('mcts', guidedSpec.config, { task, problem, policy, scorer, sink: noopSink, budget: { maxExpansions }, seed });
    if (guided.firstSolutionExpansion !== null) {
      mctsFirst.push(guided.firstSolutionExpansion);
      // BFS over every legal step (k above any branching factor) stops at its first solution.
      const bfs = await runAlgorithm('bfs', { k: 1000, stopOnSolution: true }, { task, problem, policy: uniform, scorer: exact, sink: noopSink, budget: { maxExpansions: 1_000_000 }, seed });
      if (bfs.firstSolutionExpansion === null) throw new Error(`uniform BFS found no solution for problem ${problem.id}, which MCTS solved`);
      bfsFirst.push(bfs.firstSolutionExpansion);
    }
    options.onProblem?.(i + 1, problems.length);
  }
  await Promise.all([policy.close?.(), scorer.close?.()]);
  const mctsMean = mean(mctsFirst);
  const bfsMean = mean(bfsFirst);
  return {
    problems: problems.length,
    solved: mctsFirst.length,
    solveRate: mctsFirst.length / problems.length,
    mctsMeanExpansionsToSolution: mctsMean,
    bfsMeanExpansionsToSolution: bfsMean,
    bfsOverMcts: bfsMean / mctsMean,
    seconds: (performance.now() - t0) / 1000,
  };
}
