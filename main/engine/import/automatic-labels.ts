/**
 * Imported automatic labels (Math-Shepherd's Monte-Carlo +/-, or soft estimates) go to the
 * automatic-labels table under source `import`: shown as suggestions, never as a human's label,
 * and exported with the label source `auto:import`.
 */
import type Database from 'better-sqlite3';
import type { Rating } from '../../../common/domain';

export interface AutomaticLabel {
  nodeId: number;
  label: Rating | null;
  /** A soft estimate (fraction of rollouts reaching the answer), when the file gives one. */
  value: number | null;
  /** What produced the label, e.g. `math-shepherd`. */
  model: string;
}

export function storeAutomaticLabels(db: Database.Database, runId: number, labels: readonly AutomaticLabel[]): void {
  const insert = db.prepare(
    `INSERT INTO auto_labels (node_id, run_id, source, label, value, model) VALUES (?, ?, 'import', ?, ?, ?)
     ON CONFLICT (node_id, source) DO UPDATE SET label = excluded.label, value = excluded.value, model = excluded.model`,
  );
  for (const l of labels) insert.run(l.nodeId, runId, l.label, l.value, l.model);
}
