/** The studio database: one connection and the repositories over it. */
import { AnnotationRepository } from './annotations';
import { AutoLabelRepository } from './auto-labels';
import { ImportBatchRepository } from './import-batches';
import { LabelQueueRepository } from './label-queue';
import { openDatabaseWithReason, type Connection, type OpenOptions } from './db';
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
    /**
     * The raw SQLite connection. Only for handing to a store function that takes one (exports'
     * `exportReads(connection)`, transcripts' `transcriptRows(connection)`) and for tests that
     * check what landed on disk; everything else asks a repository. main/engine/README.md lists
     * each engine file that reads it, and tests/unit/store/sql-in-store.test.ts fails on others.
     */
    readonly connection: Connection,
    readonly path: string,
    /** Why writes fail when the database could only be opened read-only; null when writable. */
    readonly readOnlyReason: string | null = null,
  ) {
    this.problems = new ProblemRepository(connection);
    this.runs = new RunRepository(connection);
    this.nodes = new NodeRepository(connection);
    this.annotations = new AnnotationRepository(connection, this.runs);
    this.importBatches = new ImportBatchRepository(connection);
    this.autoLabels = new AutoLabelRepository(connection);
    this.reviews = new ReviewRepository(connection, this.runs);
    this.labelQueue = new LabelQueueRepository(connection);
    this.seedLabels = new SeedLabelRepository(connection);
    this.prmEvaluations = new PrmEvaluationRepository(connection);
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
    return new NodeWriter(this.connection, runId, options);
  }

  /**
   * Runs `work` in one transaction: every write of the repositories it calls lands, or none
   * (a batch's problems and runs, a run's end). Nested calls join the outer transaction.
   */
  atomically<T>(work: () => T): T {
    return this.connection.transaction(work)();
  }

  /**
   * Makes this connection the writer thread's: the statements PackedNodeWriter commits batches
   * with. Foreign-key checks go off on this connection (it writes nothing else): the writer checks
   * the run once per batch and takes parents only from the run's own nodes (packed-node-writer.ts).
   */
  packedNodeStatements(): PackedNodeStatements {
    this.connection.pragma('foreign_keys = OFF');
    return new PackedNodeStatements(this.connection);
  }

  getSetting(key: string): string | undefined {
    const row = this.connection.prepare('SELECT value FROM settings WHERE key = ?').get(key) as { value: string } | undefined;
    return row?.value;
  }

  setSetting(key: string, value: string): void {
    this.connection
      .prepare('INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value')
      .run(key, value);
  }

  /**
   * Read-modify-write of one setting in an immediate transaction (no other connection writes in
   * between): `update` gets the stored value (undefined when none) and returns the value to store.
   */
  updateSetting(key: string, update: (current: string | undefined) => string): string {
    return this.connection.transaction(() => {
      const next = update(this.getSetting(key));
      this.setSetting(key, next);
      return next;
    }).immediate();
  }

  /** Keys of the settings whose key starts with `prefix`. */
  settingKeysWithPrefix(prefix: string): string[] {
    return this.connection
      .prepare("SELECT key FROM settings WHERE key LIKE ? ESCAPE '\\'")
      .pluck()
      .all(`${prefix.replace(/[\\%_]/g, (c) => `\\${c}`)}%`) as string[];
  }

  /** Copies the write-ahead log into the database file and empties it (after a bulk write). */
  checkpointWal(): void {
    this.connection.pragma('wal_checkpoint(TRUNCATE)');
  }

  /** Leaves WAL mode: the WAL is folded in and the file stands alone (to move or ship it). */
  leaveWalMode(): void {
    this.connection.pragma('journal_mode = DELETE');
  }

  close(): void {
    if (this.connection.open) this.connection.close();
  }
}

export { StoreError } from './errors';
export type { NewNode, NodeStats, NodeSink, FlushResult } from './node-writer';
export type { NewRun, RunFilter } from './runs';
export type { AnnotationChange } from './annotations';
