/**
 * One run's tree as the studio holds it in memory: nodes, structure, every annotator's labels and
 * branch ratings, kept current by API responses and contract events. Pure TypeScript (no React,
 * no DOM) so navigation and derived facts are unit-tested directly.
 */
import type { EventPayload } from '../../../common/contract';
import type { Annotation, BranchRating, FinishReason, Problem, Rating, Run, TreeNode } from '../../../common/domain';

export interface TreeData {
  run: Run;
  problem: Problem;
  nodes: TreeNode[];
  annotations: Annotation[];
  branchRatings: BranchRating[];
  /** Each annotator's finish reason (absent from old servers: then only run.finishReason is known). */
  finishReasons?: { annotator: string; reason: FinishReason }[];
}

/** What changed, so views redraw only what they must. */
export interface ModelChange {
  /** Nodes were added: visibility and layout must be recomputed. */
  structure?: boolean;
  /** Prune flags changed: greyed subtrees and edges must be redrawn. */
  prune?: boolean;
  /** Node ids whose own view changed (labels, stats). */
  nodeIds?: number[];
  /** Run fields changed (status, finish reason, counts). */
  run?: boolean;
  /** Everything may have changed. */
  all?: boolean;
}

export type StatsPatch = Pick<TreeNode, 'id' | 'visits' | 'q' | 'value' | 'score'>;

type Listener = (change: ModelChange) => void;

export class RunModel {
  run: Run;
  problem: Problem;
  readonly nodes = new Map<number, TreeNode>();
  readonly children = new Map<number, number[]>();
  rootId: number | null = null;
  /** nodeId -> annotator -> annotation */
  readonly labels = new Map<number, Map<string, Annotation>>();
  /** leafNodeId -> annotator -> branch rating */
  readonly branches = new Map<number, Map<string, BranchRating>>();
  /** annotator -> their finish reason for this tree */
  readonly finishReasons = new Map<string, FinishReason>();
  /** Bumped on every change; cheap to compare. */
  version = 0;

  private listeners = new Set<Listener>();
  private dfsCache: number[] | null = null;
  private dfsIndex: Map<number, number> | null = null;
  private subtreeCache: Map<number, number> | null = null;
  private prunedCache: Set<number> | null = null;
  private bestCache: Set<number> | null = null;
  private rangeCache: { score: [number, number] | null; value: [number, number] | null } | null = null;

  constructor(data: TreeData) {
    this.run = data.run;
    this.problem = data.problem;
    this.insertNodes(data.nodes);
    for (const a of data.annotations) this.putLabel(a);
    for (const b of data.branchRatings) this.putBranch(b);
    for (const f of data.finishReasons ?? []) this.finishReasons.set(f.annotator, f.reason);
  }

  /** This annotator's own finish reason (each labeler gives theirs, as in PRM800K). */
  finishReasonOf(annotator: string): FinishReason | null {
    return this.finishReasons.get(annotator) ?? null;
  }

  // ---- subscription ----

  /** Bound, so it can be handed to useSyncExternalStore as is. */
  subscribe = (listener: Listener): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  private emit(change: ModelChange): void {
    this.version++;
    for (const l of this.listeners) l(change);
  }

  // ---- updates (API responses and events) ----

  addNodes(nodes: TreeNode[]): void {
    const fresh = nodes.filter((n) => n.runId === this.run.id);
    if (fresh.length === 0) return;
    this.insertNodes(fresh);
    this.emit({ structure: true, prune: true, nodeIds: fresh.map((n) => n.id) });
  }

  updateStats(patches: StatsPatch[]): void {
    const ids: number[] = [];
    for (const p of patches) {
      const node = this.nodes.get(p.id);
      if (!node) continue;
      this.nodes.set(p.id, { ...node, visits: p.visits, q: p.q, value: p.value, score: p.score });
      ids.push(p.id);
    }
    if (ids.length === 0) return;
    this.bestCache = null;
    this.rangeCache = null;
    this.emit({ nodeIds: ids, prune: true });
  }

  /**
   * Replaces every node at once (a long-CoT tree was split, merged or moved): the same model, so
   * the view keeps its selection, collapsed and folded parts wherever those nodes remain.
   */
  replaceNodes(nodes: TreeNode[]): void {
    this.nodes.clear();
    this.children.clear();
    this.rootId = null;
    this.insertNodes(nodes.filter((n) => n.runId === this.run.id));
    this.emit({ structure: true, prune: true, all: true });
  }

