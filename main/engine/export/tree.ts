/**
 * A loaded tree as exports walk it: children lists by node index, pruned subtrees removed, and
 * the path and leaf helpers every format shares. Node indices are positions in seq order.
 */
import type { ExportNode, LoadedTree } from './queries';

export class ExportTree {
  readonly nodes: ExportNode[];
  /** Children (indices, seq order) of each node, leaving out excluded (pruned) subtrees. */
  readonly children: number[][];
  /** Parent index of each node, -1 for a root. */
  readonly parent: Int32Array;
  /** 1 where a node is exported: not pruned and no pruned ancestor (unless pruned ones are kept). */
  readonly included: Uint8Array;
  /** Index of the root; -1 when the tree has no root or the root is pruned. */
  readonly root: number;
  private readonly indexById = new Map<number, number>();

  constructor(
    readonly source: LoadedTree,
    includePruned = false,
  ) {
    const nodes = source.nodes;
    this.nodes = nodes;
    this.parent = new Int32Array(nodes.length).fill(-1);
    this.included = new Uint8Array(nodes.length);
    this.children = nodes.map(() => []);
    let root = -1;
    nodes.forEach((n, i) => this.indexById.set(n.id, i));
    // Parents are created before their children, so one pass in seq order settles inclusion.
    for (let i = 0; i < nodes.length; i++) {
      const n = nodes[i]!;
      const p = n.parentId === null ? -1 : (this.indexById.get(n.parentId) ?? -1);
      this.parent[i] = p;
      const keep = includePruned || !n.pruned;
      if (p === -1) {
        if (n.parentId === null && root === -1 && keep) {
          root = i;
          this.included[i] = 1;
        }
        continue;
      }
      if (keep && this.included[p] === 1) {
        this.included[i] = 1;
        this.children[p]!.push(i);
      }
    }
    this.root = root;
  }

  get run() {
    return this.source.run;
  }

  get problem() {
    return this.source.problem;
  }

  indexOf(nodeId: number): number | undefined {
    return this.indexById.get(nodeId);
  }

  /** Number of exported nodes, root included. */
  get size(): number {
    let n = 0;
    for (const v of this.included) n += v;
    return n;
  }

  /** Exported leaves (no exported children), depth first in seq order; the bare root is no leaf. */
  leaves(): number[] {
    const out: number[] = [];
    if (this.root < 0) return out;
    const stack = [this.root];
    while (stack.length) {
      const i = stack.pop()!;
      const kids = this.children[i]!;
      if (kids.length === 0) {
        if (i !== this.root) out.push(i);
        continue;
      }
      for (let k = kids.length - 1; k >= 0; k--) stack.push(kids[k]!);
    }
    return out;
  }

  /** Steps from the root's first child down to `i` (the root is the problem, not a step). */
  path(i: number): number[] {
    const out: number[] = [];
    for (let at = i; at !== -1 && at !== this.root; at = this.parent[at]!) out.push(at);
    return out.reverse();
  }

  isGoal(i: number): boolean {
    const n = this.nodes[i]!;
    return n.isTerminal && n.outcome === 'correct';
  }

  /** Exported nodes other than the root, in seq order. */
  *steps(): Generator<number> {
    for (let i = 0; i < this.nodes.length; i++) if (this.included[i] === 1 && i !== this.root) yield i;
  }
}
