/**
 * Viewport arithmetic over a laid-out tree, from the layout's own positions (React Flow's fitView
 * only counts nodes it has measured, which with culling and the overview canvas is few or none).
 */
import { NODE_HEIGHT, NODE_WIDTH } from '../model/layout';

/** Below this zoom node text is unreadable: nodes are drawn as coloured marks on a canvas. */
export const READABLE_ZOOM = 0.5;
/** The zoom fit and live following never go above. */
export const MAX_FIT_ZOOM = 1.1;
/** Share of the pane left empty on each side by a fit. */
export const FIT_PADDING = 0.06;

export interface Bounds {
  x0: number;
  y0: number;
  x1: number;
  y1: number;
}

export interface Viewport {
  x: number;
  y: number;
  zoom: number;
}

/** The box around every node box whose index passes `include` (null when none does). */
export function layoutBounds(positions: Float64Array, include: (i: number) => boolean = () => true): Bounds | null {
  let x0 = Infinity;
  let y0 = Infinity;
  let x1 = -Infinity;
  let y1 = -Infinity;
  for (let i = 0; i < positions.length / 2; i++) {
    if (!include(i)) continue;
    const x = positions[2 * i]!;
    const y = positions[2 * i + 1]!;
    if (x < x0) x0 = x;
    if (y < y0) y0 = y;
    if (x + NODE_WIDTH > x1) x1 = x + NODE_WIDTH;
    if (y + NODE_HEIGHT > y1) y1 = y + NODE_HEIGHT;
  }
  return Number.isFinite(x0) ? { x0, y0, x1, y1 } : null;
}

/** The zoom at which `bounds` fills a `width` × `height` pane, padding kept. */
export function fitZoom(bounds: Bounds, width: number, height: number): number {
  const usable = 1 - 2 * FIT_PADDING;
  return Math.min(MAX_FIT_ZOOM, (width * usable) / (bounds.x1 - bounds.x0), (height * usable) / (bounds.y1 - bounds.y0));
}

/** The viewport that centres `bounds` in the pane at `zoom`. */
export function centredViewport(bounds: Bounds, width: number, height: number, zoom: number): Viewport {
  return {
    x: width / 2 - ((bounds.x0 + bounds.x1) / 2) * zoom,
    y: height / 2 - ((bounds.y0 + bounds.y1) / 2) * zoom,
    zoom,
  };
}

/** React Flow's lowest zoom for a layout: enough to fit it whole, and never above 0.03. */
export function minZoomFor(bounds: Bounds | null, width: number, height: number): number {
  if (!bounds || width === 0 || height === 0) return 0.03;
  return Math.min(0.03, fitZoom(bounds, width, height) * 0.9);
}
