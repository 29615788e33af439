/**
 * Top-down tidy-tree layout (d3-hierarchy, Reingold-Tilford, linear time) over the visible tree.
 * Pure and transferable: it takes the parent-index array and returns a flat position array, so the
 * same function runs on the UI thread for small trees and in a Web Worker for large ones.
 */
import { hierarchy, tree } from 'd3-hierarchy';

/** Every node has the same fixed size, so React Flow never has to measure one. */
export const NODE_WIDTH = 200;
export const NODE_HEIGHT = 64;
export const GAP_X = 24;
export const GAP_Y = 56;

interface LayoutNode {
  index: number;
  children: LayoutNode[];
}

/**
 * Positions (top-left corners) for nodes given by parent index (-1 = root, parents before
 * children). Returns [x0, y0, x1, y1, ...].
 */
export function layoutTree(parentIndex: ArrayLike<number>): Float64Array {
  const n = parentIndex.length;
  const out = new Float64Array(n * 2);
  if (n === 0) return out;
  const items: LayoutNode[] = Array.from({ length: n }, (_, index) => ({ index, children: [] }));
  let root: LayoutNode | null = null;
  for (let i = 0; i < n; i++) {
    const p = parentIndex[i]!;
    if (p < 0) root ??= items[i]!;
    else items[p]!.children.push(items[i]!);
  }
  if (!root) throw new Error('layoutTree: no root (every node has a parent)');
  const h = hierarchy(root, (d) => (d.children.length ? d.children : null));
  tree<LayoutNode>()
    .nodeSize([NODE_WIDTH + GAP_X, NODE_HEIGHT + GAP_Y])
    .separation((a, b) => (a.parent === b.parent ? 1 : 1.25))(h);
  h.each((d) => {
    const i = d.data.index;
    out[2 * i] = (d as unknown as { x: number }).x - NODE_WIDTH / 2;
    out[2 * i + 1] = (d as unknown as { y: number }).y;
  });
  return out;
}

/** How a tree is laid out: tidy (every child beside its siblings) or compact (wide groups wrap into rows). */
export const LAYOUT_KINDS = ['tidy', 'compact'] as const;
export type LayoutKind = (typeof LAYOUT_KINDS)[number];

/** Width : height the compact layout aims at when it wraps a node's children into rows. */
export const COMPACT_ASPECT = 1.6;
/**
 * A subtree whose tidy layout is at most this much wider than tall keeps its tidy shape. 16 gave
 * the largest fit zoom of 2.5, 4, 6, 10, 12, 16, 20 and 30 on synthetic 10k-node trees (seeds 3, 7
 * and 11; 3.4-4.9x the tidy layout's); tidy shapes pack far tighter than wrapped rows, so only
 * really wide subtrees are worth breaking up.
 */
export const TIDY_ASPECT_LIMIT = 16;

/**
 * A layout that spends depth instead of width. Every subtree keeps its tidy (Reingold-Tilford)
 * shape while that shape is no wider than TIDY_ASPECT_LIMIT times its height; a wider one is
 * broken up: its children's subtrees (each laid out the same way) are packed in rows, each row
 * below the previous row's subtrees and centred under the parent, with a row width chosen so the
 * block comes out near COMPACT_ASPECT. A 10,000-node tree, or a node with thousands of children,
 * comes out near the pane's shape instead of a hairline, and small trees look as tidy ones do.
 */
