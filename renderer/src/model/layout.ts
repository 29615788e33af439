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
