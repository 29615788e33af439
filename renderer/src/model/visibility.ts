/**
 * Which nodes are on screen: subtrees can be collapsed, big trees open with their deep parts
 * collapsed so only a bounded number of nodes reaches the DOM (React Flow slows past ~1,000), and
 * wide sibling groups are folded to their best few children plus one "+N more" placeholder.
 */
import type { TreeNode } from '../../../common/domain';
import type { RunModel } from './run-model';

/** Children shown of a folded sibling group (the best by visits, then score or value). */
export const FOLD_KEEP = 5;

export interface FoldOptions {
  /** Parents whose groups are opened: all their children shown. */
  open: ReadonlySet<number>;
  /** Nodes that stay visible wherever they rank (the golden path). */
  keep: ReadonlySet<number>;
  limit?: number;
}

/**
 * Placeholders for folded groups live in the visible tree beside real nodes under a negative id
 * (node ids are positive), so layout and drawing treat them like any node.
 */
export const moreId = (parentId: number): number => -parentId - 1;
export const isMore = (id: number): boolean => id < 0;
export const parentOfMore = (id: number): number => -id - 1;

const rank = (n: TreeNode | undefined): [number, number] => [n?.visits ?? 0, n?.score ?? n?.value ?? Number.NEGATIVE_INFINITY];

/**
 * The children of `id` a folded view shows, in their original order, and how many it folds away.
 * A group is folded only when that hides at least two children.
 */
export function shownChildren(model: RunModel, id: number, fold: FoldOptions | null): { shown: readonly number[]; folded: number } {
  const kids = model.childrenOf(id);
  const limit = fold?.limit ?? FOLD_KEEP;
  if (!fold || kids.length <= limit + 1 || fold.open.has(id)) return { shown: kids, folded: 0 };
  const best = [...kids]
    .sort((a, b) => {
      const [va, sa] = rank(model.node(a));
      const [vb, sb] = rank(model.node(b));
      return vb - va || sb - sa;
    })
    .slice(0, limit);
  const chosen = new Set(best);
  const shown = kids.filter((k) => chosen.has(k) || fold.keep.has(k));
  return { shown, folded: kids.length - shown.length };
}

/** Folding as a view applies it: open groups, and the golden path plus pinned nodes kept. */
export function foldOptions(model: RunModel, open: ReadonlySet<number>, pinned: ReadonlySet<number>): FoldOptions {
  return { open, keep: new Set([...model.bestPath(), ...pinned]) };
}

/**
 * Pinned nodes with every node on the path to `id` that its folded group hides added, so going
 * to a folded step shows it beside the best few (the same set when nothing is hidden).
 */
export function pinnedTo(model: RunModel, fold: FoldOptions, pinned: ReadonlySet<number>, id: number): ReadonlySet<number> {
  let next: Set<number> | null = null;
  for (const n of model.pathTo(id)) {
    if (n.parentId === null) continue;
    if (!shownChildren(model, n.parentId, fold).shown.includes(n.id)) (next ??= new Set(pinned)).add(n.id);
  }
  return next ?? pinned;
}

/** How many nodes a freshly opened tree shows before deeper subtrees start out collapsed. */
export const DEFAULT_VISIBLE_BUDGET = 250;

/**
 * Collapsed set for a freshly opened tree: expands breadth-first while the visible count stays
 * within `budget`, always keeping the path to `keepOpen` (e.g. the golden path) expanded.
 */
export function defaultCollapsed(
  model: RunModel,
  budget = DEFAULT_VISIBLE_BUDGET,
  keepOpen: Iterable<number> = [],
  fold: FoldOptions | null = null,
): Set<number> {
  const collapsed = new Set<number>();
  if (model.rootId === null) return collapsed;
  const mustOpen = new Set<number>();
  for (const id of keepOpen) for (const n of model.pathTo(id)) if (n.id !== id) mustOpen.add(n.id);
  let visible = 1;
  const queue = [model.rootId];
  for (let head = 0; head < queue.length; head++) {
    const id = queue[head]!;
    const { shown, folded } = shownChildren(model, id, fold);
    if (shown.length === 0) continue;
    const cost = shown.length + (folded ? 1 : 0);
    if (visible + cost <= budget || mustOpen.has(id)) {
      visible += cost;
      for (const k of shown) queue.push(k);
    } else collapsed.add(id);
  }
  return collapsed;
}

export interface VisibleTree {
  /** Visible node ids in depth-first order (root first); placeholders of folded groups are negative (see moreId). */
  ids: number[];
  /** For each entry of ids, the index of its parent in ids (-1 for the root). */
  parentIndex: Int32Array;
  /** Folded children per placeholder id. */
  folded: Map<number, number>;
  /** Real nodes among ids (placeholders not counted). */
  nodeCount: number;
}

/**
 * The nodes reachable from the root without entering a collapsed node's children, with wide
 * sibling groups folded when `fold` is given.
 */
export function visibleTree(model: RunModel, collapsed: ReadonlySet<number>, fold: FoldOptions | null = null): VisibleTree {
  const ids: number[] = [];
  const parents: number[] = [];
  const foldedCounts = new Map<number, number>();
  if (model.rootId !== null) {
    const stack: [number, number][] = [[model.rootId, -1]];
    while (stack.length) {
      const [id, parent] = stack.pop()!;
      const at = ids.length;
      ids.push(id);
      parents.push(parent);
      if (isMore(id) || collapsed.has(id)) continue;
      const { shown, folded } = shownChildren(model, id, fold);
      if (folded) {
        stack.push([moreId(id), at]);
        foldedCounts.set(moreId(id), folded);
      }
      for (let i = shown.length - 1; i >= 0; i--) stack.push([shown[i]!, at]);
    }
  }
  return { ids, parentIndex: Int32Array.from(parents), folded: foldedCounts, nodeCount: ids.length - foldedCounts.size };
}

/** Collapsed set with every ancestor of `id` expanded, so the node is on screen. */
export function revealed(model: RunModel, collapsed: ReadonlySet<number>, id: number): Set<number> {
  const next = new Set(collapsed);
  for (const n of model.pathTo(id)) if (n.id !== id) next.delete(n.id);
  return next;
}

/** Open groups with every folded group under `id` (itself included) opened. */
export function openedSubtree(model: RunModel, open: ReadonlySet<number>, id: number, limit = FOLD_KEEP): Set<number> {
  const next = new Set(open);
  for (const d of model.descendantsAndSelf(id)) if (model.childrenOf(d).length > limit + 1) next.add(d);
  return next;
}

/** Collapsed set with the whole subtree under `id` expanded. */
export function expandedSubtree(model: RunModel, collapsed: ReadonlySet<number>, id: number): Set<number> {
  const next = new Set(collapsed);
  for (const d of model.descendantsAndSelf(id)) next.delete(d);
  return next;
}
