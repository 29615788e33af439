/**
 * What each tree node shows, derived from the run model plus UI state (selection, collapsed
 * subtrees, search matches, colour mode, annotator). Node components subscribe per node id and
 * get a cached snapshot that changes only when that node's look changes, so labeling a step or
 * moving the selection re-renders two or three nodes, not the whole tree.
 */
import type { Rating } from '../../../common/domain';
import { colourDomain, numericColour, ratingColour, type ColourMode } from './colour';
import type { ModelChange, RunModel } from './run-model';

export interface NodeView {
  id: number;
  seq: number;
  text: string;
  isRoot: boolean;
  visits: number;
  outcome: 'correct' | 'incorrect' | null;
  terminal: boolean;
  /** The node itself carries the prune flag. */
  prunedRoot: boolean;
  /** The node is pruned or under a pruned ancestor. */
  pruned: boolean;
  myRating: Rating | null;
  /** How many other annotators rated it, and whether any of them disagree with me. */
  others: number;
  disagree: boolean;
  flagged: boolean;
  hasNote: boolean;
  fill: string | null;
  /** Fill comes from other annotators, not from me. */
  fillMuted: boolean;
  best: boolean;
  afterError: boolean;
  childCount: number;
  /** Descendants hidden because the node is collapsed (0 when expanded). */
  hiddenCount: number;
  selected: boolean;
  onPath: boolean;
  match: boolean;
  branchScore: number | null;
  preferred: boolean;
}

export interface ViewOptions {
  annotator: string;
  colourMode: ColourMode;
  firstErrorMode: boolean;
  /** Blind labeling: on steps I have not rated, show nothing of the outcome, exact label or other annotators. */
  blind: boolean;
}

const TEXT_PREVIEW = 140;

type Listener = () => void;

export class ViewStore {
  selected: number | null = null;
  /** The selection was made by the studio (where labeling starts), not yet by the annotator. */
  selectedByStudio = false;
  collapsed: ReadonlySet<number> = new Set();
  /** Parents whose folded sibling groups are opened (see visibility.ts). */
  openGroups: ReadonlySet<number> = new Set();
  /** Nodes shown although their group is folded (visited by the keyboard, opened from review). */
  pinned: ReadonlySet<number> = new Set();
  matches: ReadonlySet<number> = new Set();
  private pathSet: ReadonlySet<number> = new Set();
  private lastBest: ReadonlySet<number>;
  private cache = new Map<number, NodeView>();
  private listeners = new Set<Listener>();
  private unsubscribeModel: () => void;

  constructor(
    readonly model: RunModel,
    private options: ViewOptions,
  ) {
    this.lastBest = model.bestPath();
    this.unsubscribeModel = model.subscribe((change) => this.onModelChange(change));
  }

  dispose(): void {
    this.unsubscribeModel();
    this.listeners.clear();
  }

  subscribe = (listener: Listener): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  private notify(): void {
    for (const l of this.listeners) l();
  }

  get annotator(): string {
    return this.options.annotator;
  }

  get viewOptions(): ViewOptions {
    return this.options;
  }

  setOptions(options: ViewOptions): void {
    const o = this.options;
    if (
      o.annotator === options.annotator &&
      o.colourMode === options.colourMode &&
      o.firstErrorMode === options.firstErrorMode &&
      o.blind === options.blind
    ) {
      return;
    }
    this.options = options;
    this.cache.clear();
    this.notify();
  }

  setSelected(id: number | null, byStudio = false): void {
    this.selectedByStudio = byStudio;
    if (id === this.selected) return;
    const oldPath = this.pathSet;
    this.selected = id;
    this.pathSet = new Set(id === null ? [] : this.model.pathTo(id).map((n) => n.id));
    for (const p of oldPath) this.cache.delete(p);
    for (const p of this.pathSet) this.cache.delete(p);
    this.notify();
  }

  setCollapsed(collapsed: ReadonlySet<number>): void {
    for (const id of this.collapsed) if (!collapsed.has(id)) this.cache.delete(id);
    for (const id of collapsed) if (!this.collapsed.has(id)) this.cache.delete(id);
    this.collapsed = collapsed;
    this.notify();
  }

  setFolding(open: ReadonlySet<number>, pinned: ReadonlySet<number> = this.pinned): void {
    if (open === this.openGroups && pinned === this.pinned) return;
    this.openGroups = open;
    this.pinned = pinned;
    this.notify();
  }

