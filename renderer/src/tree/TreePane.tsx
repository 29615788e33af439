/**
 * The run's tree in React Flow: visible nodes (collapsed subtrees and folded sibling groups left
 * out) laid out top-down, fixed node sizes with handles given up front (nothing is measured before
 * drawing), only the on-screen part rendered, replay hiding nodes created after the chosen
 * expansion. Below a readable zoom the nodes leave the DOM and the overview canvas draws them.
 */
import {
  Background,
  BackgroundVariant,
  ControlButton,
  Controls,
  MiniMap,
  Panel,
  Position,
  ReactFlow,
  ReactFlowProvider,
  useReactFlow,
  useStore,
  useStoreApi,
  type Edge,
  type Node,
  type NodeHandle,
} from '@xyflow/react';
import {
  forwardRef,
  useCallback,
  useEffect,
  useImperativeHandle,
  useMemo,
  useRef,
  useState,
  useSyncExternalStore,
  type ReactNode,
} from 'react';
import { GAP_Y, NODE_HEIGHT, NODE_WIDTH, type LayoutKind } from '../model/layout';
import type { RunModel } from '../model/run-model';
import type { ViewStore } from '../model/view-store';
import { foldOptions, isMore, parentOfMore, visibleTree } from '../model/visibility';
import { useToaster } from '../ui/toasts';
import { computeLayout } from './layout-client';
import { MoreNode } from './MoreNode';
import { markBox, OverviewCanvas } from './OverviewCanvas';
import { StepNode, TreeContext, type TreeContextValue } from './StepNode';
import { centredViewport, fitZoom, layoutBounds, minZoomFor, READABLE_ZOOM } from './viewport';

/**
 * Above this many laid-out nodes React Flow gets only those within a screen of the viewport (and
 * their parents, for the edges): handing it 10,000 nodes costs seconds per change, and its
 * minimap (which draws every node it has) gives way to the overview canvas.
 */
const CULL_ABOVE = 1500;

/** Which half-screen cell and zoom step the viewport is in: culling is redone when it changes. */
const regionOf = (s: { transform: [number, number, number]; width: number; height: number }) => {
  const [tx, ty, z] = s.transform;
  const w = s.width / z || 1;
  const h = s.height / z || 1;
  return `${Math.round(-tx / z / (w / 2))}:${Math.round(-ty / z / (h / 2))}:${Math.round(Math.log2(z) * 2)}`;
};

const NO_NODES: Node[] = [];
const NO_EDGES: Edge[] = [];

/** Outside any component: React Flow re-creates every node when nodeTypes changes identity. */
const NODE_TYPES = { step: StepNode, more: MoreNode };
/** The zoom a tree opens at, and the one a click on an overview mark dives to: node text at its CSS size. */
const READING_ZOOM = 1;

const HANDLES: NodeHandle[] = [
  { type: 'target', position: Position.Top, x: NODE_WIDTH / 2, y: 0, width: 1, height: 1, id: null },
  { type: 'source', position: Position.Bottom, x: NODE_WIDTH / 2, y: NODE_HEIGHT, width: 1, height: 1, id: null },
];

/** Live following keeps node text readable: it never zooms out past this. */
const LIVE_MIN_ZOOM = 0.7;

export interface TreePaneHandle {
  /** Pans so the node is on screen (after the layout that contains it, if one is pending). */
  reveal(id: number): void;
  fit(): void;
  centre(id: number): void;
  /** After the next layout (collapse or expand moves nodes), keep this node on screen. */
  revealAfterLayout(id: number): void;
}

interface Props {
  model: RunModel;
  store: ViewStore;
  /** Bumped when nodes are added (layout must be recomputed). */
  structureVersion: number;
  /** Bumped when prune flags or the golden path change (edge styles). */
  pruneVersion: number;
  replay: number | null;
  onSelect(id: number): void;
  toggleCollapse(id: number): void;
  openGroup(parentId: number): void;
  layoutKind: LayoutKind;
  /** Fold wide sibling groups to their best few. */
  fold: boolean;
  onLayout?(info: { visible: number; ms: number; inWorker: boolean }): void;
  /** Shown over the canvas, top left (the colour legend). */
  overlay?: ReactNode;
  /** The search is still running: keep the growing tree in view until the user pans or zooms. */
  live?: boolean;
}

