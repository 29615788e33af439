/**
 * "Accept all suggestions on this path": which steps to send, and whether one undo may take the
 * whole batch back (only while its labels are still the newest entries of the history).
 */
import type { AutoLabel } from '../../../common/contract/suggest';
import type { HistoryEntry } from '../../../common/domain';

/** Path steps with a usable suggestion from `source` that this annotator has not rated. */
export function acceptableOnPath(
  pathIds: number[],
  suggestions: ReadonlyMap<number, readonly AutoLabel[]>,
  source: AutoLabel['source'],
  isRated: (nodeId: number) => boolean,
): number[] {
  return pathIds.filter(
    (id) => !isRated(id) && (suggestions.get(id) ?? []).some((l) => l.source === source && l.label !== null),
  );
}

/** Sources that have at least one usable suggestion on the path, in a stable order. */
export function sourcesOnPath(pathIds: number[], suggestions: ReadonlyMap<number, readonly AutoLabel[]>): AutoLabel['source'][] {
  const order: AutoLabel['source'][] = ['exact', 'mc', 'first-error', 'scorer', 'import'];
  const found = new Set<AutoLabel['source']>();
  for (const id of pathIds) for (const l of suggestions.get(id) ?? []) if (l.label !== null) found.add(l.source);
  return order.filter((s) => found.has(s));
}

export interface AcceptedBatch {
  runId: number;
  annotator: string;
  nodeIds: number[];
}

/**
 * True when this annotator's newest history entries in the run are exactly this batch's labels,
 * each a fresh "do": then undoing that many entries undoes the batch and nothing else. (Other
 * annotators' entries in between do not matter: undo is per annotator.)
 */
export function batchOnTop(entries: readonly HistoryEntry[], batch: AcceptedBatch): boolean {
  const n = batch.nodeIds.length;
  if (n === 0 || entries.length < n) return false;
  const mine = entries.filter((e) => e.annotator === batch.annotator);
  if (mine.length < n) return false;
  const want = new Set(batch.nodeIds);
  const top = mine.slice(0, n);
  return top.every((e) => e.action === 'do' && e.entity === 'annotation' && e.nodeId !== null && want.delete(e.nodeId)) && want.size === 0;
}
