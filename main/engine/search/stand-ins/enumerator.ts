/**
 * A deterministic stand-in for a language model: proposes the task's legal steps (Countdown,
 * Game of 24), each with a fixed, seeded preference that acts as its log-probability. With k at
 * least the number of legal steps it returns them all, most preferred first; with fewer it
 * samples k without replacement (Gumbel top-k) from the request's seed, as a sampling LM would.
 */
import { hashUnit } from '../../tasks/random';
import { ProviderError } from '../../providers/provider-set';
import type { Policy, Proposal, ProposeRequest } from '../types';

/** Spread of the preference logits: the favourite step is at most e^3 (about 20) times likelier than the least. */
const SHARPNESS = 3;

function logSoftmax(logits: number[]): number[] {
  const max = Math.max(...logits);
  const lse = max + Math.log(logits.reduce((s, x) => s + Math.exp(x - max), 0));
  return logits.map((x) => x - lse);
}

export class EnumeratorPolicy implements Policy {
  readonly name: string;

  constructor(
    private readonly seed: number,
    private readonly temperature = 1,
  ) {
    if (!(temperature > 0) || !Number.isFinite(temperature)) {
      throw new ProviderError(`enumerator temperature must be a positive number, got ${temperature}`);
    }
    this.name = temperature === 1 ? 'enumerator' : `enumerator:${temperature}`;
  }

  async propose(requests: readonly ProposeRequest[]): Promise<Proposal[][]> {
    return requests.map((r) => this.proposeOne(r));
  }

  proposeOne(r: ProposeRequest): Proposal[] {
    const legal = r.task.legalSteps?.(r.state);
    if (!legal) throw new ProviderError(`the enumerator policy needs a task with legal steps; ${r.task.name} has none`);
    if (legal.length === 0 || r.k <= 0) return [];
    const where = r.task.describe(r.state);
    const logprobs = logSoftmax(legal.map((step) => (SHARPNESS * hashUnit(this.seed, where, step)) / this.temperature));
    let keys = logprobs;
    if (r.k < legal.length) {
      // Gumbel top-k: adding Gumbel noise and keeping the k largest samples without replacement.
      keys = logprobs.map((lp, i) => {
        const u = Math.min(Math.max(hashUnit(r.seed, legal[i]!), 1e-12), 1 - 1e-12);
        return lp - Math.log(-Math.log(u));
      });
    }
    const order = legal.map((_, i) => i).sort((a, b) => keys[b]! - keys[a]! || a - b);
    return order.slice(0, r.k).map((i) => ({ text: legal[i]!, logprob: logprobs[i]! }));
  }
}
