/**
 * Sampling search steps from a causal LM. One call proposes k children of a node: the node's
 * path is encoded once (or found in the tree-aware cache), its keys/values are tiled k times,
 * and the k continuations are decoded together as one batch, each stopping at the step
 * delimiter, at end-of-sequence or at a token limit. Each finished child's keys/values go back
 * into the cache, so expanding that child later feeds only its last token.
 */
import type { CausalLM, LmState } from './causal-lm';
import type { StepConstraint } from './constraint';
import type { TreeKvCache } from './kv-cache';
import { mixSeed, Rng, Sampler, type SamplingOptions } from './sampling';

export type StopReason = 'delimiter' | 'eos' | 'length' | 'context' | 'constraint';

export interface StepOptions extends SamplingOptions {
  /** Text that ends a step (not part of the returned text); null = only EOS and the limit. */
  delimiter: string | null;
  /** Most tokens in one step. */
  maxTokens: number;
  /** Row i draws from its own generator seeded with mixSeed(seed, i), so a row's step does not depend on its batch. */
  seed: number;
  /** Task-constrained decoding hook; null or absent = unconstrained. */
  constraint?: StepConstraint | null;
  /** Checked between forward passes: an aborted run stops generating. */
  signal?: AbortSignal;
}

export interface SampledStep {
  /** Step text, cut before the delimiter. */
  text: string;
  /** Every sampled token, the delimiter or EOS token included: the child's path is the parent's plus these. */
  tokenIds: number[];
  /** Sum of log p(token) under the model (temperature 1): the step's prior for MCTS. */
  logprob: number;
  /** log p of each token in `tokenIds`. */
  tokenLogprobs: number[];
  stop: StopReason;
}

interface Row {
  index: number;
  ids: number[];
  logprobs: number[];
  logprob: number;
  text: string;
}

export class StepGenerator {
  constructor(
    readonly lm: CausalLM,
    /** null re-encodes each node's path before expanding it (the baseline the cache is measured against). */
    readonly cache: TreeKvCache | null,
    /**
     * false encodes the path once per sampled row, as generate() with num_return_sequences does
     * (a second baseline); true (default) encodes it once and tiles its keys/values.
     */
    readonly shareSiblingPrefill = true,
  ) {}

  /** Proposes `k` continuations of the token path `prefix`, decoded as one batch. */
  sampleSteps(prefix: readonly number[], k: number, options: StepOptions): Promise<SampledStep[]> {
    if (!(k >= 1)) throw new Error(`k must be at least 1, got ${k}`);
    return this.sampleRows(prefix, Array.from({ length: k }, (_, i) => mixSeed(options.seed, i)), options);
  }

  /** One continuation of `prefix` per seed, decoded as one batch (options.seed is unused). */
  async sampleRows(prefix: readonly number[], seeds: readonly number[], options: StepOptions): Promise<SampledStep[]> {
    if (prefix.length === 0) throw new Error('cannot sample a step after an empty path: give the prompt (or a BOS token)');
    const k = seeds.length;
    const rngs = seeds.map((s) => new Rng(s));
    const lm = this.lm;
    const eos = new Set(lm.tokenizer.eosTokenIds);
    const pieces = options.constraint ? lm.tokenizer.tokenPieces() : null;
    // The batch starts as k copies of the parent's state (or k separate encodings of it).
    const start = !this.shareSiblingPrefill && !this.cache && k > 1 ? await this.encodeRows(prefix, k) : await this.encode(prefix);

    const rows: Row[] = Array.from({ length: k }, (_, index) => ({ index, ids: [], logprobs: [], logprob: 0, text: '' }));
    const results: (SampledStep | null)[] = new Array(k).fill(null);
    let active = rows;
    /** Batch row of each active row (finished rows may stay in a static-layout batch: see below). */
    let slots = rows.map((_, i) => i);
    let state: LmState | null = start.state.rows === k && k > 1 ? start.state : null; // null until tiled
    let logits: Float32Array[] = start.logits.length === k ? start.logits : Array.from({ length: k }, () => start.logits[0]!);

    for (;;) {
      options.signal?.throwIfAborted();
      const next: number[] = [];
      const stillActive: Row[] = [];
      const keep: number[] = [];
      for (let j = 0; j < active.length; j++) {
        const row = active[j]!;
        const slot = slots[j]!;
        const rowLogits = logits[slot]!;
        const allowed = options.constraint ? this.mask(options.constraint(row.text), pieces!, eos) : null;
        const id = this.sampler.sample(rowLogits, options, rngs[row.index]!, allowed);
        const finish = (stop: StopReason) => {
          results[row.index] = { text: row.text, tokenIds: row.ids, logprob: row.logprob, tokenLogprobs: row.logprobs, stop };
          if (state && this.cache) this.remember(lm.rowState(state, slot));
        };
        if (id < 0) {
          finish('constraint');
          continue;
        }
        const logprob = this.sampler.logprob;
        row.ids.push(id);
        row.logprob += logprob;
        row.logprobs.push(logprob);
        if (eos.has(id)) {
          finish('eos');
          continue;
        }
        const decoded = lm.tokenizer.decode(row.ids);
        const at = options.delimiter ? decoded.indexOf(options.delimiter) : -1;
        row.text = at >= 0 ? decoded.slice(0, at) : decoded;
        if (at >= 0) finish('delimiter');
        else if (row.ids.length >= options.maxTokens) finish('length');
        else if (prefix.length + row.ids.length >= lm.contextLength) finish('context');
        else {
          stillActive.push(row);
          keep.push(slot);
          next.push(id);
        }
      }
      if (stillActive.length === 0) break;
      // A static-layout buffer gets room for the whole step at once. Finished rows leave the batch
      // (a copy of the rest), except that a static-layout batch keeps them while most rows are
      // live: they are fed a filler token and never written again, so their cached views stay valid.
      if (!state) {
        state = lm.selectRows(start.state, keep.map(() => 0), undefined, options.maxTokens);
        slots = keep.map((_, i) => i);
      } else if (keep.length < state.rows && !(lm.signature.kvMode === 'static' && keep.length * 2 > state.rows)) {
        state = lm.selectRows(state, keep, undefined, state.kv ? state.kv.capacity - state.kv.length : 0);
        slots = keep.map((_, i) => i);
      } else {
        slots = keep;
      }
      active = stillActive;
      const fed = Array.from({ length: state.rows }, () => [next[0]!]);
      slots.forEach((slot, j) => (fed[slot] = [next[j]!]));
      const out = await lm.extend(state, fed);
      state = out.state;
      logits = out.logits;
    }
    return results as SampledStep[];
  }