  setRun(run: Run): void {
    if (run.id !== this.run.id) return;
    this.run = run;
    this.emit({ run: true });
  }

  /** Applies an annotationsChanged event or the equivalent built from an API response. */
  applyAnnotations(change: EventPayload<'annotationsChanged'>): void {
    if (change.runId !== this.run.id) return;
    const touched = new Set<number>();
    let prune = false;
    for (const a of change.annotations) {
      this.putLabel(a);
      touched.add(a.nodeId);
    }
    for (const r of change.removedAnnotations) {
      this.labels.get(r.nodeId)?.delete(r.annotator);
      touched.add(r.nodeId);
    }
    for (const b of change.branchRatings) {
      this.putBranch(b);
      touched.add(b.leafNodeId);
    }
    for (const r of change.removedBranchRatings) {
      this.branches.get(r.leafNodeId)?.delete(r.annotator);
      touched.add(r.leafNodeId);
    }
    for (const p of change.pruned) {
      const node = this.nodes.get(p.nodeId);
      if (!node || node.pruned === p.pruned) continue;
      this.nodes.set(p.nodeId, { ...node, pruned: p.pruned });
      prune = true;
    }
    if (prune) this.prunedCache = null;
    let run = false;
    if (change.finishReason !== undefined) {
      const by = change.finishReasonBy;
      if (by !== undefined && change.finishReason === null) this.finishReasons.delete(by);
      else if (by !== undefined && change.finishReason !== null) this.finishReasons.set(by, change.finishReason);
      // The run's own field is the latest reason anyone gave.
      const latest = change.finishReason ?? [...this.finishReasons.values()].at(-1) ?? null;
      this.run = { ...this.run, finishReason: latest };
      run = true;
    }
    // A label can change "after the first error" for a whole subtree, so its descendants too.
    const ids = new Set<number>();
    for (const id of touched) for (const d of this.descendantsAndSelf(id)) ids.add(d);
    if (prune) for (const p of change.pruned) for (const d of this.descendantsAndSelf(p.nodeId)) ids.add(d);
    this.emit({ nodeIds: [...ids], prune, run });
  }

  setFinishReasonLocal(reason: FinishReason | null, annotator: string): void {
    this.applyAnnotations({
      runId: this.run.id,
      annotations: [],
      removedAnnotations: [],
      branchRatings: [],
      removedBranchRatings: [],
      pruned: [],
      finishReason: reason,
      finishReasonBy: annotator,
    });
  }

  private insertNodes(nodes: TreeNode[]): void {
    for (const n of nodes) {
      const known = this.nodes.has(n.id);
      this.nodes.set(n.id, n);
      if (known) continue;
      if (n.parentId === null) {
        if (this.rootId === null) this.rootId = n.id;
      } else {
        const kids = this.children.get(n.parentId);
        if (kids) {
          kids.push(n.id);
          // Events may arrive out of order; children stay in creation order.
          const last = kids.length - 1;
          if (last > 0 && this.nodes.get(kids[last - 1]!)!.seq > n.seq) {
            kids.sort((a, b) => this.nodes.get(a)!.seq - this.nodes.get(b)!.seq);
          }
        } else this.children.set(n.parentId, [n.id]);
      }
    }
    this.dfsCache = null;
    this.dfsIndex = null;
    this.subtreeCache = null;
    this.prunedCache = null;
    this.bestCache = null;
    this.rangeCache = null;
  }

  private putLabel(a: Annotation): void {
    let byAnnotator = this.labels.get(a.nodeId);
    if (!byAnnotator) this.labels.set(a.nodeId, (byAnnotator = new Map()));
    byAnnotator.set(a.annotator, a);
  }

  private putBranch(b: BranchRating): void {
    let byAnnotator = this.branches.get(b.leafNodeId);
    if (!byAnnotator) this.branches.set(b.leafNodeId, (byAnnotator = new Map()));
    byAnnotator.set(b.annotator, b);
  }

  // ---- structure ----

  get size(): number {
    return this.nodes.size;
  }

  node(id: number): TreeNode | undefined {
    return this.nodes.get(id);
  }

  childrenOf(id: number): readonly number[] {
    return this.children.get(id) ?? [];
  }

  parentOf(id: number): number | null {
    return this.nodes.get(id)?.parentId ?? null;
  }

  siblingsOf(id: number): readonly number[] {
    const parent = this.parentOf(id);
    return parent === null ? [id] : this.childrenOf(parent);
  }

