/**
 * What a search uses when the request names no policy or scorer. For the tasks the bundled models
 * were trained on (countdown, game24) that is the bundled policy and PRM, with as many proposals
 * per expansion (k) as their solve-rate evaluation used (training/eval_search.ts); for other tasks
 * the stand-ins, whose checks then say what is missing (the math task needs a model policy).
 * The CLI, the app's startSearch and the New search dialog all go through here.
 */
import type { AlgorithmName, TaskName } from '../../../common/domain';
import { defaultProviders } from '../providers';
import { defaultConfig } from './algorithms';

export const BUNDLED_SEARCH = { policy: 'countdown-policy', scorer: 'countdown-prm', k: 32 } as const;

export const BUNDLED_TASKS: TaskName[] = ['countdown', 'game24'];

/** Read once: resources/models/ does not change while the process runs, and every created run asks. */
let installed: boolean | undefined;

/** Whether the bundled pair is the default for this task (and is installed). */
export function usesBundledModels(task: TaskName): boolean {
  if (!BUNDLED_TASKS.includes(task)) return false;
  if (installed === undefined) {
    const providers = defaultProviders();
    installed = providers.has(BUNDLED_SEARCH.policy) && providers.has(BUNDLED_SEARCH.scorer);
  }
  return installed;
}

export interface ProviderChoice {
  algorithm: AlgorithmName;
  policy?: string;
  scorer?: string;
  config?: Record<string, unknown>;
}

/**
 * Fills in what the request left out. A missing scorer follows the policy: the bundled PRM beside
 * the bundled policy, otherwise the exact solver where the task has one, else the likelihood.
 * k is filled only for the bundled policy and only for algorithms that take k.
 */
export function withSearchDefaults<T extends ProviderChoice>(
  task: { name: TaskName; exactLabel?: unknown },
  spec: T,
): T & { policy: string; scorer: string; config: Record<string, unknown> } {
  const bundled = usesBundledModels(task.name);
  const policy = spec.policy ?? (bundled ? BUNDLED_SEARCH.policy : 'enumerator');
  const withBundledPolicy = bundled && policy === BUNDLED_SEARCH.policy;
  const scorer = spec.scorer ?? (withBundledPolicy ? BUNDLED_SEARCH.scorer : task.exactLabel ? 'exact' : 'likelihood');
  const config = { ...(spec.config ?? {}) };
  if (withBundledPolicy && config.k === undefined && 'k' in defaultConfig(spec.algorithm)) config.k = BUNDLED_SEARCH.k;
  return { ...spec, policy, scorer, config };
}
