/**
 * Scores a path by how much the policy liked it: the geometric mean probability of its steps.
 * Needs no extra model, so it is the fallback where no verifier or PRM exists.
 */
import type { PathQuery, Scorer } from '../types';

export class LikelihoodScorer implements Scorer {
  readonly name = 'likelihood';

  async score(requests: readonly PathQuery[]): Promise<number[]> {
    return requests.map((r) => {
      const known = r.logprobs.filter((lp): lp is number => lp !== null);
      if (known.length === 0) return r.steps.length === 0 ? 1 : 0.5;
      return Math.exp(known.reduce((s, lp) => s + lp, 0) / known.length);
    });
  }
}
