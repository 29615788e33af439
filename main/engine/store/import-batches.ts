/**
 * Unfinished imports (migration 006). An import opens a batch, records every run and problem it
 * creates in the same short transactions that create them, and finishes the batch at the end.
 * Undoing a batch deletes its runs (their nodes, labels and history go with them) and the problems
 * it created that no other run uses. A batch whose process is gone is undone on the next open.
 */
import type Database from 'better-sqlite3';
import { isProcessAlive } from '../process-alive';

export type BatchRowKind = 'run' | 'problem';

export class ImportBatchRepository {
  constructor(private readonly db: Database.Database) {}

  begin(source: string): number {
    const info = this.db.prepare('INSERT INTO import_batches (owner_pid, source) VALUES (?, ?)').run(process.pid, source);
    return Number(info.lastInsertRowid);
  }

  record(batchId: number, kind: BatchRowKind, rowId: number): void {
    this.db.prepare('INSERT INTO import_batch_rows (batch_id, kind, row_id) VALUES (?, ?, ?)').run(batchId, kind, rowId);
  }

  /** The import is complete: its rows stay, the bookkeeping goes. */
  finish(batchId: number): void {
    this.db.prepare('DELETE FROM import_batches WHERE id = ?').run(batchId);
  }

  /**
   * Undoes up to `maxRuns` of the batch's runs in one transaction; once none are left, its new
   * problems and the batch itself. Returns true when the batch is fully undone.
   */
  undoStep(batchId: number, maxRuns: number): boolean {
    return this.db.transaction(() => {
      const runs = this.db
        .prepare("SELECT rowid, row_id FROM import_batch_rows WHERE batch_id = ? AND kind = 'run' LIMIT ?")
        .all(batchId, maxRuns) as { rowid: number; row_id: number }[];
      const deleteRun = this.db.prepare('DELETE FROM runs WHERE id = ?');
      const forget = this.db.prepare('DELETE FROM import_batch_rows WHERE rowid = ?');
      for (const r of runs) {
        deleteRun.run(r.row_id);
        forget.run(r.rowid);
      }
      if (runs.length === maxRuns) return false;
      this.db
        .prepare(
          `DELETE FROM problems WHERE id IN (SELECT row_id FROM import_batch_rows WHERE batch_id = ? AND kind = 'problem')
             AND NOT EXISTS (SELECT 1 FROM runs WHERE runs.problem_id = problems.id)`,
        )
        .run(batchId);
      this.finish(batchId);
      return true;
    })();
  }

  /** Undoes, at once, every batch whose importing process no longer runs; returns their ids. */
  undoOrphans(): number[] {
    const batches = this.db.prepare('SELECT id, owner_pid FROM import_batches').all() as { id: number; owner_pid: number }[];
    const orphans = batches.filter((b) => !isProcessAlive(b.owner_pid)).map((b) => b.id);
    for (const id of orphans) while (!this.undoStep(id, 1000));
    return orphans;
  }
}
