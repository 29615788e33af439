/**
 * Commits a run's packed batches (packed-nodes.ts) on the writer thread's connection, one
 * IMMEDIATE transaction per batch. It reads the packed columns in place and inserts 32 rows per statement: binding
 * rows one statement at a time cost more than the search that made them. Row ids are assigned
 * here (the largest id + 1, as SQLite would, while this transaction holds the write lock), so a
 * node and its parent can go in the same statement.
 *
 * The store's NodeWriter does the same job for object nodes on the caller's thread; this is its
 * columnar twin for the writer thread (search/writer/writer-thread.ts, which gets its statements
 * from `Store.packedNodeStatements()`), with the same checks (unknown parent, unknown seq).
 *
 * The writer thread's connection runs without SQLite's foreign-key checks (two index lookups per
 * row, a seventh of the writer's time): the run's row is checked once per batch inside the
 * transaction, and a parent id comes only from this run's own stored or just-inserted nodes, which
 * is stricter than the foreign key. Nothing in the studio deletes single nodes.
 */
import type Database from 'better-sqlite3';
import type { TreeNode } from '../../../common/domain';
import type { FlushResult } from './node-writer';
import { decodeStats, type EncodedNodes, type EncodedStats, N, NODE_NUMS, orNull, outcomeOf, TextCursor } from './packed-nodes';

const ROWS_PER_INSERT = 32;
const COLUMNS = `(id, run_id, parent_id, seq, depth, expansion, step_text, state, token_count, logprob,
  prior, value, visits, q, score, is_terminal, valid, outcome, exact_label)`;
const PARAMS_PER_ROW = 19;
const ROW = `(${Array(PARAMS_PER_ROW).fill('?').join(', ')})`;

/** The statements every run on one connection shares, prepared once (`Store.packedNodeStatements()`). */
export class PackedNodeStatements {
  readonly insertMany: Database.Statement;
  readonly insertOne: Database.Statement;
  readonly maxId: Database.Statement;
  readonly countNodes: Database.Statement;
  readonly updateStats: Database.Statement;
  readonly updateStatsReturning: Database.Statement;
  readonly storedIds: Database.Statement;
  readonly runExists: Database.Statement;

  constructor(private readonly db: Database.Database) {
    this.insertMany = db.prepare(`INSERT INTO nodes ${COLUMNS} VALUES ${Array(ROWS_PER_INSERT).fill(ROW).join(', ')}`);
    this.insertOne = db.prepare(`INSERT INTO nodes ${COLUMNS} VALUES ${ROW}`);
    this.maxId = db.prepare('SELECT max(id) FROM nodes').pluck();
    this.countNodes = db.prepare('UPDATE runs SET node_count = node_count + ? WHERE id = ?');
    const update = `UPDATE nodes SET visits = coalesce(?, visits),
         q = CASE WHEN ? THEN ? ELSE q END,
         value = CASE WHEN ? THEN ? ELSE value END,
         score = CASE WHEN ? THEN ? ELSE score END
       WHERE run_id = ? AND seq = ?`;
    this.updateStats = db.prepare(update);
    this.updateStatsReturning = db.prepare(`${update} RETURNING id, visits, q, value, score`);
    this.storedIds = db.prepare('SELECT seq, id FROM nodes WHERE run_id = ?').raw();
    this.runExists = db.prepare('SELECT 1 FROM runs WHERE id = ?').pluck();
  }

  /** `work` as one transaction on this connection (call `.immediate(...)` to take the write lock first). */
  transaction<A extends unknown[], R>(work: (...args: A) => R): Database.Transaction<(...args: A) => R> {
    return this.db.transaction(work);
  }
}

/** One run's batches on the writer thread: parents resolved by seq, ids assigned, stats merged. */
export class PackedNodeWriter {
  /** Row id by seq (seqs are dense from 0). */
  private readonly ids: number[] = [];
  private readonly row: unknown[] = new Array(PARAMS_PER_ROW);
  private readonly rows: unknown[] = new Array(PARAMS_PER_ROW * ROWS_PER_INSERT);
  private readonly commitTx;

  constructor(
    private readonly sql: PackedNodeStatements,
    readonly runId: number,
    /** Build the committed rows for live listeners (costs an object per node). */
    private readonly results: boolean,
  ) {
    // Resuming a run: its stored nodes are the parents of new ones.
    for (const [seq, id] of sql.storedIds.iterate(runId) as Iterable<[number, number]>) this.ids[seq] = id;
    this.commitTx = sql.transaction((nodes: EncodedNodes | null, stats: EncodedStats | null) => this.write(nodes, stats));
  }

  /** Writes a batch in one transaction; the committed rows when results were asked for. */
  commit(nodes: EncodedNodes | null, stats: EncodedStats | null): FlushResult | null {
    return this.commitTx.immediate(nodes, stats);
  }

