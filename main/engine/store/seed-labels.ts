/**
 * Ratings written straight into annotations for generated databases (synthetic, benchmark and
 * scale-test trees): no history, no undo, no change events. Never for a person's labels, which go
 * through `store.annotations`. Callers refresh `runs.labeled_count` once at the end.
 */
import type Database from 'better-sqlite3';
import type { Rating } from '../../../common/domain';

export class SeedLabelRepository {
  private insertStmt: Database.Statement | null = null;

  constructor(private readonly db: Database.Database) {}

  /** Rates the run's steps given by seq, as `annotator`, in one transaction. */
  rateBySeq(runId: number, annotator: string, ratings: readonly { seq: number; rating: Rating }[]): void {
    const insert = (this.insertStmt ??= this.db.prepare(
      'INSERT INTO annotations (node_id, run_id, annotator, rating) SELECT id, run_id, ?, ? FROM nodes WHERE run_id = ? AND seq = ?',
    ));
    this.db.transaction(() => {
      for (const r of ratings) insert.run(annotator, r.rating, runId, r.seq);
    })();
  }
}
