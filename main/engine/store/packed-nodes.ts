/**
 * Compact batches of nodes and stats for the writer thread: every number of a node packed into
 * one Float64Array and all its texts concatenated into one string, so posting a batch copies one
 * block of numbers and one string instead of cloning thousands of objects. null is NaN; absent stats
 * fields are flagged. The search thread packs (NodeEncoder, search/writer/threaded-sink.ts); the
 * store's PackedNodeWriter reads the columns in place (packed-node-writer.ts); decodeNodes is the
 * format's reference reader.
 */
import type { NewNode, NodeStats } from './node-writer';

/** Column of each number within a node's slot. */
export const N = {
  seq: 0,
  parentSeq: 1,
  depth: 2,
  expansion: 3,
  tokenCount: 4,
  logprob: 5,
  prior: 6,
  value: 7,
  visits: 8,
  q: 9,
  score: 10,
  isTerminal: 11,
  valid: 12,
  /** 1 correct, 0 incorrect, NaN none. */
  outcome: 13,
  exactLabel: 14,
  /** Length of stepText within the batch's text. */
  stepLength: 15,
  /** Length of state within the batch's text; -1 for null. */
  stateLength: 16,
} as const;
export const NODE_NUMS = 17;
const STAT_NUMS = 8;
const FIRST_CAPACITY = 512;

export interface EncodedNodes {
  count: number;
  nums: Float64Array;
  /** stepText then state of every node, in order, concatenated. */
  text: string;
}

export interface EncodedStats {
  count: number;
  nums: Float64Array;
}

const num = (x: number | null | undefined): number => (x === null || x === undefined ? NaN : x);
export const orNull = (x: number): number | null => (Number.isNaN(x) ? null : x);

export class NodeEncoder {
  private nums = new Float64Array(NODE_NUMS * FIRST_CAPACITY);
  /** Texts of the batch, joined on take: a flat string clones far faster than a rope of += pieces. */
  private texts: string[] = [];
  count = 0;

  add(n: NewNode): void {
    if ((this.count + 1) * NODE_NUMS > this.nums.length) {
      const bigger = new Float64Array(this.nums.length * 2);
      bigger.set(this.nums);
      this.nums = bigger;
    }
    const a = this.nums;
    const o = this.count * NODE_NUMS;
    const state = n.state ?? null;
    a[o] = n.seq;
    a[o + 1] = num(n.parentSeq);
    a[o + 2] = n.depth;
    a[o + 3] = n.expansion;
    a[o + 4] = num(n.tokenCount);
    a[o + 5] = num(n.logprob);
    a[o + 6] = num(n.prior);
    a[o + 7] = num(n.value);
    a[o + 8] = n.visits ?? 0;
    a[o + 9] = num(n.q);
    a[o + 10] = num(n.score);
    a[o + 11] = n.isTerminal ? 1 : 0;
    a[o + 12] = n.valid === false ? 0 : 1;
    a[o + 13] = n.outcome === 'correct' ? 1 : n.outcome === 'incorrect' ? 0 : NaN;
    a[o + 14] = num(n.exactLabel);
    a[o + 15] = n.stepText.length;
    a[o + 16] = state === null ? -1 : state.length;
    this.texts.push(n.stepText);
    if (state !== null) this.texts.push(state);
    this.count++;
  }

  /**
   * The batch so far, and the encoder starts empty. Its numbers are a view of the encoder's own
   * buffer, reused for the next batch: post it (postMessage copies it) or copy it at once. Reusing
   * one buffer keeps the search thread from allocating a fresh one per batch, which V8 counts as
   * external memory and answers with extra garbage collections.
   */
  take(): EncodedNodes {
    const out = { count: this.count, nums: this.nums.subarray(0, this.count * NODE_NUMS), text: this.texts.join('') };
    this.texts = [];
    this.count = 0;
    return out;
  }
}

/** Walks a batch's texts: call next() once per node, in order. */
export class TextCursor {
  private at = 0;
  stepText = '';
  state: string | null = null;

  constructor(private readonly batch: EncodedNodes) {}

  next(i: number): void {
    const { nums, text } = this.batch;
    const o = i * NODE_NUMS;
    const stepEnd = this.at + nums[o + N.stepLength]!;
    this.stepText = text.slice(this.at, stepEnd);
    const stateLength = nums[o + N.stateLength]!;
    this.state = stateLength < 0 ? null : text.slice(stepEnd, stepEnd + stateLength);
    this.at = stepEnd + Math.max(0, stateLength);
  }
}

export const outcomeOf = (x: number): NewNode['outcome'] => (Number.isNaN(x) ? null : x === 1 ? 'correct' : 'incorrect');

export function decodeNodes(e: EncodedNodes): NewNode[] {
  const out: NewNode[] = [];
  const texts = new TextCursor(e);
  for (let i = 0; i < e.count; i++) {
    const a = e.nums;
    const o = i * NODE_NUMS;
    texts.next(i);
    out.push({
      seq: a[o]!,
      parentSeq: orNull(a[o + 1]!),
      depth: a[o + 2]!,
      expansion: a[o + 3]!,
      stepText: texts.stepText,
      state: texts.state,
      tokenCount: orNull(a[o + 4]!),
      logprob: orNull(a[o + 5]!),
      prior: orNull(a[o + 6]!),
      value: orNull(a[o + 7]!),
      visits: a[o + 8]!,
      q: orNull(a[o + 9]!),
      score: orNull(a[o + 10]!),
      isTerminal: a[o + 11] === 1,
      valid: a[o + 12] === 1,
      outcome: outcomeOf(a[o + 13]!),
      exactLabel: orNull(a[o + 14]!) as NewNode['exactLabel'],
    });
  }
  return out;
}

export function encodeStats(stats: Iterable<NodeStats>, count: number): EncodedStats {
  const a = new Float64Array(count * STAT_NUMS);
  let i = 0;
  for (const s of stats) {
    const o = i++ * STAT_NUMS;
    a[o] = s.seq;
    a[o + 1] = s.visits ?? NaN;
    a[o + 2] = s.q !== undefined ? 1 : 0;
    a[o + 3] = num(s.q);
    a[o + 4] = s.value !== undefined ? 1 : 0;
    a[o + 5] = num(s.value);
    a[o + 6] = s.score !== undefined ? 1 : 0;
    a[o + 7] = num(s.score);
  }
  return { count, nums: a };
}

export function decodeStats(e: EncodedStats): NodeStats[] {
  const out: NodeStats[] = [];
  for (let i = 0; i < e.count; i++) {
    const a = e.nums;
    const o = i * STAT_NUMS;
    const s: NodeStats = { seq: a[o]! };
    if (!Number.isNaN(a[o + 1]!)) s.visits = a[o + 1]!;
    if (a[o + 2] === 1) s.q = orNull(a[o + 3]!);
    if (a[o + 4] === 1) s.value = orNull(a[o + 5]!);
    if (a[o + 6] === 1) s.score = orNull(a[o + 7]!);
    out.push(s);
  }
  return out;
}
