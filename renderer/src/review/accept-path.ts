/**
 * "Accept all suggestions on this path": which steps to send (the engine records the batch as one
 * action, so one undo takes it back).
 */
import type { AutoLabel } from '../../../common/contract/suggest';

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
