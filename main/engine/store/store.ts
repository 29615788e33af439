/** The studio database: one connection and the repositories over it. */
import type Database from 'better-sqlite3';
import { AnnotationRepository } from './annotations';
import { AutoLabelRepository } from './auto-labels';
import { ImportBatchRepository } from './import-batches';
import { LabelQueueRepository } from './label-queue';
import { openDatabaseWithReason, type OpenOptions } from './db';
import { NodeRepository } from './nodes';
import { NodeWriter, type NodeWriterOptions } from './node-writer';
import { PackedNodeStatements } from './packed-node-writer';
import { PrmEvaluationRepository } from './prm-evaluations';
import { ProblemRepository } from './problems';
import { ReviewRepository } from './reviews';
import { SeedLabelRepository } from './seed-labels';
import { RunRepository } from './runs';

export class Store {
  readonly problems: ProblemRepository;
  readonly runs: RunRepository;
  readonly nodes: NodeRepository;
  readonly annotations: AnnotationRepository;
  readonly importBatches: ImportBatchRepository;
  readonly autoLabels: AutoLabelRepository;
  readonly reviews: ReviewRepository;
  readonly labelQueue: LabelQueueRepository;
  readonly seedLabels: SeedLabelRepository;
  readonly prmEvaluations: PrmEvaluationRepository;

  private constructor(
    readonly db: Database.Database,
    readonly path: string,
    /** Why writes fail when the database could only be opened read-only; null when writable. */
    readonly readOnlyReason: string | null = null,
  ) {
    this.problems = new ProblemRepository(db);
    this.runs = new RunRepository(db);
    this.nodes = new NodeRepository(db);
    this.annotations = new AnnotationRepository(db, this.runs);
    this.importBatches = new ImportBatchRepository(db);
    this.autoLabels = new AutoLabelRepository(db);
    this.reviews = new ReviewRepository(db, this.runs);
    this.labelQueue = new LabelQueueRepository(db);
    this.seedLabels = new SeedLabelRepository(db);
    this.prmEvaluations = new PrmEvaluationRepository(db);
  }

  /**
   * Opens or creates a database, migrates it, marks runs whose process died as interrupted and
   * undoes imports whose process died. That cleanup is a write: where it fails (full disk) the
   * database still opens for reading.
   */
  static open(file: string, options: OpenOptions = {}): Store {
    const { db, readOnlyReason } = openDatabaseWithReason(file, options);
    const store = new Store(db, file, readOnlyReason);
    if (readOnlyReason === null) {
      try {
        store.runs.markOrphansInterrupted();
        store.importBatches.undoOrphans();
      } catch (error) {
        if (!/SQLITE_(FULL|READONLY|IOERR|BUSY)|disk|locked|readonly/i.test((error as Error).message)) throw error;
      }
    }
    return store;
  }

  nodeWriter(runId: number, options?: NodeWriterOptions): NodeWriter {
    return new NodeWriter(this.db, runId, options);
  }

  /**
   * Runs `work` in one transaction: every write of the repositories it calls lands, or none
   * (a batch's problems and runs, a run's end). Nested calls join the outer transaction.
   */
  atomically<T>(work: () => T): T {
    return this.db.transaction(work)();
  }

  /**
   * Makes this connection the writer thread's: the statements PackedNodeWriter commits batches
   * with. Foreign-key checks go off on this connection (it writes nothing else): the writer checks
   * the run once per batch and takes parents only from the run's own nodes (packed-node-writer.ts).
   */
  packedNodeStatements(): PackedNodeStatements {
    this.db.pragma('foreign_keys = OFF');
    return new PackedNodeStatements(this.db);
  }

  getSetting(key: string): string | undefined {
    const row = this.db.prepare('SELECT value FROM settings WHERE key = ?').get(key) as { value: string } | undefined;
    return row?.value;
  }

  setSetting(key: string, value: string): void {
    this.db
      .prepare('INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value')
      .run(key, value);
  }

  /**
   * Read-modify-write of one setting in an immediate transaction (no other connection writes in
   * between): `update` gets the stored value (undefined when none) and returns the value to store.
   */
  updateSetting(key: string, update: (current: string | undefined) => string): string {
    return this.db.transaction(() => {
      const next = update(this.getSetting(key));
      this.setSetting(key, next);
      return next;
    }).immediate();
  }

  /** Keys of the settings whose key starts with `prefix`. */
  settingKeysWithPrefix(prefix: string): string[] {
    return this.db
      .prepare("SELECT key FROM settings WHERE key LIKE ? ESCAPE '\\'")
      .pluck()
      .all(`${prefix.replace(/[\\%_]/g, (c) => `\\${c}`)}%`) as string[];
  }

  /** Copies the write-ahead log into the database file and empties it (after a bulk write). */
  checkpointWal(): void {
    this.db.pragma('wal_checkpoint(TRUNCATE)');
  }

  /** Leaves WAL mode: the WAL is folded in and the file stands alone (to move or ship it). */
  leaveWalMode(): void {
    this.db.pragma('journal_mode = DELETE');
  }

  close(): void {
    if (this.db.open) this.db.close();
  }
}

export { StoreError } from './errors';
export type { NewNode, NodeStats, NodeSink, FlushResult } from './node-writer';
export type { NewRun, RunFilter } from './runs';
export type { AnnotationChange } from './annotations';
