/**
 * What a search algorithm needs from a model, kept independent of how the model runs: a Policy
 * proposes next steps, a Scorer scores path prefixes. Both take batches (an ONNX model or an HTTP
 * endpoint answers many paths in one call) and are async. An algorithm never knows which
 * implementation it talks to.
 */
import type { Problem } from '../../../common/domain';
import type { Task } from '../tasks/types';

/** One path a search asks about: the steps from the root and the state they reach. */
export interface PathQuery {
  task: Task;
  problem: Problem;
  /** Step texts from the root, in order (`pathText` in ../tasks/text.ts renders the model text). */
  steps: readonly string[];
  /** The policy's log-probability of each step, null where unknown. */
  logprobs: readonly (number | null)[];
  /** The task state after the steps. */
  state: unknown;
  /**
   * A seed for this request alone, derived from the run seed and the node. Anything stochastic
   * (sampling, rollouts) must draw from it, so results do not depend on how requests are batched.
   */
  seed: number;
}

export interface ProposeRequest extends PathQuery {
  /** How many next steps to propose at most (distinct texts are best; duplicates are merged). */
  k: number;
}

export interface Proposal {
  /** The step text, without the step delimiter. */
  text: string;
  /** Log-probability of the whole step under the policy (sum over its tokens). */
  logprob: number;
  /** Tokens the step took, when the policy counts them. */
  tokenCount?: number;
}

export interface CallOptions {
  /** Aborted when the run is cancelled; long calls should stop and reject. */
  signal?: AbortSignal;
}

export interface Policy {
  /** Stored on the run (e.g. `enumerator`, `onnx:models/tiny`). */
  readonly name: string;
  /**
   * Calls wait on a model server rather than on this thread's CPU, so a batch keeps many runs
   * going at once to overlap them (runBatch); local policies run one search at a time.
   */
  readonly remote?: boolean;
  /** For each request, in order, up to `k` proposals, most likely first. */
  propose(requests: readonly ProposeRequest[], options?: CallOptions): Promise<Proposal[][]>;
  /** Releases sessions, connections, workers. */
  close?(): void | Promise<void>;
}

export interface Scorer {
  readonly name: string;
  /** Calls wait on a model server (a served PRM, a judge): as Policy.remote. */
  readonly remote?: boolean;
  /** For each path, in order, a score in [0, 1]: how likely the path leads to a correct answer. */
  score(requests: readonly PathQuery[], options?: CallOptions): Promise<number[]>;
  close?(): void | Promise<void>;
}

/** What a provider factory gets: the run's task and seed, and the policy (for rollout-style scorers). */
export interface ProviderContext {
  task: Task;
  seed: number;
}

export type PolicyFactory = (arg: string | undefined, ctx: ProviderContext) => Policy | Promise<Policy>;
export type ScorerFactory = (
  arg: string | undefined,
  ctx: ProviderContext & { policy: Policy },
) => Scorer | Promise<Scorer>;