  setMatches(matches: ReadonlySet<number>): void {
    for (const id of this.matches) this.cache.delete(id);
    for (const id of matches) this.cache.delete(id);
    this.matches = matches;
    this.notify();
  }

  private onModelChange(change: ModelChange): void {
    if (change.all || change.structure || (change.prune && !change.nodeIds)) this.cache.clear();
    else if (change.nodeIds) for (const id of change.nodeIds) this.cache.delete(id);
    // The golden path may move when stats or prunes change: redraw where it was and where it is.
    if (change.prune) {
      for (const id of this.lastBest) this.cache.delete(id);
      this.lastBest = this.model.bestPath();
      for (const id of this.lastBest) this.cache.delete(id);
    }
    if (change.structure && this.selected !== null) {
      this.pathSet = new Set(this.model.pathTo(this.selected).map((n) => n.id));
    }
    this.notify();
  }

  /** Cached snapshot for one node (stable identity until the node's look changes). */
  view = (id: number): NodeView | undefined => {
    const hit = this.cache.get(id);
    if (hit) return hit;
    const built = this.build(id);
    if (built) this.cache.set(id, built);
    return built;
  };

  private build(id: number): NodeView | undefined {
    const m = this.model;
    const n = m.node(id);
    if (!n) return undefined;
    const me = this.options.annotator;
    const labels = m.labelsOf(id);
    const mine = labels.find((a) => a.annotator === me);
    const myRating = mine?.rating ?? null;
    const hidden = this.options.blind && myRating === null && n.parentId !== null;
    const seen = hidden ? labels.filter((a) => a.annotator === me) : labels;
    const others = seen.filter((a) => a.annotator !== me && a.rating !== null);
    let fill: string | null = null;
    let fillMuted = false;
    switch (this.options.colourMode) {
      case 'label': {
        fill = ratingColour(myRating);
        if (fill === null && others.length) {
          fill = ratingColour(majority(others.map((a) => a.rating!)));
          fillMuted = true;
        }
        break;
      }
      case 'exact':
        fill = hidden ? null : ratingColour(n.exactLabel);
        break;
      case 'score':
        fill = numericColour(n.score, colourDomain(m.ranges().score));
        break;
      case 'value':
        fill = numericColour(n.value, colourDomain(m.ranges().value));
        break;
    }
    const collapsed = this.collapsed.has(id);
    const branch = m.branchOf(id, me);
    const text = n.parentId === null ? m.problem.prompt : withNumbersLeft(n.stepText, n.state, m.problem.task);
    return {
      id,
      seq: n.seq,
      text: text.length > TEXT_PREVIEW ? `${text.slice(0, TEXT_PREVIEW)}…` : text,
      isRoot: n.parentId === null,
      visits: n.visits,
      outcome: hidden ? null : n.outcome,
      terminal: n.isTerminal,
      prunedRoot: n.pruned,
      pruned: m.inPrunedSubtree(id),
      myRating,
      others: others.length,
      disagree: myRating !== null && others.some((a) => a.rating !== myRating),
      flagged: seen.some((a) => a.flagged),
      hasNote: seen.some((a) => a.note.length > 0),
      fill,
      fillMuted,
      best: m.bestPath().has(id),
      afterError: this.options.firstErrorMode && m.afterError(id, me),
      childCount: m.childrenOf(id).length,
      hiddenCount: collapsed ? m.subtreeSize(id) - 1 : 0,
      selected: this.selected === id,
      onPath: this.pathSet.has(id),
      match: this.matches.has(id),
      branchScore: branch?.score ?? null,
      preferred: branch?.preferred ?? false,
    };
  }
}

/**
 * Countdown and Game of 24 steps name the operation ("9*3=27"); the numbers still to use live in
 * the node's state ("24:[4, 27]"). A node shows both, as a person solving the puzzle thinks.
 */
export function withNumbersLeft(stepText: string, state: string | null, task: string): string {
  if (task !== 'countdown' && task !== 'game24') return stepText;
  const left = state === null ? null : /^\s*\d+\s*:\s*\[([^\]]*)\]\s*$/.exec(state);
  return left ? `${stepText}  → [${left[1]!.trim()}]` : stepText;
}

function majority(ratings: Rating[]): Rating {
  const counts = new Map<Rating, number>();
  for (const r of ratings) counts.set(r, (counts.get(r) ?? 0) + 1);
  let best: Rating = ratings[0]!;
  for (const [r, c] of counts) if (c > (counts.get(best) ?? 0)) best = r;
  return best;
}
