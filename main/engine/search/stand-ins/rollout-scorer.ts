/**
 * Monte-Carlo value of a path prefix: the fraction of policy rollouts from it that end correct
 * (Math-Shepherd's soft estimate, OmegaPRM's MC(s)). Rollouts of all requests advance in
 * lockstep, so each step is one batched policy call.
 */
import { hash32 } from '../../tasks/random';
import { ProviderError } from '../../providers/provider-set';
import type { CallOptions, PathQuery, Policy, Scorer } from '../types';

interface Walk {
  request: PathQuery;
  rollout: number;
  steps: string[];
  logprobs: (number | null)[];
  state: unknown;
  depth: number;
  value: number | null;
}

export class RolloutScorer implements Scorer {
  readonly name: string;

  constructor(
    private readonly policy: Policy,
    private readonly rollouts = 4,
    private readonly maxSteps = 64,
  ) {
    if (!Number.isInteger(rollouts) || rollouts < 1 || rollouts > 1024) {
      throw new ProviderError(`rollout count must be a whole number from 1 to 1024, got ${rollouts}`);
    }
    this.name = `rollout:${rollouts}`;
  }

  async score(requests: readonly PathQuery[], options?: CallOptions): Promise<number[]> {
    const walks: Walk[] = requests.flatMap((request) =>
      Array.from({ length: this.rollouts }, (_, rollout) => ({
        request,
        rollout,
        steps: [...request.steps],
        logprobs: [...request.logprobs],
        state: request.state,
        depth: 0,
        value: request.task.isTerminal(request.state) ? this.terminalValue(request, request.state) : null,
      })),
    );
    let active = walks.filter((w) => w.value === null);
    while (active.length > 0) {
      options?.signal?.throwIfAborted();
      const proposals = await this.policy.propose(
        active.map((w) => ({
          ...w.request,
          steps: w.steps,
          logprobs: w.logprobs,
          state: w.state,
          k: 1,
          seed: hash32(w.request.seed, 'rollout', w.rollout, w.depth),
        })),
        options,
      );
      active.forEach((w, i) => {
        const step = proposals[i]?.[0];
        if (!step) return void (w.value = 0);
        const next = w.request.task.applyStep(w.state, step.text);
        if (!next.valid) return void (w.value = 0);
        w.state = next.state;
        w.steps.push(step.text);
        w.logprobs.push(step.logprob);
        w.depth++;
        if (w.request.task.isTerminal(w.state)) w.value = this.terminalValue(w.request, w.state);
        else if (w.depth >= this.maxSteps) w.value = 0;
      });
      active = active.filter((w) => w.value === null);
    }
    return requests.map((_, r) => {
      const mine = walks.slice(r * this.rollouts, (r + 1) * this.rollouts);
      return mine.reduce((s, w) => s + (w.value ?? 0), 0) / this.rollouts;
    });
  }

  private terminalValue(request: PathQuery, state: unknown): number {
    return request.task.outcome(state, request.problem) === 'correct' ? 1 : 0;
  }
}