interface Layout {
  ids: number[];
  parentIndex: Int32Array;
  positions: Float64Array;
  index: Map<number, number>;
  folded: Map<number, number>;
  kind: LayoutKind;
}

const Inner = forwardRef<TreePaneHandle, Props>(function Inner(props, ref) {
  const { model, store, structureVersion, pruneVersion, replay, onSelect, toggleCollapse, openGroup, onLayout, overlay, live = false } = props;
  const { layoutKind, fold } = props;
  const userMoved = useRef(false);
  const liveRef = useRef(live);
  liveRef.current = live;
  const toast = useToaster();
  const flow = useReactFlow();
  const storeApi = useStoreApi();
  const paneRef = useRef<HTMLDivElement>(null);
  const collapsed = useSyncExternalStore(store.subscribe, () => store.collapsed);
  const openGroups = useSyncExternalStore(store.subscribe, () => store.openGroups);
  const pinned = useSyncExternalStore(store.subscribe, () => store.pinned);
  const zoom = useStore((s) => s.transform[2]);
  const paneWidth = useStore((s) => s.width);
  const paneHeight = useStore((s) => s.height);
  const overview = zoom < READABLE_ZOOM;
  const [layout, setLayout] = useState<Layout | null>(null);
  const pendingReveal = useRef<{ id: number; centre: boolean } | null>(null);
  const firstView = useRef(true);
  const replayRef = useRef(replay);
  replayRef.current = replay;
  /** The zoom our own last viewport change aimed at; null once the user zooms. */
  const targetZoom = useRef<number | null>(null);

  useEffect(() => {
    let cancelled = false;
    const vt = visibleTree(model, collapsed, fold ? foldOptions(model, openGroups, pinned) : null);
    computeLayout(vt.parentIndex, layoutKind).then(
      (r) => {
        if (cancelled) return;
        setLayout({ ...vt, positions: r.positions, index: new Map(vt.ids.map((id, i) => [id, i])), kind: layoutKind });
        onLayout?.({ visible: vt.nodeCount, ms: Math.round(r.ms), inWorker: r.inWorker });
      },
      (e: unknown) => !cancelled && toast.error(e, 'Could not lay out the tree'),
    );
    return () => {
      cancelled = true;
    };
    // structureVersion: the model mutates in place when nodes arrive.
  }, [model, collapsed, openGroups, pinned, fold, layoutKind, structureVersion, toast, onLayout]);

  const nodes = useMemo<Node[]>(() => {
    if (!layout) return [];
    const { ids, positions } = layout;
    return ids.map((id, i) => ({
      id: String(id),
      type: isMore(id) ? 'more' : 'step',
      position: { x: positions[2 * i]!, y: positions[2 * i + 1]! },
      data: isMore(id) ? { count: layout.folded.get(id) ?? 0 } : {},
      width: NODE_WIDTH,
      height: NODE_HEIGHT,
      handles: HANDLES,
      draggable: false,
      selectable: false,
      connectable: false,
      focusable: false,
      hidden: replay !== null && (model.node(id)?.expansion ?? 0) > replay,
    }));
  }, [layout, replay, model]);

  const bounds = useMemo(
    () => (layout ? layoutBounds(layout.positions, (i) => replay === null || (model.node(layout.ids[i]!)?.expansion ?? 0) <= replay) : null),
    [layout, replay, model],
  );
  const minZoom = minZoomFor(bounds, paneWidth, paneHeight);

  const edges = useMemo<Edge[]>(() => {
    if (!layout) return [];
    const best = model.bestPath();
    const out: Edge[] = [];
    const { ids, parentIndex } = layout;
    for (let i = 1; i < ids.length; i++) {
      const id = ids[i]!;
      const parent = ids[parentIndex[i]!]!;
      const classes: string[] = [];
      if (best.has(id) && best.has(parent)) classes.push('edge-best');
      if (model.inPrunedSubtree(id)) classes.push('edge-pruned');
      out.push({
        id: `e${id}`,
        source: String(parent),
        target: String(id),
        type: 'smoothstep',
        className: classes.join(' '),
        selectable: false,
        focusable: false,
        hidden: replay !== null && (model.node(id)?.expansion ?? 0) > replay,
      });
    }
    return out;
    // pruneVersion: prune flags and the golden path live in the mutable model.
  }, [layout, replay, model, pruneVersion]);

  const region = useStore(regionOf);
  const culled = useMemo(() => {
    if (!layout || layout.ids.length <= CULL_ABOVE || overview) return null;
    const { transform, width, height } = storeApi.getState();
    const [tx, ty, z] = transform;
    const w = width / z;
    const h = height / z;
    const x0 = -tx / z - w - NODE_WIDTH;
    const y0 = -ty / z - h - NODE_HEIGHT;
    const keep = new Uint8Array(layout.ids.length);
    for (let i = 0; i < layout.ids.length; i++) {
      const x = layout.positions[2 * i]!;
      const y = layout.positions[2 * i + 1]!;
      if (x >= x0 && x <= x0 + 3 * w + NODE_WIDTH && y >= y0 && y <= y0 + 3 * h + NODE_HEIGHT) {
        keep[i] = 1;
        if (i > 0) keep[layout.parentIndex[i]!] = 1;
      }
    }
    return keep;
    // region: recomputed when the viewport moves half a screen or zooms a step.
  }, [layout, region, overview, storeApi]);
  const flowNodes = useMemo(() => (culled ? nodes.filter((_, i) => culled[i]) : nodes), [nodes, culled]);
  // Edge k leads to node k + 1; a kept node keeps its parent, so both ends are there.
  const flowEdges = useMemo(() => (culled ? edges.filter((_, k) => culled[k + 1]) : edges), [edges, culled]);


  const centreAt = useCallback(
    (i: number, layoutNow: Layout, always: boolean) => {
      const x = layoutNow.positions[2 * i]! + NODE_WIDTH / 2;
      const y = layoutNow.positions[2 * i + 1]! + NODE_HEIGHT / 2;
      const vp = flow.getViewport();
      const pane = paneRef.current?.getBoundingClientRect();
      if (!pane) return;
      const sx = x * vp.zoom + vp.x;
      const sy = y * vp.zoom + vp.y;
      const margin = 60;
      const inside = sx > margin && sx < pane.width - margin && sy > margin && sy < pane.height - margin;
      // The zoom is read from React Flow's store, which holds where an animation is heading
      // only at its end; keys pressed faster than the animation must not compound a mid-flight
      // zoom, so re-centring keeps the zoom the user chose (targetZoom), not the current one.
      if (always || !inside) void flow.setCenter(x, y, { zoom: targetZoom.current ?? vp.zoom, duration: 160 });
    },
    [flow],
  );

  /**
   * Fits the laid-out tree to the pane from the layout's own positions: React Flow's fitView only
   * counts nodes it has measured, and with onlyRenderVisibleElements off-screen nodes never are.
   */
  const fitLayout = useCallback(
    /** Returns false (and does nothing) when fitting would need a zoom below `atLeast`. */
    (l: Layout, duration: number, atLeast = 0): boolean => {
      const { width, height } = storeApi.getState();
      const replayAt = replayRef.current;
      const box = layoutBounds(l.positions, (i) => replayAt === null || (model.node(l.ids[i]!)?.expansion ?? 0) <= replayAt);
      if (!box || width === 0 || height === 0) return true;
      const zoom = fitZoom(box, width, height);
      if (zoom < atLeast) return false;
      // React Flow clamps to its minZoom, which may still hold the previous layout's value.
      storeApi.getState().panZoom?.setScaleExtent([Math.min(zoom, 0.03), 2]);
      targetZoom.current = zoom;
      void flow.setViewport(centredViewport(box, width, height, zoom), { duration });
      return true;
    },
    [flow, storeApi, model],
  );

  // First layout of a run: small trees fit the window; big ones start readable at the selected
  // step (a little below centre, so its parent shows above it), or at the root. Waits until
  // React Flow has measured its pane and taken the nodes, which is a frame or two after mount.
  // A live tree that the user has not moved follows its growth: the whole tree while it fits
  // legibly, else the newest node at a readable zoom.
  useEffect(() => {
    if (!layout || firstView.current || !liveRef.current || userMoved.current) return;
    const frame = requestAnimationFrame(() => {
      if (fitLayout(layout, 120, LIVE_MIN_ZOOM)) return;
      let newest = 0;
      for (let i = 1; i < layout.ids.length; i++) {
        if ((model.node(layout.ids[i]!)?.seq ?? 0) > (model.node(layout.ids[newest]!)?.seq ?? 0)) newest = i;
      }
      const x = layout.positions[2 * newest]! + NODE_WIDTH / 2;
      const y = layout.positions[2 * newest + 1]! + NODE_HEIGHT / 2;
      targetZoom.current = LIVE_MIN_ZOOM;
      void flow.setCenter(x, y, { zoom: LIVE_MIN_ZOOM, duration: 120 });
    });
    return () => cancelAnimationFrame(frame);
  }, [layout, fitLayout, flow, model]);

  useEffect(() => {
    if (!layout || !firstView.current) return;
    firstView.current = false;
    let frame = 0;
    let tries = 0;
    const place = () => {
      const { width, height, nodeLookup } = storeApi.getState();
      if ((width === 0 || height === 0 || nodeLookup.size === 0) && tries++ < 120) {
        frame = requestAnimationFrame(place);
        return;
      }
      if (layout.ids.length <= 40) {
        fitLayout(layout, 0);
        return;
      }
      const zoom = READING_ZOOM;
      targetZoom.current = zoom;
      const at = store.selected !== null ? (layout.index.get(store.selected) ?? 0) : 0;
      const x = layout.positions[2 * at]! + NODE_WIDTH / 2;
      const y = layout.positions[2 * at + 1]!;
      const dy = at === 0 ? height / 2 - GAP_Y : NODE_HEIGHT;
      void flow.setCenter(x, y + dy / zoom, { zoom, duration: 0 });
    };
    frame = requestAnimationFrame(place);
    return () => cancelAnimationFrame(frame);
  }, [layout, flow, store, storeApi, fitLayout]);

  useEffect(() => {
    const want = pendingReveal.current;
    if (!layout || !want) return;
    const i = layout.index.get(want.id);
    if (i === undefined) return;
    pendingReveal.current = null;
    // Let React Flow take the new nodes before panning.
    requestAnimationFrame(() => centreAt(i, layout, want.centre));
  }, [layout, centreAt]);

  useImperativeHandle(
    ref,
    () => ({
      reveal(id) {
        const i = layout?.index.get(id);
        if (layout && i !== undefined) centreAt(i, layout, false);
        else pendingReveal.current = { id, centre: false };
      },
      centre(id) {
        const i = layout?.index.get(id);
        if (layout && i !== undefined) centreAt(i, layout, true);
        else pendingReveal.current = { id, centre: true };
      },
      revealAfterLayout(id) {
        pendingReveal.current = { id, centre: false };
      },
      fit() {
        if (layout) fitLayout(layout, 200);
        userMoved.current = false;
      },
    }),
    [layout, centreAt, fitLayout],
  );

  const ctx = useMemo<TreeContextValue>(() => ({ store, toggleCollapse, openGroup }), [store, toggleCollapse, openGroup]);
  // Colour mode, annotator and blind labeling change what a node's colour may say.
  const viewOptions = useSyncExternalStore(store.subscribe, () => store.viewOptions);
  const minimapColour = useCallback((n: Node) => store.view(Number(n.id))?.fill ?? '#3b4452', [store, viewOptions]);

  /** In the overview, a click on a mark selects its node and zooms in to read it. */
  const pickMark = useCallback(
    (event: React.MouseEvent) => {
      const pane = paneRef.current?.getBoundingClientRect();
      if (!layout || !pane) return;
      const transform = storeApi.getState().transform;
      const px = event.clientX - pane.left;
      const py = event.clientY - pane.top;
      let best = -1;
      let bestDistance = 8;
      for (let i = 0; i < layout.ids.length; i++) {
        const b = markBox(layout.positions, i, transform);
        const dx = Math.max(b.x - px, 0, px - b.x - b.w);
        const dy = Math.max(b.y - py, 0, py - b.y - b.h);
        const d = Math.hypot(dx, dy);
        if (d < bestDistance) [best, bestDistance] = [i, d];
      }
      if (best < 0) return;
      const id = layout.ids[best]!;
      if (isMore(id)) openGroup(parentOfMore(id));
      else onSelect(id);
      targetZoom.current = READING_ZOOM;
      void flow.setCenter(layout.positions[2 * best]! + NODE_WIDTH / 2, layout.positions[2 * best + 1]! + NODE_HEIGHT / 2, {
        zoom: READING_ZOOM,
        duration: 200,
      });
    },
    [layout, storeApi, flow, onSelect, openGroup],
  );

  return (
    <div
      className={`tree-pane${overview ? ' is-overview' : ''}`}
      ref={paneRef}
      data-testid="tree-pane"
      data-visible-nodes={layout?.ids.length ?? 0}
      data-layout={layout?.kind}
      data-zoom={zoom.toFixed(4)}
      data-overview={overview}
    >
      <TreeContext.Provider value={ctx}>
        <ReactFlow
          nodes={overview ? NO_NODES : flowNodes}
          edges={overview ? NO_EDGES : flowEdges}
          nodeTypes={NODE_TYPES}
          onNodeClick={(_, n) => (isMore(Number(n.id)) ? openGroup(parentOfMore(Number(n.id))) : onSelect(Number(n.id)))}
          onPaneClick={overview ? pickMark : undefined}
          onMoveStart={(event) => {
            // Only people move with an event; our own fit and centre calls have none.
            if (event) {
              userMoved.current = true;
              targetZoom.current = null;
            }
          }}
          onlyRenderVisibleElements
          nodesDraggable={false}
          nodesConnectable={false}
          nodesFocusable={false}
          edgesFocusable={false}
          elementsSelectable={false}
          disableKeyboardA11y
          deleteKeyCode={null}
          selectionKeyCode={null}
          multiSelectionKeyCode={null}
          panActivationKeyCode={null}
          panOnScroll
          zoomOnScroll={false}
          zoomOnDoubleClick={false}
          minZoom={minZoom}
          maxZoom={2}
          colorMode="dark"
          attributionPosition="top-right"
        >
          {overlay && (
            <Panel position="top-left" className="legend-panel">
              {overlay}
            </Panel>
          )}
          <Background variant={BackgroundVariant.Dots} gap={24} size={1} color="#262d37" />
          <Controls showInteractive={false} showFitView={false} position="bottom-left">
            <ControlButton onClick={() => layout && fitLayout(layout, 200)} title="Fit the whole tree (Shift+F)" aria-label="Fit the whole tree">
              ⤢
            </ControlButton>
          </Controls>
          {layout && overview && <OverviewCanvas layout={layout} model={model} store={store} replay={replay} version={pruneVersion} />}
          {!overview && !culled && <MiniMap
            pannable
            zoomable
            position="bottom-right"
            nodeColor={minimapColour}
            nodeStrokeWidth={0}
            maskColor="rgba(8, 10, 14, 0.65)"
            bgColor="#12161c"
          />}
        </ReactFlow>
      </TreeContext.Provider>
    </div>
  );
});

export const TreePane = forwardRef<TreePaneHandle, Props>(function TreePane(props, ref) {
  return (
    <ReactFlowProvider>
      <Inner {...props} ref={ref} />
    </ReactFlowProvider>
  );
});
