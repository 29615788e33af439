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
 * Samples tokens from logits without allocating per token: temperature, top-k, top-p, the
 * constraint mask and the model's own log-probability in two passes over the vocabulary (the
 * maximum and the allowed tokens, then one exp per token for the normalizer), with the sampling
 * weights of the allowed tokens only. One Sampler serves every row of a batch in turn (its
 * buffers are reused); it draws exactly the tokens the straightforward version drew for a seed
 * (tests/fixtures/sampling-reference.ts): same weights, summed and walked in index order.
 */
export class Sampler {
  /** exp(logit - max) of every token, kept when they double as sampling weights. */
  private exps = new Float64Array(0);
  /** Candidate token ids (allowed ones, in index order; or by likelihood when truncating). */
  private ids = new Int32Array(0);
  /** Sampling weights of the candidates, in their order. */
  private weights = new Float64Array(0);
  /** log p of the last sampled token under the model itself (temperature 1, no truncation, no mask). */
  logprob = 0;

  /** A token id, or -1 when `allowed` allows none; its log-probability is left in `logprob`. */
  sample(logits: Float32Array, options: SamplingOptions, rng: Rng, allowed: Uint8Array | null = null): number {
    const temperature = options.temperature ?? 1;
    const v = logits.length;
    this.reserve(v);
    const ids = this.ids;
    // Pass 1: the maximum over the vocabulary, the most likely allowed token, the allowed ids.
    let best = -1;
    let bestLogit = Number.NEGATIVE_INFINITY;
    let max = Number.NEGATIVE_INFINITY;
    let n = 0;
    for (let i = 0; i < v; i++) {
      const l = logits[i]!;
      if (l > max) max = l;
      if (allowed && !allowed[i]) continue;
      if (allowed) ids[n++] = i;
      if (best < 0 || l > bestLogit) (best = i), (bestLogit = l);
    }
    if (best < 0) return -1;
    if (!allowed) n = v;
    const topK = options.topK ?? 0;
    const topP = options.topP ?? 1;
    const truncated = (topK > 0 && topK < v) || topP < 1;
    // Pass 2: one exp per token gives the normalizer and, at temperature 1, the sampling weights too.
    const reuse = temperature === 1 && !truncated;
    const exps = this.exps;
    let sum = 0;
    if (reuse) {
      for (let i = 0; i < v; i++) sum += exps[i] = Math.exp(logits[i]! - max);
    } else {
      for (let i = 0; i < v; i++) sum += Math.exp(logits[i]! - max);
    }
    const normalizer = max + Math.log(sum);
    let id = best;
    if (temperature > 0) {
      if (reuse) id = this.drawFrom(allowed ? ids : null, n, (i) => exps[i]!, rng, best);
      else if (truncated) id = this.drawTruncated(logits, allowed ? ids : null, n, bestLogit, temperature, topK, topP, rng);
      else id = this.drawFrom(allowed ? ids : null, n, (i) => Math.exp((logits[i]! - bestLogit) / temperature), rng, best);
    }
    this.logprob = logits[id]! - normalizer;
    return id;
  }

  private reserve(v: number): void {
    if (this.exps.length >= v) return;
    this.exps = new Float64Array(v);
    this.ids = new Int32Array(v);
    this.weights = new Float64Array(v);
  }

  /** Draws among candidates (ids[0..n), or tokens 0..n) in index order, in proportion to weight(id). */
  private drawFrom(ids: Int32Array | null, n: number, weight: (id: number) => number, rng: Rng, fallback: number): number {
    const w = this.weights;
    let total = 0;
    for (let j = 0; j < n; j++) total += w[j] = weight(ids ? ids[j]! : j);
    const chosen = draw(w, n, total, rng, -1);
    return chosen < 0 ? fallback : ids ? ids[chosen]! : chosen;
  }

  /** Top-k / top-p: candidates by likelihood (ties to the lower id), weights tempered, the tail cut. */
  private drawTruncated(logits: Float32Array, allowed: Int32Array | null, n: number, top: number, temperature: number, topK: number, topP: number, rng: Rng): number {
    const ids = this.ids;
    if (!allowed) for (let i = 0; i < n; i++) ids[i] = i;
    const before = (a: number, b: number) => logits[b]! - logits[a]! || a - b;
    let count = n;
    if (topK > 0 && topK < n) count = selectBest(ids, n, topK, before);
    else ids.subarray(0, n).sort(before);
    const w = this.weights;
    let all = 0;
    for (let j = 0; j < count; j++) all += w[j] = Math.exp((logits[ids[j]!]! - top) / temperature);
    let keep = count;
    let total = all;
    if (topP < 1) {
      let cum = 0;
      for (let j = 0; j < count; j++) {
        cum += w[j]!;
        if (cum >= topP * all) {
          keep = j + 1;
          total = cum;
          break;
        }
      }
    }
    return ids[draw(w, keep, total, rng, 0)]!;
  }
}

/**
 * Moves the `k` first of ids[0..n) under `before` to ids[0..k), in that order (a bounded insertion
 * sort: k is small next to the vocabulary); returns k.
 */
function selectBest(ids: Int32Array, n: number, k: number, before: (a: number, b: number) => number): number {
  let size = 0;
  for (let j = 0; j < n; j++) {
    const id = ids[j]!;
    if (size === k && before(id, ids[k - 1]!) >= 0) continue;
    let at = size < k ? size++ : k - 1;
    while (at > 0 && before(id, ids[at - 1]!) < 0) {
      ids[at] = ids[at - 1]!;
      at--;
    }
    ids[at] = id;
  }
  return k;
}

/** Index in [0, n) drawn in proportion to weights (zeros never drawn); `fallback` if none is. */
function draw(weights: Float64Array, n: number, total: number, rng: Rng, fallback: number): number {
  let u = rng.next() * total;
  let last = fallback;
  for (let i = 0; i < n; i++) {
    const w = weights[i]!;
    if (w === 0) continue;
    last = i;
    u -= w;
    if (u < 0) return i;
  }
  return last;
}

const shared = new Sampler();

/**
 * Samples one token (a Sampler shared by the thread; sampling is synchronous). `allowed` (when
 * given) marks the only tokens that may be chosen; returns null when it allows none. The reported
 * log-probability is the model's own (temperature 1, over the whole vocabulary).
 */
export function sampleToken(logits: Float32Array, options: SamplingOptions, rng: Rng, allowed: Uint8Array | null = null): SampledToken | null {
  const id = shared.sample(logits, options, rng, allowed);
  return id < 0 ? null : { id, logprob: shared.logprob };
}
