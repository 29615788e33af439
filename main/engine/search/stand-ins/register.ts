/** The stand-in policy and scorers every install has: the enumerator, exact, rollout and likelihood. */
import { ProviderError, type ProviderSet } from '../../providers/provider-set';
import { EnumeratorPolicy } from './enumerator';
import { ExactScorer } from './exact-scorer';
import { LikelihoodScorer } from './likelihood-scorer';
import { RolloutScorer } from './rollout-scorer';

function numberArg(kind: string, arg: string | undefined, fallback: number): number {
  if (arg === undefined || arg === '') return fallback;
  const n = Number(arg);
  if (!Number.isFinite(n)) throw new ProviderError(`${kind}: expected a number after ":", got "${arg}"`);
  return n;
}

export function registerStandInProviders(set: ProviderSet): void {
  set.registerPolicy(
    'enumerator',
    'Deterministic stand-in: the legal steps of countdown/game24 with a seeded preference (enumerator:T sets a temperature).',
    (arg, { seed }) => new EnumeratorPolicy(seed, numberArg('enumerator', arg, 1)),
    (arg, { task }) => {
      if (!task.legalSteps) {
        throw new ProviderError(`the enumerator policy needs a task with legal steps (countdown, game24), not ${task.name}; choose a model policy`);
      }
      if (!(numberArg('enumerator', arg, 1) > 0)) throw new ProviderError(`enumerator temperature must be positive, got "${arg}"`);
    },
  );

  set.registerScorer(
    'exact',
    'Exact solver: 1 while the target is still reachable, else 0 (countdown, game24).',
    (_arg, { task }) => new ExactScorer(task),
    (_arg, { task }) => {
      if (!task.exactLabel) throw new ProviderError(`the exact scorer needs a task with an exact solver (countdown, game24), not ${task.name}`);
    },
  );
  set.registerScorer(
    'rollout',
    'Monte-Carlo: fraction of policy rollouts that end correct (rollout:N for N rollouts, default 4).',
    (arg, { policy }) => new RolloutScorer(policy, numberArg('rollout', arg, 4)),
    (arg) => {
      const n = numberArg('rollout', arg, 4);
      if (!Number.isInteger(n) || n < 1 || n > 1024) throw new ProviderError(`rollout count must be a whole number from 1 to 1024, got "${arg}"`);
    },
  );
  set.registerScorer('likelihood', "The policy's own geometric-mean step probability along the path.", () => new LikelihoodScorer());
}