  /** The sibling `step` places away (negative: left), clamped; the node itself when it has none. */
  sibling(id: number, step: number): number {
    const sibs = this.siblingsOf(id);
    const at = sibs.indexOf(id);
    const next = Math.min(sibs.length - 1, Math.max(0, at + step));
    return sibs[next] ?? id;
  }

  /** Root first. */
  pathTo(id: number): TreeNode[] {
    const path: TreeNode[] = [];
    let cur = this.nodes.get(id);
    while (cur) {
      path.push(cur);
      cur = cur.parentId === null ? undefined : this.nodes.get(cur.parentId);
    }
    return path.reverse();
  }

  isAncestor(ancestor: number, id: number): boolean {
    let cur = this.parentOf(id);
    while (cur !== null) {
      if (cur === ancestor) return true;
      cur = this.parentOf(cur);
    }
    return false;
  }

  /** Depth-first pre-order (children in creation order): the order annotators read paths in. */
  dfsOrder(): readonly number[] {
    if (this.dfsCache) return this.dfsCache;
    const order: number[] = [];
    if (this.rootId !== null) {
      const stack = [this.rootId];
      while (stack.length) {
        const id = stack.pop()!;
        order.push(id);
        const kids = this.childrenOf(id);
        for (let i = kids.length - 1; i >= 0; i--) stack.push(kids[i]!);
      }
    }
    this.dfsCache = order;
    this.dfsIndex = new Map(order.map((id, i) => [id, i]));
    return order;
  }

  /** Nodes of the subtree under `id`, `id` included (iterative, safe for deep trees). */
  descendantsAndSelf(id: number): number[] {
    const out: number[] = [];
    const stack = [id];
    while (stack.length) {
      const cur = stack.pop()!;
      out.push(cur);
      const kids = this.children.get(cur);
      if (kids) for (const k of kids) stack.push(k);
    }
    return out;
  }

  /** Number of nodes in the subtree under `id`, itself included. */
  subtreeSize(id: number): number {
    if (!this.subtreeCache) {
      const sizes = new Map<number, number>();
      const order = this.dfsOrder();
      for (let i = order.length - 1; i >= 0; i--) {
        const nid = order[i]!;
        let s = 1;
        for (const k of this.childrenOf(nid)) s += sizes.get(k) ?? 1;
        sizes.set(nid, s);
      }
      this.subtreeCache = sizes;
    }
    return this.subtreeCache.get(id) ?? 1;
  }

  maxExpansion(): number {
    let max = 0;
    for (const n of this.nodes.values()) if (n.expansion > max) max = n.expansion;
    return max;
  }

  // ---- pruning ----

  /** True when the node or one of its ancestors is pruned. */
  inPrunedSubtree(id: number): boolean {
    if (!this.prunedCache) {
      const set = new Set<number>();
      for (const nid of this.dfsOrder()) {
        const n = this.nodes.get(nid)!;
        if (n.pruned || (n.parentId !== null && set.has(n.parentId))) set.add(nid);
      }
      this.prunedCache = set;
    }
    return this.prunedCache.has(id);
  }

  // ---- labels ----

  labelOf(id: number, annotator: string): Annotation | undefined {
    return this.labels.get(id)?.get(annotator);
  }

  labelsOf(id: number): Annotation[] {
    return [...(this.labels.get(id)?.values() ?? [])];
  }

  branchOf(id: number, annotator: string): BranchRating | undefined {
    return this.branches.get(id)?.get(annotator);
  }

  branchesOf(id: number): BranchRating[] {
    return [...(this.branches.get(id)?.values() ?? [])];
  }

  ratingOf(id: number, annotator: string): Rating | null {
    return this.labelOf(id, annotator)?.rating ?? null;
  }

  /** True when an ancestor (not the node itself) was rated -1 by this annotator. */
  afterError(id: number, annotator: string): boolean {
    let cur = this.parentOf(id);
    while (cur !== null) {
      if (this.ratingOf(cur, annotator) === -1) return true;
      cur = this.parentOf(cur);
    }
    return false;
  }

  /** Steps (every node but the root) that are not pruned: what there is to label. */
  labelableCount(): number {
    let n = 0;
    for (const id of this.dfsOrder()) if (id !== this.rootId && !this.inPrunedSubtree(id)) n++;
    return n;
  }