  private write(nodes: EncodedNodes | null, stats: EncodedStats | null): FlushResult | null {
    if (this.sql.runExists.get(this.runId) === undefined) throw new Error(`Run ${this.runId} no longer exists`);
    const inserted = nodes ? this.insert(nodes) : [];
    const updated = stats ? this.update(stats) : [];
    return this.results ? { inserted, updated } : null;
  }

  private insert(batch: EncodedNodes): TreeNode[] {
    const { sql, runId, ids } = this;
    const a = batch.nums;
    const texts = new TextCursor(batch);
    const inserted: TreeNode[] = [];
    let nextId = ((sql.maxId.get() as number | null) ?? 0) + 1;
    // Whole groups of ROWS_PER_INSERT go in one statement each, the rest one row at a time.
    const grouped = batch.count - (batch.count % ROWS_PER_INSERT);
    let pending = 0;
    for (let i = 0; i < batch.count; i++) {
      const o = i * NODE_NUMS;
      const seq = a[o + N.seq]!;
      const parentSeq = a[o + N.parentSeq]!;
      let parentId: number | null = null;
      if (!Number.isNaN(parentSeq)) {
        const found = ids[parentSeq];
        if (found === undefined) throw new Error(`Run ${runId}: node ${seq} names unknown parent ${parentSeq}`);
        parentId = found;
      }
      if (ids[seq] !== undefined) throw new Error(`Run ${runId}: node ${seq} is already stored`);
      const id = nextId++;
      ids[seq] = id;
      texts.next(i);
      const r = i < grouped ? this.rows : this.row;
      const p = i < grouped ? pending * PARAMS_PER_ROW : 0;
      r[p] = id;
      r[p + 1] = runId;
      r[p + 2] = parentId;
      r[p + 3] = seq;
      r[p + 4] = a[o + N.depth];
      r[p + 5] = a[o + N.expansion];
      r[p + 6] = texts.stepText;
      r[p + 7] = texts.state;
      r[p + 8] = orNull(a[o + N.tokenCount]!);
      r[p + 9] = orNull(a[o + N.logprob]!);
      r[p + 10] = orNull(a[o + N.prior]!);
      r[p + 11] = orNull(a[o + N.value]!);
      r[p + 12] = a[o + N.visits];
      r[p + 13] = orNull(a[o + N.q]!);
      r[p + 14] = orNull(a[o + N.score]!);
      r[p + 15] = a[o + N.isTerminal];
      r[p + 16] = a[o + N.valid];
      r[p + 17] = outcomeOf(a[o + N.outcome]!);
      r[p + 18] = orNull(a[o + N.exactLabel]!);
      if (i < grouped) {
        if (++pending === ROWS_PER_INSERT) {
          sql.insertMany.run(this.rows);
          pending = 0;
        }
      } else {
        sql.insertOne.run(this.row);
      }
      if (this.results) inserted.push(treeNode(r, p));
    }
    sql.countNodes.run(batch.count, runId);
    return inserted;
  }

  private update(batch: EncodedStats): FlushResult['updated'] {
    const { sql, runId } = this;
    const updated: FlushResult['updated'] = [];
    for (const s of decodeStats(batch)) {
      const params = [
        s.visits ?? null,
        s.q !== undefined ? 1 : 0,
        s.q ?? null,
        s.value !== undefined ? 1 : 0,
        s.value ?? null,
        s.score !== undefined ? 1 : 0,
        s.score ?? null,
        runId,
        s.seq,
      ];
      if (this.results) {
        const row = sql.updateStatsReturning.get(params) as FlushResult['updated'][number] | undefined;
        if (!row) throw new Error(`Run ${runId}: no node with seq ${s.seq} to update`);
        updated.push(row);
      } else if (sql.updateStats.run(params).changes !== 1) {
        throw new Error(`Run ${runId}: no node with seq ${s.seq} to update`);
      }
    }
    return updated;
  }
}

/** The stored row as the domain's TreeNode (live listeners get what a read would give). */
function treeNode(r: readonly unknown[], p: number): TreeNode {
  return {
    id: r[p] as number,
    runId: r[p + 1] as number,
    parentId: r[p + 2] as number | null,
    seq: r[p + 3] as number,
    depth: r[p + 4] as number,
    expansion: r[p + 5] as number,
    stepText: r[p + 6] as string,
    state: r[p + 7] as string | null,
    tokenCount: r[p + 8] as number | null,
    logprob: r[p + 9] as number | null,
    prior: r[p + 10] as number | null,
    value: r[p + 11] as number | null,
    visits: r[p + 12] as number,
    q: r[p + 13] as number | null,
    score: r[p + 14] as number | null,
    isTerminal: r[p + 15] === 1,
    valid: r[p + 16] === 1,
    outcome: r[p + 17] as TreeNode['outcome'],
    exactLabel: r[p + 18] as TreeNode['exactLabel'],
    pruned: false,
  };
}
