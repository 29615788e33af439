/** Runs one algorithm over one problem with everything it needs, returning its statistics. */
import type { AlgorithmName } from '../../../common/domain';
import { ALGORITHM_SPECS } from './algorithms';
import { Budget } from './budget';
import { SearchRun, type SearchEnv, type SearchStats } from './search-run';

/** Checks an algorithm's config, filling defaults; throws a ZodError naming the bad field. */
export function parseAlgorithmConfig(algorithm: AlgorithmName, config: unknown): Record<string, unknown> & { stopOnSolution: boolean } {
  return ALGORITHM_SPECS[algorithm].config.parse(config ?? {}) as Record<string, unknown> & { stopOnSolution: boolean };
}

export async function runAlgorithm(
  algorithm: AlgorithmName,
  config: unknown,
  env: Omit<SearchEnv, 'budget'> & { budget: unknown },
): Promise<SearchStats> {
  const parsed = parseAlgorithmConfig(algorithm, config);
  const budget = Budget.parse(env.budget);
  const run = new SearchRun({ ...env, budget }, parsed.stopOnSolution);
  try {
    await ALGORITHM_SPECS[algorithm].run(run, parsed);
  } catch (error) {
    // Cancelled inside a policy or scorer call (a model run aborts with an error): the search
    // ends there like any cancelled one, with the statistics of what it did.
    if (!env.signal?.aborted) throw error;
  }
  env.onProgress?.(run.progress());
  return run.stats();
}
