/**
 * Compact batches of nodes and stats for the writer thread: numbers packed into one Float64Array
 * (transferred, not copied), texts in a plain array. Encoding costs the search thread far less
 * than cloning node objects. null is NaN; absent stats fields are flagged.
 */
import type { NewNode, NodeStats } from '../../store/node-writer';

const NODE_NUMS = 15;
const STAT_NUMS = 8;

export interface EncodedNodes {
  count: number;
  nums: Float64Array;
  /** stepText and state, two per node. */
  texts: (string | null)[];
}

export interface EncodedStats {
  count: number;
  nums: Float64Array;
}

const num = (x: number | null | undefined): number => (x === null || x === undefined ? NaN : x);
const back = (x: number): number | null => (Number.isNaN(x) ? null : x);

export class NodeEncoder {
  private nums = new Float64Array(NODE_NUMS * 512);
  private texts: (string | null)[] = [];
  count = 0;

  add(n: NewNode): void {
    if ((this.count + 1) * NODE_NUMS > this.nums.length) {
      const bigger = new Float64Array(this.nums.length * 2);
      bigger.set(this.nums);
      this.nums = bigger;
    }
    const a = this.nums;
    const o = this.count * NODE_NUMS;
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
    this.texts.push(n.stepText, n.state ?? null);
    this.count++;
  }

  /** The batch so far (its buffer is handed over); the encoder starts empty. */
  take(): EncodedNodes {
    const out = { count: this.count, nums: this.nums, texts: this.texts };
    this.nums = new Float64Array(NODE_NUMS * 512);
    this.texts = [];
    this.count = 0;
    return out;
  }
}

export function decodeNodes(e: EncodedNodes): NewNode[] {
  const out: NewNode[] = [];
  for (let i = 0; i < e.count; i++) {
    const a = e.nums;
    const o = i * NODE_NUMS;
    const outcome = a[o + 13]!;
    out.push({
      seq: a[o]!,
      parentSeq: back(a[o + 1]!),
      depth: a[o + 2]!,
      expansion: a[o + 3]!,
      stepText: e.texts[2 * i] ?? '',
      state: e.texts[2 * i + 1] ?? null,
      tokenCount: back(a[o + 4]!),
      logprob: back(a[o + 5]!),
      prior: back(a[o + 6]!),
      value: back(a[o + 7]!),
      visits: a[o + 8]!,
      q: back(a[o + 9]!),
      score: back(a[o + 10]!),
      isTerminal: a[o + 11] === 1,
      valid: a[o + 12] === 1,
      outcome: Number.isNaN(outcome) ? null : outcome === 1 ? 'correct' : 'incorrect',
      exactLabel: back(a[o + 14]!) as NewNode['exactLabel'],
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
    if (a[o + 2] === 1) s.q = back(a[o + 3]!);
    if (a[o + 4] === 1) s.value = back(a[o + 5]!);
    if (a[o + 6] === 1) s.score = back(a[o + 7]!);
    out.push(s);
  }
  return out;
}
