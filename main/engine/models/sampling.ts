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
 * when it allows none. The reported log-probability is the model's own (temperature 1, over
 * the whole vocabulary), computed in the same passes as the sampling weights.
 */
export function sampleToken(logits: Float32Array, options: SamplingOptions, rng: Rng, allowed: Uint8Array | null = null): SampledToken | null {
  const temperature = options.temperature ?? 1;
  const v = logits.length;
  let best = -1;
  let max = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < v; i++) {
    const l = logits[i]!;
    if (l > max) max = l;
    if ((!allowed || allowed[i]) && (best < 0 || l > logits[best]!)) best = i;
  }
  if (best < 0) return null;
  const topK = options.topK ?? 0;
  const topP = options.topP ?? 1;
  const truncated = (topK > 0 && topK < v) || topP < 1;
  // One exp per token gives the normalizer and, at temperature 1, the sampling weights too.
  const reuse = temperature === 1 && !truncated;
  const weights = reuse ? scratchWeights(v) : null;
  let sum = 0;
  let total = 0;
  for (let i = 0; i < v; i++) {
    const e = Math.exp(logits[i]! - max);
    sum += e;
    if (weights && (!allowed || allowed[i])) {
      weights[i] = e;
      total += e;
    }
  }
  const normalizer = max + Math.log(sum);
  const pick = (id: number): SampledToken => ({ id, logprob: logits[id]! - normalizer });
  if (temperature <= 0) return pick(best);
  if (weights) return pick(draw(weights, total, rng, best));
  const top = logits[best]!;
  if (truncated) {
    // Truncation needs the candidates in order of likelihood.
    let candidates: number[] = [];
    for (let i = 0; i < v; i++) if (!allowed || allowed[i]) candidates.push(i);
    candidates.sort((a, b) => logits[b]! - logits[a]! || a - b);
    if (topK > 0) candidates = candidates.slice(0, topK);
    let w = candidates.map((i) => Math.exp((logits[i]! - top) / temperature));
    if (topP < 1) {
      const all = w.reduce((a, b) => a + b, 0);
      let cum = 0;
      let keep = candidates.length;
      for (let j = 0; j < w.length; j++) {
        cum += w[j]!;
        if (cum >= topP * all) {
          keep = j + 1;
          break;
        }
      }
      candidates = candidates.slice(0, keep);
      w = w.slice(0, keep);
    }
    const chosen = draw(Float64Array.from(w), w.reduce((a, b) => a + b, 0), rng, 0);
    return pick(candidates[chosen]!);
  }
  const tempered = new Float64Array(v);
  let t = 0;
  for (let i = 0; i < v; i++) {
    if (allowed && !allowed[i]) continue;
    tempered[i] = Math.exp((logits[i]! - top) / temperature);
    t += tempered[i]!;
  }
  return pick(draw(tempered, t, rng, best));
}

let scratch = new Float64Array(0);

/** Zeroed sampling weights, one buffer reused by every call (sampling is synchronous): no allocation per token. */
function scratchWeights(v: number): Float64Array {
  if (scratch.length < v) scratch = new Float64Array(v);
  const w = scratch.subarray(0, v);
  w.fill(0);
  return w;
}

/** Index drawn in proportion to `weights` (zeros never drawn). */
function draw(weights: Float64Array, total: number, rng: Rng, fallback: number): number {
  let u = rng.next() * total;
  let last = fallback;
  for (let i = 0; i < weights.length; i++) {
    const w = weights[i]!;
    if (w === 0) continue;
    last = i;
    u -= w;
    if (u < 0) return i;
  }
  return last;
}
