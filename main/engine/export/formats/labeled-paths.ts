/**
 * The step-supervision records of a tree (TRL, Math-Shepherd): for every root-to-leaf path, the
 * longest prefix whose steps all carry a label, optionally cut after the first error. A prefix
 * that another record extends is dropped, so no step is supervised twice by the same record.
 */
import type { ExportTree } from '../tree';

export interface LabeledPath<L> {
  /** Node indices, first step first. */
  steps: number[];
  labels: L[];
  /** Whether the record reaches its leaf (or stops at an error when asked to). */
  complete: boolean;
}

export interface LabeledPathOptions<L> {
  /** The step's label, or null when it has none. */
  labelOf(i: number): L | null;
  /** When set, a record ends at the first step for which this says true. */
  isError?: (label: L) => boolean;
}

export function labeledPaths<L>(tree: ExportTree, options: LabeledPathOptions<L>): { paths: LabeledPath<L>[]; unlabeled: number } {
  const candidates: LabeledPath<L>[] = [];
  const ends = new Set<number>();
  let unlabeled = 0;
  for (const leaf of tree.leaves()) {
    const path = tree.path(leaf);
    const labels: L[] = [];
    let complete = true;
    for (const i of path) {
      const label = options.labelOf(i);
      if (label === null) {
        complete = false;
        break;
      }
      labels.push(label);
      if (options.isError?.(label)) break;
    }
    if (labels.length === 0) {
      unlabeled += 1;
      continue;
    }
    const end = path[labels.length - 1]!;
    if (ends.has(end)) continue;
    ends.add(end);
    candidates.push({ steps: path.slice(0, labels.length), labels, complete });
  }
  // Drop records that are strict prefixes of another record.
  const inner = new Set<number>();
  for (const c of candidates) for (const i of c.steps.slice(0, -1)) inner.add(i);
  return { paths: candidates.filter((c) => !inner.has(c.steps[c.steps.length - 1]!)), unlabeled };
}
