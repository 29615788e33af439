/** Starting, cancelling and resuming searches from the app; the SearchManager executes them off this thread. */
import { ApiError } from '../../../common/contract/define';
import type { AlgorithmName } from '../../../common/domain';
import { ALGORITHM_SPECS, defaultConfig } from '../search/algorithms';
import type { SearchManager } from '../search/manager';
import { defaultProviders } from '../providers';
import { BUNDLED_SEARCH, BUNDLED_TASKS, usesBundledModels } from '../search/defaults';
import { createSearchRun, SearchInputError } from '../search/run-service';
import { generateCountdownProblems } from '../tasks/countdown';
import { admitOptional } from './model-access';
import type { EngineContext, Handlers } from './types';

function searchesOf(ctx: EngineContext): SearchManager {
  if (!ctx.searches) throw new ApiError('unavailable', 'This engine runs no searches (no search manager was started).');
  return ctx.searches;
}

function generated(generate: Parameters<typeof generateCountdownProblems>[1] & { count: number }) {
  try {
    return generateCountdownProblems(generate.count, generate);
  } catch (error) {
    if (error instanceof RangeError) throw new SearchInputError(error.message);
    throw error;
  }
}

export const searchHandlers: Handlers<'startSearch' | 'cancelRun' | 'resumeRun' | 'searchOptions'> = {
  startSearch: (input, ctx) => {
    const searches = searchesOf(ctx);
    const { store } = ctx;
    // Problems (when generated) and runs are created in one transaction: all of them or none.
    const { problemIds, runs } = store.atomically(() => {
      const ids = input.problemIds ?? store.problems.insertMany(generated(input.generate!));
      const created = ids.map((problemId) =>
        createSearchRun(store, {
          problemId,
          algorithm: input.algorithm,
          config: input.config,
          policy: admitOptional(ctx.modelAccess, input.policy, 'policy'),
          scorer: admitOptional(ctx.modelAccess, input.scorer, 'scorer'),
          seed: input.seed,
          budget: input.budget,
          ...(input.stepDelimiter ? { taskOptions: { stepDelimiter: input.stepDelimiter } } : {}),
        }, searches.runtime.providers),
      );
      return { problemIds: ids, runs: created };
    });
    for (const run of runs) ctx.events.emit('runChanged', { run });
    // One limit for the process: it applies to these runs and to every request already waiting.
    if (input.concurrency !== undefined) searches.runtime.concurrency = input.concurrency;
    searches.enqueue(runs.map((r) => r.id));
    return { runIds: runs.map((r) => r.id), problemIds };
  },
  cancelRun: ({ runId }, ctx) => ({ run: searchesOf(ctx).cancel(runId) }),
  resumeRun: ({ runId }, ctx) => {
    // A stored name may come from an imported file or another client: it obeys the same rules.
    const run = ctx.store.runs.get(runId);
    admitOptional(ctx.modelAccess, run.policy, 'policy');
    admitOptional(ctx.modelAccess, run.scorer, 'scorer');
    return { run: searchesOf(ctx).resume(runId) };
  },
  searchOptions: (_input, ctx) => ({
    algorithms: (Object.keys(ALGORITHM_SPECS) as AlgorithmName[]).map((name) => ({
      name,
      description: ALGORITHM_SPECS[name].description,
      defaults: defaultConfig(name),
    })),
    ...(ctx.searches?.runtime.providers ?? defaultProviders()).list(),
    bundled: usesBundledModels('countdown') ? { ...BUNDLED_SEARCH, tasks: BUNDLED_TASKS } : null,
  }),
};
