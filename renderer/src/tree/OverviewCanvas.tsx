/**
 * The tree below a readable zoom: every visible node as a small coloured mark (label, exact label,
 * score or value, as the colour mode says; green for a correct end when uncoloured) and its edge
 * as a line, drawn on one canvas. Ten thousand nodes cost a few milliseconds a frame, where as
 * DOM nodes they would cost seconds. The selection is ringed, search matches are ringed in
 * magenta, the golden path is gold. It follows React Flow's viewport and takes no pointer events
 * (the pane under it pans and zooms; TreePane maps clicks to marks).
 */
import { useStore } from '@xyflow/react';
import { useEffect, useMemo, useRef, useSyncExternalStore } from 'react';
import { NODE_HEIGHT, NODE_WIDTH } from '../model/layout';
import type { RunModel } from '../model/run-model';
import type { ViewStore } from '../model/view-store';
import { isMore } from '../model/visibility';

/** Marks never shrink below this many CSS pixels, so a fitted 10k-node tree still shows each one. */
export const MIN_MARK = 3;

const NEUTRAL = '#5a6578';
const CORRECT = '#7ee787';
const PLACEHOLDER = '#2e3642';
const EDGE = '#3a4452';
const GOLD = '#e3b341';
const ACCENT = '#58a6ff';
const MATCH = '#d46bff';

export interface OverviewLayout {
  ids: number[];
  parentIndex: Int32Array;
  positions: Float64Array;
  /** Position in ids of each id. */
  index: ReadonlyMap<number, number>;
}

interface Props {
  layout: OverviewLayout;
  model: RunModel;
  store: ViewStore;
  /** Nodes created after this expansion are left out (replay). */
  replay: number | null;
  /** Bumped when labels, prunes or the golden path change. */
  version: number;
}

/** The on-screen box of a node's mark at the given transform. */
export function markBox(positions: Float64Array, i: number, [tx, ty, zoom]: readonly [number, number, number]) {
  const w = Math.max(MIN_MARK, NODE_WIDTH * zoom);
  const h = Math.max(MIN_MARK, NODE_HEIGHT * zoom);
  const cx = (positions[2 * i]! + NODE_WIDTH / 2) * zoom + tx;
  const cy = (positions[2 * i + 1]! + NODE_HEIGHT / 2) * zoom + ty;
  return { x: cx - w / 2, y: cy - h / 2, w, h };
}

export function OverviewCanvas({ layout, model, store, replay, version }: Props) {
  const canvasRef = useRef<HTMLCanvasElement>(null);
  const transform = useStore((s) => s.transform);
  const width = useStore((s) => s.width);
  const height = useStore((s) => s.height);
  const selected = useSyncExternalStore(store.subscribe, () => store.selected);
  const matches = useSyncExternalStore(store.subscribe, () => store.matches);
  const viewOptions = useSyncExternalStore(store.subscribe, () => store.viewOptions);

  // Marks grouped by colour once per change of look, so a frame sets each fill style once.
  const groups = useMemo(() => {
    const byColour = new Map<string, number[]>();
    const best = model.bestPath();
    const bestEdges: number[] = [];
    const shown = new Uint8Array(layout.ids.length);
    layout.ids.forEach((id, i) => {
      if (replay !== null && !isMore(id) && (model.node(id)?.expansion ?? 0) > replay) return;
      shown[i] = 1;
      const view = isMore(id) ? undefined : store.view(id);
      const colour = isMore(id) ? PLACEHOLDER : (view?.fill ?? (view?.outcome === 'correct' ? CORRECT : NEUTRAL));
      let list = byColour.get(colour);
      if (!list) byColour.set(colour, (list = []));
      list.push(i);
      if (i > 0 && best.has(id) && best.has(layout.ids[layout.parentIndex[i]!]!)) bestEdges.push(i);
    });
    return { byColour, bestEdges, shown };
    // version and viewOptions: looks live in the mutable model and store.
  }, [layout, model, store, replay, version, viewOptions]);

  useEffect(() => {
    const canvas = canvasRef.current;
    if (!canvas || width === 0 || height === 0) return;
    const dpr = window.devicePixelRatio || 1;
    if (canvas.width !== Math.round(width * dpr) || canvas.height !== Math.round(height * dpr)) {
      canvas.width = Math.round(width * dpr);
      canvas.height = Math.round(height * dpr);
    }
    const ctx = canvas.getContext('2d');
    if (!ctx) return;
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    ctx.clearRect(0, 0, width, height);
    const { positions, parentIndex } = layout;
    const [tx, ty, zoom] = transform;
    const onScreen = (b: { x: number; y: number; w: number; h: number }) =>
      b.x + b.w >= 0 && b.y + b.h >= 0 && b.x <= width && b.y <= height;

    const edgePath = (indices: Iterable<number>) => {
      ctx.beginPath();
      for (const i of indices) {
        const p = parentIndex[i]!;
        if (p < 0 || !groups.shown[i]) continue;
        ctx.moveTo((positions[2 * p]! + NODE_WIDTH / 2) * zoom + tx, (positions[2 * p + 1]! + NODE_HEIGHT) * zoom + ty);
        ctx.lineTo((positions[2 * i]! + NODE_WIDTH / 2) * zoom + tx, positions[2 * i + 1]! * zoom + ty);
      }
    };
    ctx.lineWidth = 1;
    ctx.strokeStyle = EDGE;
    edgePath(layout.ids.keys());
    ctx.stroke();
    ctx.lineWidth = 2;
    ctx.strokeStyle = GOLD;
    edgePath(groups.bestEdges);
    ctx.stroke();

    // What was drawn, for tests and the status line: how many marks and the box around them.
    let drawn = 0;
    let x0 = Infinity;
    let y0 = Infinity;
    let x1 = -Infinity;
    let y1 = -Infinity;
    for (const [colour, indices] of groups.byColour) {
      ctx.fillStyle = colour;
      for (const i of indices) {
        const b = markBox(positions, i, transform);
        if (!onScreen(b)) continue;
        ctx.fillRect(b.x, b.y, b.w, b.h);
        drawn++;
        x0 = Math.min(x0, b.x);
        y0 = Math.min(y0, b.y);
        x1 = Math.max(x1, b.x + b.w);
        y1 = Math.max(y1, b.y + b.h);
      }
    }
    const ring = (i: number, colour: string, pad: number) => {
      const b = markBox(positions, i, transform);
      ctx.strokeStyle = colour;
      ctx.lineWidth = 2;
      ctx.strokeRect(b.x - pad, b.y - pad, b.w + 2 * pad, b.h + 2 * pad);
    };
    if (matches.size) {
      layout.ids.forEach((id, i) => {
        if (matches.has(id) && groups.shown[i]) ring(i, MATCH, 2);
      });
    }
    const at = selected === null ? -1 : (layout.index.get(selected) ?? -1);
    if (at >= 0) ring(at, ACCENT, 4);
    const sel = at >= 0 ? markBox(positions, at, transform) : null;
    canvas.dataset.selected = sel ? [sel.x, sel.y, sel.w, sel.h].map((v) => v.toFixed(1)).join(',') : '';
    canvas.dataset.drawn = String(drawn);
    canvas.dataset.bounds = drawn ? [x0, y0, x1, y1].map((v) => v.toFixed(1)).join(',') : '';
  }, [layout, groups, transform, width, height, selected, matches]);

  return (
    <canvas
      ref={canvasRef}
      className="overview-canvas"
      data-testid="overview-canvas"
      aria-label={`Overview of ${layout.ids.length.toLocaleString()} nodes; zoom in to read them`}
      role="img"
      style={{ width, height }}
    />
  );
}
