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

function gold(store: Store, runIds: readonly number[]): Map<number, Rating> {
  const select = store.db.prepare('SELECT node_id, rating FROM gold_labels WHERE run_id = ?');
  const out = new Map<number, Rating>();
  for (const runId of runIds) for (const r of select.all(runId) as { node_id: number; rating: Rating }[]) out.set(r.node_id, r.rating);
  return out;
}

function exact(store: Store, runIds: readonly number[]): Map<number, Rating> {
  const select = store.db.prepare('SELECT id, exact_label FROM nodes WHERE run_id = ? AND parent_id IS NOT NULL AND exact_label IS NOT NULL');
  const out = new Map<number, Rating>();
  for (const runId of runIds) for (const r of select.all(runId) as { id: number; exact_label: Rating }[]) out.set(r.id, r.exact_label);
  return out;
}

/** The most common rating among people who rated the step; reference annotators (gold set_by names) do not count. */
function human(store: Store, runIds: readonly number[]): Map<number, Rating> {
  const select = store.db.prepare(
    `SELECT node_id, rating, count(*) AS n FROM annotations
     WHERE run_id = ? AND rating IS NOT NULL AND annotator NOT IN (SELECT DISTINCT set_by FROM gold_labels)
     GROUP BY node_id, rating ORDER BY node_id`,
  );
  const out = new Map<number, Rating>();
  for (const runId of runIds) {
    const rows = select.all(runId) as { node_id: number; rating: Rating; n: number }[];
    for (let i = 0; i < rows.length; ) {
      let j = i;
      while (j < rows.length && rows[j]!.node_id === rows[i]!.node_id) j++;
      const group = rows.slice(i, j).sort((a, b) => b.n - a.n);
      if (group.length === 1 || group[0]!.n > group[1]!.n) out.set(group[0]!.node_id, group[0]!.rating);
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
