import { ApiError } from '../../../common/contract';
import { exactLabels, firstErrorSearch, monteCarloLabels, scorerLabels, wrongLeaves } from '../labels/auto-labels';
import { defaultProviders } from '../providers';
import { getTask } from '../tasks/registry';
import type { Store } from '../store/store';
import { admitOptional } from './model-access';
import type { Handlers } from './types';

/** Runs one autolabel method over a run, building providers from names (defaults: the run's own). */
export async function autolabelRun(
  store: Store,
  input: { runId: number; method: 'mc' | 'first-error' | 'exact' | 'scorer'; policy?: string; scorer?: string; rollouts: number; nodeIds?: number[] },
  options: { signal?: AbortSignal; onProgress?: (done: number, total: number) => void } = {},
): Promise<{ labeled: number; batches?: number }> {
  const run = store.runs.get(input.runId);
  const problem = store.problems.get(run.problemId);
  if (input.method === 'exact') return { labeled: exactLabels(store, run.id, { nodeIds: input.nodeIds }).length };
  const task = getTask(problem.task);
  const policy = await defaultProviders().createPolicy(input.policy ?? run.policy, { task, seed: run.seed });
  try {
    if (input.method === 'mc') {
      return { labeled: (await monteCarloLabels(store, run.id, policy, input.rollouts, { ...options, nodeIds: input.nodeIds })).length };
    }
    if (input.method === 'scorer') {
      const name = input.scorer ?? run.scorer;
      if (!name) throw new ApiError('invalid_input', `Run ${run.id} has no scorer; name one with "scorer"`);
      const scorer = await defaultProviders().createScorer(name, { task, seed: run.seed, policy });
      try {
        return { labeled: (await scorerLabels(store, run.id, scorer, { ...options, nodeIds: input.nodeIds })).length };
      } finally {
        await scorer.close?.();
      }
    }
    const leaves = input.nodeIds ?? wrongLeaves(store, run.id);
    let labeled = 0;
    let batches = 0;
    for (const [i, leaf] of leaves.entries()) {
      const r = await firstErrorSearch(store, run.id, leaf, policy, input.rollouts, options);
      batches += r.batches;
      if (r.firstErrorNodeId !== null) labeled++;
      options.onProgress?.(i + 1, leaves.length);
    }
    return { labeled, batches };
  } finally {
    await policy.close?.();
  }
}

export const suggestHandlers: Handlers<'listAutoLabels' | 'autolabel' | 'acceptSuggestions' | 'nextToLabel'> = {
  listAutoLabels: ({ runId }, { store }) => {
    store.runs.get(runId);
    return { labels: store.autoLabels.forRun(runId) };
  },
  autolabel: (input, { store, modelAccess }) => {
    if (input.method === 'exact' || !modelAccess) return autolabelRun(store, input);
    // The run's own names are the defaults: admit whichever names will be built.
    const run = store.runs.get(input.runId);
    return autolabelRun(store, {
      ...input,
      policy: admitOptional(modelAccess, input.policy ?? run.policy, 'policy'),
      scorer: input.method === 'scorer' ? admitOptional(modelAccess, input.scorer ?? run.scorer, 'scorer') : input.scorer,
    });
  },
  acceptSuggestions: ({ annotator, source, nodeIds }, { store }) => store.annotations.acceptAutoLabels(annotator, source, nodeIds),
  nextToLabel: ({ annotator, rule, runId, limit }, { store }) => ({ items: store.labelQueue.next({ annotator, rule, runId, limit }) }),
};
