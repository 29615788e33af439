/**
 * Which nodes are on screen: subtrees can be collapsed, and big trees open with their deep parts
 * collapsed so only a bounded number of nodes reaches the DOM (React Flow slows past ~1,000).
 */
import type { RunModel } from './run-model';

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
): Set<number> {
  const collapsed = new Set<number>();
  if (model.rootId === null) return collapsed;
  const mustOpen = new Set<number>();
  for (const id of keepOpen) for (const n of model.pathTo(id)) if (n.id !== id) mustOpen.add(n.id);
  let visible = 1;
  const queue = [model.rootId];
  for (let head = 0; head < queue.length; head++) {
    const id = queue[head]!;
    const kids = model.childrenOf(id);
    if (kids.length === 0) continue;
    if (visible + kids.length <= budget || mustOpen.has(id)) {
      visible += kids.length;
      for (const k of kids) queue.push(k);
    } else collapsed.add(id);
  }
  return collapsed;
}

export interface VisibleTree {
  /** Visible node ids in depth-first order (root first). */
  ids: number[];
  /** For each entry of ids, the index of its parent in ids (-1 for the root). */
  parentIndex: Int32Array;
}

/** The nodes reachable from the root without entering a collapsed node's children. */
export function visibleTree(model: RunModel, collapsed: ReadonlySet<number>): VisibleTree {
  const ids: number[] = [];
  const parents: number[] = [];
  if (model.rootId !== null) {
    const stack: [number, number][] = [[model.rootId, -1]];
    while (stack.length) {
      const [id, parent] = stack.pop()!;
      const at = ids.length;
      ids.push(id);
      parents.push(parent);
      if (collapsed.has(id)) continue;
      const kids = model.childrenOf(id);
      for (let i = kids.length - 1; i >= 0; i--) stack.push([kids[i]!, at]);
    }
  }
  return { ids, parentIndex: Int32Array.from(parents) };
}

/** Collapsed set with every ancestor of `id` expanded, so the node is on screen. */
export function revealed(model: RunModel, collapsed: ReadonlySet<number>, id: number): Set<number> {
  const next = new Set(collapsed);
  for (const n of model.pathTo(id)) if (n.id !== id) next.delete(n.id);
  return next;
}

/** Collapsed set with the whole subtree under `id` expanded. */
export function expandedSubtree(model: RunModel, collapsed: ReadonlySet<number>, id: number): Set<number> {
  const next = new Set(collapsed);
  for (const d of model.descendantsAndSelf(id)) next.delete(d);
  return next;
}
