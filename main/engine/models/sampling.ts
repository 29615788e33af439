/**
 * Choosing one token from next-token logits: temperature, top-k, top-p and an optional mask,
 * with a seeded generator so a run is reproducible from its seed.
 */

/** Small fast seeded generator (mulberry32): uniform numbers in [0, 1). */
export class Rng {
  private s: number;
  constructor(seed: number) {
    this.s = (Math.trunc(seed) ^ 0x9e3779b9) >>> 0;
  }
  next(): number {
    let t = (this.s = (this.s + 0x6d2b79f5) >>> 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
}

/** Mixes numbers into one 32-bit seed (e.g. a run's seed and a node's position). */
export function mixSeed(...parts: number[]): number {
  let h = 0x811c9dc5;
  for (const p of parts) {
    h = Math.imul(h ^ (p >>> 0), 0x01000193) >>> 0;
    h = Math.imul(h ^ Math.floor(p / 4294967296), 0x01000193) >>> 0;
  }
  return h;
}

export interface SamplingOptions {
  /** 0 picks the most likely token; default 1. */
  temperature?: number;
  /** Keep only the k most likely tokens; 0 = all. */
  topK?: number;
  /** Keep the smallest set of tokens whose probability reaches p; 1 = all. */
  topP?: number;
}

export interface SampledToken {
  id: number;
  /** log p(token) under the model itself (temperature 1, no truncation, no mask). */
  logprob: number;
}

/** log-sum-exp of the logits, the normalizer of the model's own distribution. */
export function logSumExp(logits: ArrayLike<number>): number {
  let max = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < logits.length; i++) if (logits[i]! > max) max = logits[i]!;
  let sum = 0;
  for (let i = 0; i < logits.length; i++) sum += Math.exp(logits[i]! - max);
  return max + Math.log(sum);
}

/**
 * Samples a token. `allowed` (when given) marks the only tokens that may be chosen; returns null
 * when it allows none. `normalizer` is logSumExp(logits) when the caller already has it.
 */
export function sampleToken(
  logits: Float32Array,
  options: SamplingOptions,
  rng: Rng,
  allowed: Uint8Array | null = null,
  normalizer = logSumExp(logits),
): SampledToken | null {
  const temperature = options.temperature ?? 1;
  const v = logits.length;
  let candidates: number[] = [];
  for (let i = 0; i < v; i++) if (!allowed || allowed[i]) candidates.push(i);
  if (candidates.length === 0) return null;
  const pick = (id: number): SampledToken => ({ id, logprob: logits[id]! - normalizer });
  if (temperature <= 0) {
    let best = candidates[0]!;
    for (const i of candidates) if (logits[i]! > logits[best]!) best = i;
    return pick(best);
  }
  const topK = options.topK ?? 0;
  const topP = options.topP ?? 1;
  if ((topK > 0 && topK < candidates.length) || topP < 1) {
    candidates.sort((a, b) => logits[b]! - logits[a]! || a - b);
    if (topK > 0) candidates = candidates.slice(0, topK);
  }
  let max = Number.NEGATIVE_INFINITY;
  for (const i of candidates) max = Math.max(max, logits[i]!);
  const weights = candidates.map((i) => Math.exp((logits[i]! - max) / temperature));
  let total = weights.reduce((a, b) => a + b, 0);
  if (topP < 1) {
    let cum = 0;
    let keep = candidates.length;
    for (let j = 0; j < weights.length; j++) {
      cum += weights[j]!;
      if (cum >= topP * total) {
        keep = j + 1;
        break;
      }
    }
    candidates = candidates.slice(0, keep);
    weights.length = keep;
    total = weights.reduce((a, b) => a + b, 0);
  }
  let u = rng.next() * total;
  for (let j = 0; j < candidates.length; j++) {
    u -= weights[j]!;
    if (u < 0) return pick(candidates[j]!);
  }
  return pick(candidates[candidates.length - 1]!);
}