  /** The prefix encoded in each of `k` rows (no sharing, no cache): the generate() baseline. */
  private async encodeRows(prefix: readonly number[], k: number): Promise<{ state: LmState; logits: Float32Array[] }> {
    return this.lm.extend(this.lm.emptyState(k), Array.from({ length: k }, () => [...prefix]));
  }

  /** State after `prefix` and its next-token logits, from the cache where possible. */
  private async encode(prefix: readonly number[]): Promise<{ state: LmState; logits: Float32Array[] }> {
    const hit = this.cache && this.lm.hasKvCache ? this.cache.lookup(prefix) : null;
    if (hit && hit.tokens.length === prefix.length && hit.nextLogits) return { state: hit.state, logits: [hit.nextLogits] };
    const base = hit ? hit.state : this.lm.emptyState(1);
    const out = await this.lm.extend(base, [prefix.slice(base.tokens[0]!.length)]);
    const logits = out.logits[0]!.slice();
    this.remember(out.state, logits);
    return { state: out.state, logits: [logits] };
  }

  private remember(state: LmState, nextLogits: Float32Array | null = null): void {
    if (this.cache && state.kv) this.cache.store(state, nextLogits);
  }

  /** The allowed tokens of one row at one step, in a buffer reused for every row (it is used before the next is built). */
  private mask(filter: ReturnType<StepConstraint>, pieces: readonly string[], eos: ReadonlySet<number>): Uint8Array | null {
    if (!filter) return null;
    if (this.allowed.length !== this.lm.vocabSize) this.allowed = new Uint8Array(this.lm.vocabSize);
    const allowed = this.allowed.fill(0);
    for (const id of eos) if (id < allowed.length && filter('', true)) allowed[id] = 1;
    if (filter.continuations) {
      // Only pieces sharing a first character with a continuation can match it either way.
      const index = this.pieceIndex(pieces);
      for (const c of filter.continuations) {
        for (const id of index.get(c[0] ?? '') ?? []) {
          const p = pieces[id]!;
          if (c.startsWith(p) || p.startsWith(c)) allowed[id] = 1;
        }
      }
      return allowed;
    }
    for (let id = 0; id < pieces.length; id++) if (!eos.has(id) && filter(pieces[id]!, false)) allowed[id] = 1;
    return allowed;
  }

  private byFirstChar: Map<string, number[]> | null = null;
  private allowed = new Uint8Array(0);
  /** One sampler for every row: its buffers are reused, no allocation per token. */
  private readonly sampler = new Sampler();

  private pieceIndex(pieces: readonly string[]): Map<string, number[]> {
    if (!this.byFirstChar) {
      this.byFirstChar = new Map();
      pieces.forEach((p, id) => {
        if (p.length === 0) return;
        const list = this.byFirstChar!.get(p[0]!);
        if (list) list.push(id);
        else this.byFirstChar!.set(p[0]!, [id]);
      });
    }
    return this.byFirstChar;
  }
}
