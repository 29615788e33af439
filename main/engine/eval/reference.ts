/**
 * The step labels a PRM is measured against: gold labels (a benchmark's reference annotator, or
 * quality-control gold), the majority of the studio's people (reference annotators left out; a
 * tie is no label), or the task's exact labels (countdown's solver). `auto` takes the first of
 * these the runs have.
 */
import type { Rating } from '../../../common/domain';
import type { Store } from '../store/store';

export const REFERENCES = ['auto', 'gold', 'human', 'exact'] as const;
export type ReferenceChoice = (typeof REFERENCES)[number];
export type Reference = Exclude<ReferenceChoice, 'auto'>;

const gold = (store: Store, runIds: readonly number[]): Map<number, Rating> => store.prmEvaluations.goldLabels(runIds);

const exact = (store: Store, runIds: readonly number[]): Map<number, Rating> => store.prmEvaluations.exactLabels(runIds);

/** The most common rating among people who rated the step; reference annotators (gold set_by names) do not count. */
function human(store: Store, runIds: readonly number[]): Map<number, Rating> {
  const out = new Map<number, Rating>();
  for (const runId of runIds) {
    const rows = store.prmEvaluations.peopleRatingCounts(runId);
    for (let i = 0; i < rows.length; ) {
      let j = i;
      while (j < rows.length && rows[j]!.nodeId === rows[i]!.nodeId) j++;
      const group = rows.slice(i, j).sort((a, b) => b.count - a.count);
      if (group.length === 1 || group[0]!.count > group[1]!.count) out.set(group[0]!.nodeId, group[0]!.rating);
      i = j;
    }
  }
  return out;
}

const READERS: Record<Reference, (store: Store, runIds: readonly number[]) => Map<number, Rating>> = { gold, human, exact };

/** The reference labels by node id, and which kind they are. */
export function referenceLabels(store: Store, runIds: readonly number[], choice: ReferenceChoice): { reference: Reference; labels: Map<number, Rating> } {
  if (choice !== 'auto') return { reference: choice, labels: READERS[choice](store, runIds) };
  for (const reference of ['gold', 'exact', 'human'] as const) {
    const labels = READERS[reference](store, runIds);
    if (labels.size) return { reference, labels };
  }
  return { reference: 'gold', labels: new Map() };
}
