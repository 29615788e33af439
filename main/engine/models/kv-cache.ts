/**
 * Tree-aware KV cache. Entries are keyed by the exact token sequence they hold keys and values
 * for, in a trie over token ids, so a child node finds its parent's (or its own) entry by walking
 * its path, and siblings all start from the same parent entry. No entry shares keys with its
 * parent: prefix sharing would make eviction unsafe (a child would pin its parent), and building
 * a batch copies the rows anyway. Entries may share arrays otherwise (static-layout siblings are
 * views on one batch buffer; an entry extended in place shares its parent step's buffer), so the
 * byte budget counts the distinct arrays the entries keep alive, each once. Least recently used
 * entries are evicted; a miss just means the generator re-encodes from the longest prefix held.
 */
import type { LmState } from './causal-lm';

export interface CacheEntry {
  /** Tokens whose keys/values the state holds. */
  tokens: number[];
  /** One-row state holding exactly `tokens`. */
  state: LmState;
  /** Next-token logits after `tokens`, when known: a hit then needs no forward pass at all. */
  nextLogits: Float32Array | null;
  /** Bytes of its own (logits, token ids); its keys/values are counted per array in `held`. */
  bytes: number;
  /** The distinct memory its keys/values live in. */
  arrays: ArrayBufferLike[];
}

interface TrieNode {
  children: Map<number, TrieNode>;
  parent: TrieNode | null;
  token: number;
  entry: CacheEntry | null;
}

export interface CacheStats {
  hits: number;
  misses: number;
  evictions: number;
  /** Tokens that did not need re-encoding thanks to a hit. */
  tokensReused: number;
  entries: number;
  bytes: number;
}

const newNode = (parent: TrieNode | null, token: number): TrieNode => ({ children: new Map(), parent, token, entry: null });

export class TreeKvCache {
  private readonly root = newNode(null, -1);
  /** Map iteration order is insertion order: re-inserting on use makes the first key the LRU. */
  private readonly lru = new Map<CacheEntry, TrieNode>();
  /** How many entries keep each array alive. */
  private readonly held = new Map<ArrayBufferLike, number>();
  private bytes = 0;
  readonly stats: Omit<CacheStats, 'entries' | 'bytes'> = { hits: 0, misses: 0, evictions: 0, tokensReused: 0 };

  constructor(readonly budgetBytes: number) {}

  /**
   * The longest held entry whose tokens are a prefix of `ids`: an entry of all of `ids` counts
   * only when it has next-token logits (otherwise at least one token must still be fed).
   */
  lookup(ids: readonly number[]): CacheEntry | null {
    let node = this.root;
    let best: CacheEntry | null = null;
    for (let i = 0; i < ids.length; i++) {
      const next = node.children.get(ids[i]!);
      if (!next) break;
      node = next;
      const e = node.entry;
      if (e && (i < ids.length - 1 || e.nextLogits)) best = e;
    }
    if (best) {
      this.touch(best);
      this.stats.hits += 1;
      this.stats.tokensReused += best.tokens.length;
    } else {
      this.stats.misses += 1;
    }
    return best;
  }

  /** Keeps a one-row state for its tokens (replacing an older entry for the same tokens). */
  store(state: LmState, nextLogits: Float32Array | null = null): void {
    if (!state.kv || state.rows !== 1) return;
    const tokens = state.tokens[0]!;
    const arrays = [...new Set(state.kv.layers.flatMap((l) => [l.key.buffer, l.value.buffer]))];
    const bytes = (nextLogits ? nextLogits.byteLength : 0) + tokens.length * 8;
    if (bytes + arrays.reduce((n, a) => n + a.byteLength, 0) > this.budgetBytes || tokens.length === 0) return;
    let node = this.root;
    for (const t of tokens) {
      let next = node.children.get(t);
      if (!next) {
        next = newNode(node, t);
        node.children.set(t, next);
      }
      node = next;
    }
    if (node.entry) {
      if (node.entry.nextLogits && !nextLogits) nextLogits = node.entry.nextLogits;
      this.remove(node.entry, node, false);
    }
    const entry: CacheEntry = { tokens, state, nextLogits, bytes, arrays };
    node.entry = entry;
    this.lru.set(entry, node);
    this.bytes += bytes;
    for (const a of arrays) {
      const n = this.held.get(a) ?? 0;
      if (n === 0) this.bytes += a.byteLength;
      this.held.set(a, n + 1);
    }
    while (this.bytes > this.budgetBytes) {
      const [oldest, at] = this.lru.entries().next().value as [CacheEntry, TrieNode];
      this.remove(oldest, at);
      this.stats.evictions += 1;
    }
  }

  has(ids: readonly number[]): boolean {
    let node: TrieNode | undefined = this.root;
    for (const t of ids) {
      node = node.children.get(t);
      if (!node) return false;
    }
    return node.entry !== null;
  }

  currentStats(): CacheStats {
    return { ...this.stats, entries: this.lru.size, bytes: this.bytes };
  }

  clear(): void {
    for (const [entry, node] of [...this.lru]) this.remove(entry, node);
  }

  private touch(entry: CacheEntry): void {
    const node = this.lru.get(entry)!;
    this.lru.delete(entry);
    this.lru.set(entry, node);
  }

  private remove(entry: CacheEntry, node: TrieNode, prune = true): void {
    this.lru.delete(entry);
    this.bytes -= entry.bytes;
    for (const a of entry.arrays) {
      const n = this.held.get(a)!;
      if (n === 1) {
        this.held.delete(a);
        this.bytes -= a.byteLength;
      } else {
        this.held.set(a, n - 1);
      }
    }
    node.entry = null;
    if (!prune) return;
    // Prune branches that no longer lead to any entry.
    let n: TrieNode | null = node;
    while (n?.parent && !n.entry && n.children.size === 0) {
      n.parent.children.delete(n.token);
      n = n.parent;
    }
  }
}
