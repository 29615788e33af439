/**
 * Step labels as an export sees them: one rating (or none) per node, from the chosen source:
 * an annotator, the majority of annotators, adjudicated labels, the task's exact labels, stored
 * automatic labels, or a Monte-Carlo estimate.
 */
import type { LabelSource } from '../../../common/contract/export';
import type { Rating } from '../../../common/domain';
import type { Connection } from '../store/db';
import { exportReads } from '../store/export-reads';
import { monteCarlo } from './monte-carlo';
import type { ExportTree } from './tree';

const NONE = 2;

export class LabelView {
  /** Rating per node index; 2 = no label. */
  readonly ratings: Int8Array;
  /** Flag per node index: 1 flagged, 0 not, 2 unknown. */
  readonly flags: Int8Array;
  /** When the label was first and last set (ISO), where one annotator's labels are used. */
  readonly created = new Map<number, string>();
  readonly updated = new Map<number, string>();

  constructor(
    size: number,
    /** The labeler written into exports: the annotator, or `majority`, `exact`, ... */
    readonly name: string,
  ) {
    this.ratings = new Int8Array(size).fill(NONE);
    this.flags = new Int8Array(size).fill(NONE);
  }

  rating(i: number): Rating | null {
    const r = this.ratings[i]!;
    return r === NONE ? null : (r as Rating);
  }

  flagged(i: number): boolean | null {
    const f = this.flags[i]!;
    return f === NONE ? null : f === 1;
  }

  set(i: number, rating: Rating | null, flagged: boolean | null = null): void {
    this.ratings[i] = rating ?? NONE;
    this.flags[i] = flagged === null ? NONE : flagged ? 1 : 0;
  }
}

export type LabelResolver = (tree: ExportTree, db: Connection, source: LabelSource) => LabelView;

function fromAnnotator(tree: ExportTree, _db: Connection, source: LabelSource): LabelView {
  const annotator = source.kind === 'annotator' ? source.annotator : '';
  const view = new LabelView(tree.nodes.length, annotator);
  for (const a of tree.source.annotations) {
    if (a.annotator !== annotator) continue;
    const i = tree.indexOf(a.nodeId);
    if (i === undefined) continue;
    view.set(i, a.rating, a.flagged);
    view.created.set(i, a.createdAt);
    view.updated.set(i, a.updatedAt);
  }
  return view;
}

/** The most common rating among annotators who rated the step; a tie is no label. */
function fromMajority(tree: ExportTree): LabelView {
  const view = new LabelView(tree.nodes.length, 'majority');
  const annotations = tree.source.annotations; // sorted by node
  for (let start = 0; start < annotations.length; ) {
    const nodeId = annotations[start]!.nodeId;
    let end = start;
    const counts = [0, 0, 0];
    let flagged = 0;
    while (end < annotations.length && annotations[end]!.nodeId === nodeId) {
      const a = annotations[end]!;
      if (a.rating !== null) counts[a.rating + 1]! += 1;
      if (a.flagged) flagged += 1;
      end += 1;
    }
    const i = tree.indexOf(nodeId);
    if (i !== undefined) {
      const best = Math.max(...counts);
      const winners = counts.flatMap((c, k) => (c === best ? [k - 1] : []));
      const rating = best > 0 && winners.length === 1 ? (winners[0] as Rating) : null;
      view.set(i, rating, flagged * 2 > end - start);
    }
    start = end;
  }
  return view;
}

function fromExact(tree: ExportTree): LabelView {
  const view = new LabelView(tree.nodes.length, 'exact');
  tree.nodes.forEach((n, i) => view.set(i, n.exactLabel));
  return view;
}

/** Hard Monte-Carlo label: +1 if any finished continuation is correct, -1 if none is. */
function fromMonteCarlo(tree: ExportTree, db: Connection): LabelView {
  const view = new LabelView(tree.nodes.length, 'monte-carlo');
  const { soft } = monteCarlo(tree, db);
  soft.forEach((p, i) => view.set(i, Number.isNaN(p) ? null : p > 0 ? 1 : -1));
  return view;
}

/** A reviewer's final label where one was set; elsewhere annotators agreed, so the majority. */
function fromAdjudicated(tree: ExportTree, db: Connection): LabelView {
  const majority = fromMajority(tree);
  const view = new LabelView(tree.nodes.length, 'adjudicated');
  view.ratings.set(majority.ratings);
  view.flags.set(majority.flags);
  for (const r of exportReads(db).adjudications(tree.run.id)) {
    const i = tree.indexOf(r.nodeId);
    if (i !== undefined) view.ratings[i] = r.rating;
  }
  return view;
}

/** Stored automatic labels of one source (Monte-Carlo, first-error, scorer, imported). */
function fromAutoLabels(tree: ExportTree, db: Connection, source: LabelSource): LabelView {
  const kind = source.kind === 'auto' ? source.source : 'import';
  const view = new LabelView(tree.nodes.length, `auto:${kind}`);
  for (const r of exportReads(db).autoLabels(tree.run.id, kind)) {
    const i = tree.indexOf(r.nodeId);
    if (i !== undefined) view.set(i, r.label);
  }
  return view;
}

const resolvers: Record<LabelSource['kind'], LabelResolver> = {
  annotator: fromAnnotator,
  majority: fromMajority,
  adjudicated: fromAdjudicated,
  exact: fromExact,
  auto: fromAutoLabels,
  mc: fromMonteCarlo,
};

export function resolveLabels(tree: ExportTree, db: Connection, source: LabelSource): LabelView {
  return resolvers[source.kind](tree, db, source);
}

export function labelSourceName(source: LabelSource): string {
  if (source.kind === 'annotator') return `annotator ${source.annotator}`;
  if (source.kind === 'auto') return `automatic labels (${source.source})`;
  return source.kind;
}