export function layoutCompact(parentIndex: ArrayLike<number>, aspect = COMPACT_ASPECT): Float64Array {
  const n = parentIndex.length;
  const out = new Float64Array(n * 2);
  if (n === 0) return out;
  const tidy = layoutTree(parentIndex);
  const children: number[][] = Array.from({ length: n }, () => []);
  let root = -1;
  for (let i = 0; i < n; i++) {
    const p = parentIndex[i]!;
    if (p < 0) root = root < 0 ? i : root;
    else children[p]!.push(i);
  }
  // Tidy extents of every subtree (parents come before children: one backward pass).
  const minX = new Float64Array(n);
  const maxX = new Float64Array(n);
  const maxY = new Float64Array(n);
  for (let i = n - 1; i >= 0; i--) {
    minX[i] = tidy[2 * i]!;
    maxX[i] = tidy[2 * i]! + NODE_WIDTH;
    maxY[i] = tidy[2 * i + 1]! + NODE_HEIGHT;
    for (const k of children[i]!) {
      minX[i] = Math.min(minX[i]!, minX[k]!);
      maxX[i] = Math.max(maxX[i]!, maxX[k]!);
      maxY[i] = Math.max(maxY[i]!, maxY[k]!);
    }
  }
  // Final box of every subtree, and for wrapped ones their rows of children.
  const width = new Float64Array(n);
  const height = new Float64Array(n);
  const rows: (number[][] | null)[] = new Array(n).fill(null);
  for (let i = n - 1; i >= 0; i--) {
    const tw = maxX[i]! - minX[i]!;
    const th = maxY[i]! - tidy[2 * i + 1]!;
    const kids = children[i]!;
    if (kids.length < 2 || tw <= TIDY_ASPECT_LIMIT * th) {
      width[i] = tw;
      height[i] = th;
      continue;
    }
    let area = 0;
    let widest = 0;
    for (const k of kids) {
      area += (width[k]! + GAP_X) * (height[k]! + GAP_Y);
      widest = Math.max(widest, width[k]!);
    }
    const target = Math.max(widest, Math.sqrt(area * aspect));
    const split: number[][] = [];
    let row: number[] = [];
    let rowWidth = -GAP_X;
    // Shelf packing: tallest subtrees first, so each row holds subtrees of similar height.
    const byHeight = [...kids].sort((a, b) => height[b]! - height[a]!);
    for (const k of byHeight) {
      if (row.length && rowWidth + GAP_X + width[k]! > target) {
        split.push(row);
        row = [];
        rowWidth = -GAP_X;
      }
      row.push(k);
      rowWidth += GAP_X + width[k]!;
    }
    if (row.length) split.push(row);
    let w = NODE_WIDTH;
    let h = NODE_HEIGHT;
    for (const r of split) {
      w = Math.max(w, rowSpan(r, width));
      h += GAP_Y + Math.max(...r.map((k) => height[k]!));
    }
    width[i] = w;
    height[i] = h;
    rows[i] = split;
  }
  // Place top-down; an explicit stack, as trees thousands of levels deep would overflow recursion.
  const stack: [number, number, number][] = [[root, -width[root]! / 2, 0]];
  while (stack.length) {
    const [i, x, y] = stack.pop()!;
    const split = rows[i];
    if (!split) {
      // Tidy subtree: every descendant keeps its tidy offset from the subtree's box.
      const dx = x - minX[i]!;
      const dy = y - tidy[2 * i + 1]!;
      const walk = [i];
      while (walk.length) {
        const d = walk.pop()!;
        out[2 * d] = tidy[2 * d]! + dx;
        out[2 * d + 1] = tidy[2 * d + 1]! + dy;
        for (const k of children[d]!) walk.push(k);
      }
      continue;
    }
    out[2 * i] = x + (width[i]! - NODE_WIDTH) / 2;
    out[2 * i + 1] = y;
    let rowY = y + NODE_HEIGHT + GAP_Y;
    for (const r of split) {
      let cx = x + (width[i]! - rowSpan(r, width)) / 2;
      let rowHeight = 0;
      for (const k of r) {
        stack.push([k, cx, rowY]);
        cx += width[k]! + GAP_X;
        rowHeight = Math.max(rowHeight, height[k]!);
      }
      rowY += rowHeight + GAP_Y;
    }
  }
  return out;
}

function rowSpan(row: number[], width: Float64Array): number {
  return row.reduce((sum, k) => sum + width[k]!, 0) + GAP_X * (row.length - 1);
}

export function layoutOf(kind: LayoutKind, parentIndex: ArrayLike<number>): Float64Array {
  return kind === 'compact' ? layoutCompact(parentIndex) : layoutTree(parentIndex);
}
