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

/** Width : height the compact layout aims at for each subtree's box (a landscape pane). */
export const COMPACT_ASPECT = 1.6;

/**
 * A layout that spends depth instead of width: a node's children are packed in rows, each row
 * below the previous row's subtrees and centred under the parent, with a row width chosen so the
 * node's box comes out near COMPACT_ASPECT (the square root of its children's area). Subtrees are
 * boxes (no contour packing), so it is simple and linear; a 10,000-node tree or a node with
 * thousands of children comes out near the pane's shape instead of a hairline.
 */
export function layoutCompact(parentIndex: ArrayLike<number>, aspect = COMPACT_ASPECT): Float64Array {
  const n = parentIndex.length;
  const out = new Float64Array(n * 2);
  if (n === 0) return out;
  const children: number[][] = Array.from({ length: n }, () => []);
  let root = -1;
  for (let i = 0; i < n; i++) {
    const p = parentIndex[i]!;
    if (p < 0) root = root < 0 ? i : root;
    else children[p]!.push(i);
  }
  if (root < 0) throw new Error('layoutCompact: no root (every node has a parent)');
  const width = new Float64Array(n);
  const height = new Float64Array(n);
  /** Each node's children split into rows (index lists), decided once while sizing. */
  const rows: number[][][] = new Array(n);
  // Parents come before their children, so one backward pass sizes every subtree box.
  for (let i = n - 1; i >= 0; i--) {
    const kids = children[i]!;
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
    for (const k of kids) {
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
      w = Math.max(w, r.reduce((sum, k) => sum + width[k]!, 0) + GAP_X * (r.length - 1));
      h += GAP_Y + Math.max(...r.map((k) => height[k]!));
    }
    width[i] = w;
    height[i] = h;
    rows[i] = split;
  }
  // An explicit stack: trees thousands of levels deep would overflow recursion.
  const stack: [number, number, number][] = [[root, -width[root]! / 2, 0]];
  while (stack.length) {
    const [i, x, y] = stack.pop()!;
    out[2 * i] = x + (width[i]! - NODE_WIDTH) / 2;
    out[2 * i + 1] = y;
    let rowY = y + NODE_HEIGHT + GAP_Y;
    for (const r of rows[i]!) {
      const rowWidth = r.reduce((sum, k) => sum + width[k]!, 0) + GAP_X * (r.length - 1);
      let cx = x + (width[i]! - rowWidth) / 2;
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

export function layoutOf(kind: LayoutKind, parentIndex: ArrayLike<number>): Float64Array {
  return kind === 'compact' ? layoutCompact(parentIndex) : layoutTree(parentIndex);
}
