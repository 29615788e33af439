/**
 * Unfinished imports (migration 006). An import opens a batch, records every run and problem it
 * creates in the same short transactions that create them, and finishes the batch at the end.
 * Undoing a batch deletes its runs (their nodes, labels and history go with them) and the problems
 * it created that no other run uses. A batch whose process is gone is undone on the next open.
 */
import type Database from 'better-sqlite3';
import { isProcessAlive } from '../process-alive';

export type BatchRowKind = 'run' | 'problem';

/** owner_pid of a finished batch whose bookkeeping is being forgotten (no process has pid 0). */
const FINISHED = 0;

export class ImportBatchRepository {
  private recordStmt: Database.Statement | null = null;

  constructor(private readonly db: Database.Database) {}

  begin(source: string): number {
    const info = this.db.prepare('INSERT INTO import_batches (owner_pid, source) VALUES (?, ?)').run(process.pid, source);
    return Number(info.lastInsertRowid);
  }

  record(batchId: number, kind: BatchRowKind, rowId: number): void {
    (this.recordStmt ??= this.db.prepare('INSERT INTO import_batch_rows (batch_id, kind, row_id) VALUES (?, ?, ?)')).run(batchId, kind, rowId);
  }

  /** The import is complete: from now on its rows stay, whatever happens to this process. */
  markFinished(batchId: number): void {
    this.db.prepare('UPDATE import_batches SET owner_pid = ? WHERE id = ?').run(FINISHED, batchId);
  }

  /**
   * Forgets a batch's bookkeeping (never its runs or problems), up to `maxRows` of it per call, so
   * a million-row import is forgotten in steps too. Returns true when nothing is left.
   */
  finishStep(batchId: number, maxRows: number): boolean {
    const forgotten = this.db
      .prepare('DELETE FROM import_batch_rows WHERE rowid IN (SELECT rowid FROM import_batch_rows WHERE batch_id = ? LIMIT ?)')
      .run(batchId, maxRows).changes;
    if (forgotten === maxRows) return false;
    this.db.prepare('DELETE FROM import_batches WHERE id = ?').run(batchId);
    return true;
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
      while (!this.finishStep(batchId, 10_000));
      return true;
    })();
  }

  /**
   * Undoes, at once, every unfinished batch whose importing process no longer runs, and forgets
   * finished ones a process left half-forgotten; returns the ids undone.
   */
  undoOrphans(): number[] {
    const batches = this.db.prepare('SELECT id, owner_pid FROM import_batches').all() as { id: number; owner_pid: number }[];
    for (const b of batches) if (b.owner_pid === FINISHED) while (!this.finishStep(b.id, 10_000));
    const orphans = batches.filter((b) => b.owner_pid !== FINISHED && !isProcessAlive(b.owner_pid)).map((b) => b.id);
    for (const id of orphans) while (!this.undoStep(id, 1000));
    return orphans;
  }
}
