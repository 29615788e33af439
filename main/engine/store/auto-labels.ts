/**
 * Automatic step labels (table auto_labels): suggestions kept apart from human labels, one per
 * step and source; a later label of the same source replaces the earlier one.
 */
import type Database from 'better-sqlite3';
import type { Rating } from '../../../common/domain';

export type AutoSource = 'mc' | 'first-error' | 'exact' | 'scorer' | 'import';

export interface AutoLabel {
  nodeId: number;
  source: AutoSource;
  label: Rating | null;
  value: number | null;
  rollouts: number | null;
  model: string | null;
}

export class AutoLabelRepository {
  private upsertStmt: Database.Statement | null = null;

  constructor(private readonly db: Database.Database) {}

  /**
   * Stores labels on a run's steps in one transaction, replacing those of the same step and
   * source (imports store theirs under source `import`: Math-Shepherd's +/-, soft estimates).
   */
  save(runId: number, labels: readonly AutoLabel[]): void {
    const upsert = (this.upsertStmt ??= this.db.prepare(
      `INSERT INTO auto_labels (node_id, run_id, source, label, value, rollouts, model) VALUES (?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (node_id, source) DO UPDATE SET label = excluded.label, value = excluded.value,
         rollouts = excluded.rollouts, model = excluded.model, created_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now')`,
    ));
    this.db.transaction(() => {
      for (const l of labels) upsert.run(l.nodeId, runId, l.source, l.label, l.value, l.rollouts, l.model);
    })();
  }

  /** A run's automatic labels, by step then source. */
  forRun(runId: number): AutoLabel[] {
    return (
      this.db
        .prepare('SELECT node_id, source, label, value, rollouts, model FROM auto_labels WHERE run_id = ? ORDER BY node_id, source')
        .all(runId) as { node_id: number; source: AutoSource; label: Rating | null; value: number | null; rollouts: number | null; model: string | null }[]
    ).map((r) => ({ nodeId: r.node_id, source: r.source, label: r.label, value: r.value, rollouts: r.rollouts, model: r.model }));
  }
}