  /**
   * This annotator's progress on the tree: steps to label (not pruned; in first-error mode not
   * below a step they rated -1) and how many of those carry their label. One pass, parents first.
   */
  progressOf(annotator: string, skipAfterError: boolean): { done: number; total: number } {
    let done = 0;
    let total = 0;
    const belowError = new Set<number>();
    for (const id of this.dfsOrder()) {
      const parent = this.parentOf(id);
      if (parent !== null && (belowError.has(parent) || this.ratingOf(parent, annotator) === -1)) belowError.add(id);
      if (id === this.rootId || this.inPrunedSubtree(id) || (skipAfterError && belowError.has(id))) continue;
      total++;
      if (this.ratingOf(id, annotator) !== null) done++;
    }
    return { done, total };
  }

  labeledBy(annotator: string): number {
    let n = 0;
    for (const [id, byAnnotator] of this.labels) {
      if (id !== this.rootId && byAnnotator.get(annotator)?.rating != null) n++;
    }
    return n;
  }

  /**
   * The next step after `fromId` in depth-first order that this annotator has not rated, skipping
   * the root, pruned subtrees and (in first-error mode) steps below one they rated -1. Wraps
   * around; null when nothing is left. `direction` -1 searches backwards.
   */
  nextUnlabeled(
    fromId: number | null,
    annotator: string,
    options: { skipAfterError?: boolean; direction?: 1 | -1 } = {},
  ): number | null {
    const order = this.dfsOrder();
    if (order.length === 0) return null;
    const dir = options.direction ?? 1;
    const start = fromId === null ? (dir === 1 ? -1 : order.length) : (this.dfsIndex!.get(fromId) ?? -1);
    for (let step = 1; step <= order.length; step++) {
      const i = (((start + dir * step) % order.length) + order.length) % order.length;
      const id = order[i]!;
      if (id === fromId) continue;
      if (this.isUnlabeledCandidate(id, annotator, options.skipAfterError ?? false)) return id;
    }
    return null;
  }

  private isUnlabeledCandidate(id: number, annotator: string, skipAfterError: boolean): boolean {
    if (id === this.rootId) return false;
    if (this.ratingOf(id, annotator) !== null) return false;
    if (this.inPrunedSubtree(id)) return false;
    if (skipAfterError && this.afterError(id, annotator)) return false;
    return true;
  }

  // ---- best path ----

  /**
   * The golden path: root to the best correct terminal (highest score, then value, then earliest);
   * when nothing is correct, root to the leaf with the best score or value. Empty when there is
   * nothing to rank by.
   */
  bestPath(): ReadonlySet<number> {
    if (this.bestCache) return this.bestCache;
    const rank = (n: TreeNode) => n.score ?? n.value ?? n.q ?? Number.NEGATIVE_INFINITY;
    let best: TreeNode | null = null;
    const better = (a: TreeNode, b: TreeNode | null) =>
      !b || rank(a) > rank(b) || (rank(a) === rank(b) && a.seq < b.seq);
    for (const n of this.nodes.values()) if (n.outcome === 'correct' && !n.pruned && better(n, best)) best = n;
    if (!best) {
      for (const n of this.nodes.values()) {
        if (this.childrenOf(n.id).length > 0 || n.parentId === null) continue;
        if (rank(n) === Number.NEGATIVE_INFINITY) continue;
        if (better(n, best)) best = n;
      }
    }
    this.bestCache = new Set(best ? this.pathTo(best.id).map((n) => n.id) : []);
    return this.bestCache;
  }

  /** Observed [min, max] of scores and values, for colour scales. */
  ranges(): { score: [number, number] | null; value: [number, number] | null } {
    if (this.rangeCache) return this.rangeCache;
    const range = (pick: (n: TreeNode) => number | null): [number, number] | null => {
      let lo = Infinity;
      let hi = -Infinity;
      for (const n of this.nodes.values()) {
        const v = pick(n);
        if (v === null || !Number.isFinite(v)) continue;
        if (v < lo) lo = v;
        if (v > hi) hi = v;
      }
      return lo <= hi ? [lo, hi] : null;
    };
    this.rangeCache = { score: range((n) => n.score), value: range((n) => n.value) };
    return this.rangeCache;
  }

  /** Nodes whose step text contains `query` (case-insensitive), in depth-first order. */
  search(query: string): number[] {
    const q = query.trim().toLowerCase();
    if (!q) return [];
    return this.dfsOrder().filter((id) => this.nodes.get(id)!.stepText.toLowerCase().includes(q));
  }
}
