import type Database from 'better-sqlite3';
import type { AlgorithmName, Run, RunStatus, RunSummary, TaskName } from '../../../common/domain';
import { isProcessAlive } from '../process-alive';
import { StoreError } from './errors';
import { toRun, type RunRow } from './rows';

export interface NewRun {
  problemId: number;
  algorithm: AlgorithmName;
  config?: Record<string, unknown>;
  policy: string;
  scorer?: string | null;
  seed?: number;
  status?: RunStatus;
}

export interface RunFilter {
  task?: TaskName;
  status?: RunStatus;
  algorithm?: AlgorithmName;
  solved?: boolean;
  search?: string;
  /** Report this annotator's rated steps per run (myLabeledCount). */
  annotator?: string;
  sort?: 'created' | 'nodes' | 'labeled' | 'status';
  direction?: 'asc' | 'desc';
  limit: number;
  offset: number;
}

/** One task and algorithm's runs: how many, by status, solved among the done ones, and their nodes. */
export interface RunOutcomes {
  task: TaskName;
  algorithm: AlgorithmName;
  runs: number;
  done: number;
  /** Created, not started (a batch creates runs ahead of its searches). */
  queued: number;
  running: number;
  /** Cancelled or interrupted. */
  stopped: number;
  failed: number;
  solved: number;
  nodes: number;
}

const SORT_COLUMNS = { created: 'r.id', nodes: 'r.node_count', labeled: 'r.labeled_count', status: 'r.status' };
const RUN_SELECT = 'SELECT r.*, p.task AS task FROM runs r JOIN problems p ON p.id = r.problem_id';
const TERMINAL_STATUSES: readonly RunStatus[] = ['done', 'cancelled', 'interrupted', 'failed'];

/** Steps of the run being updated that at least one annotator rated. */
const LABELED_COUNT = 'SELECT count(DISTINCT node_id) FROM annotations a WHERE a.run_id = runs.id AND a.rating IS NOT NULL';

export class RunRepository {
  private readonly getStmt;
  private markQualityControlStmt: Database.Statement | null = null;

  constructor(private readonly db: Database.Database) {
    this.getStmt = db.prepare(`${RUN_SELECT} WHERE r.id = ?`);
  }

  /**
   * Recounts labeled_count from the annotations, for one run or (no id) for every run: the one
   * place the count is derived; whatever writes annotations calls this in the same transaction.
   */
  refreshLabeledCount(runId?: number): void {
    if (runId === undefined) this.db.prepare(`UPDATE runs SET labeled_count = (${LABELED_COUNT})`).run();
    else this.db.prepare(`UPDATE runs SET labeled_count = (${LABELED_COUNT}) WHERE id = ?`).run(runId);
  }

  create(run: NewRun): Run {
    const info = this.db
      .prepare(
        `INSERT INTO runs (problem_id, algorithm, config, policy, scorer, seed, status, owner_pid)
         VALUES (@problemId, @algorithm, @config, @policy, @scorer, @seed, @status,
                 CASE WHEN @status IN ('queued', 'running') THEN @pid ELSE NULL END)`,
      )
      .run({
        problemId: run.problemId,
        algorithm: run.algorithm,
        config: JSON.stringify(run.config ?? {}),
        policy: run.policy,
        scorer: run.scorer ?? null,
        seed: run.seed ?? 0,
        status: run.status ?? 'queued',
        pid: process.pid,
      });
    return this.get(Number(info.lastInsertRowid));
  }

  get(id: number): Run {
    const row = this.getStmt.get(id) as RunRow | undefined;
    if (!row) throw new StoreError(`Run ${id} not found`, 'not_found');
    return toRun(row);
  }

  /** Moves a run to a new status, stamping start and finish times and the owning process. */
  setStatus(id: number, status: RunStatus, error: string | null = null): Run {
    const info = this.db
      .prepare(
        `UPDATE runs SET status = @status, error = @error,
           owner_pid = CASE WHEN @status IN ('queued', 'running') THEN @pid ELSE NULL END,
           started_at = CASE WHEN @status = 'running' AND started_at IS NULL
                             THEN strftime('%Y-%m-%dT%H:%M:%fZ', 'now') ELSE started_at END,
           finished_at = CASE WHEN @terminal THEN strftime('%Y-%m-%dT%H:%M:%fZ', 'now') ELSE NULL END
         WHERE id = @id`,
      )
      .run({ id, status, error, pid: process.pid, terminal: TERMINAL_STATUSES.includes(status) ? 1 : 0 });
    if (info.changes === 0) throw new StoreError(`Run ${id} not found`, 'not_found');
    return this.get(id);
  }

  /**
   * Deletes runs a batch created but never started (those still queued with no nodes), and the
   * problems of `problemIds` that no run names any more (the ones the batch stored for them), in
   * one transaction.
   */
  deleteUnstarted(runIds: readonly number[], problemIds: readonly number[]): void {
    const removeRun = this.db.prepare(`DELETE FROM runs WHERE id = ? AND status = 'queued' AND node_count = 0`);
    const removeProblem = this.db.prepare('DELETE FROM problems WHERE id = ? AND NOT EXISTS (SELECT 1 FROM runs WHERE problem_id = problems.id)');
    this.db.transaction(() => {
      for (const id of runIds) removeRun.run(id);
      for (const id of problemIds) removeProblem.run(id);
    })();
  }

  /** Records search statistics and whether a correct terminal was found. */
  updateStats(id: number, stats: Record<string, unknown>, solved?: boolean): void {
    this.db
      .prepare('UPDATE runs SET stats = @stats, solved = coalesce(@solved, solved) WHERE id = @id')
      .run({ id, stats: JSON.stringify(stats), solved: solved === undefined ? null : solved ? 1 : 0 });
  }

  /**
   * Sets a run's finish reason outside the labeling history (imports); with `annotator`, also as
   * that annotator's own (finish reasons are per annotator, migration 005).
   */
  setFinishReason(id: number, reason: string | null, annotator?: string): void {
    this.db.prepare('UPDATE runs SET finish_reason = ? WHERE id = ?').run(reason, id);
    if (annotator === undefined) return;
    if (reason === null) this.db.prepare('DELETE FROM finish_reasons WHERE run_id = ? AND annotator = ?').run(id, annotator);
    else {
      this.db
        .prepare('INSERT INTO finish_reasons (run_id, annotator, reason) VALUES (?, ?, ?) ON CONFLICT (run_id, annotator) DO UPDATE SET reason = excluded.reason')
        .run(id, annotator, reason);
    }
  }

  /** Marks a run quality-control (an imported run its file marks so, or one with reference gold labels). */
  markQualityControl(id: number): void {
    (this.markQualityControlStmt ??= this.db.prepare('UPDATE runs SET quality_control = 1 WHERE id = ?')).run(id);
  }

  /**
   * Runs left `running` or `queued` by a process that no longer exists were interrupted (killed, crashed).
   * Called when a database is opened; returns the runs it marked.
   */
  markOrphansInterrupted(): number[] {
    // Queued runs belong to the process that queued them (it runs them): orphans when it is gone.
    const running = this.db.prepare("SELECT id, owner_pid FROM runs WHERE status IN ('queued', 'running')").all() as {
      id: number;
      owner_pid: number | null;
    }[];
    const orphans = running.filter((r) => r.owner_pid === null || !isProcessAlive(r.owner_pid)).map((r) => r.id);
    const mark = this.db.prepare(
      "UPDATE runs SET status = 'interrupted', owner_pid = NULL, finished_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now') WHERE id = ?",
    );
    this.db.transaction(() => orphans.forEach((id) => mark.run(id)))();
    return orphans;
  }

  list(filter: RunFilter): { total: number; runs: RunSummary[] } {
    const clauses: string[] = [];
    const params: Record<string, unknown> = { limit: filter.limit, offset: filter.offset };
    if (filter.task) (clauses.push('p.task = @task'), (params.task = filter.task));
    if (filter.status) (clauses.push('r.status = @status'), (params.status = filter.status));
    if (filter.algorithm) (clauses.push('r.algorithm = @algorithm'), (params.algorithm = filter.algorithm));
    if (filter.solved !== undefined) (clauses.push('r.solved = @solved'), (params.solved = filter.solved ? 1 : 0));
    if (filter.search) {
      clauses.push("p.prompt LIKE @search ESCAPE '\\'");
      params.search = `%${filter.search.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    }
    const where = clauses.length ? `WHERE ${clauses.join(' AND ')}` : '';
    const order = `${SORT_COLUMNS[filter.sort ?? 'created']} ${filter.direction === 'asc' ? 'ASC' : 'DESC'}, r.id DESC`;
    const from = 'FROM runs r JOIN problems p ON p.id = r.problem_id';
    const total = (this.db.prepare(`SELECT count(*) AS n ${from} ${where}`).get(params) as { n: number }).n;
    const rows = this.db
      .prepare(`SELECT r.*, p.task AS task, p.prompt AS prompt ${from} ${where} ORDER BY ${order} LIMIT @limit OFFSET @offset`)
      .all(params) as (RunRow & { prompt: string })[];
    const mine = filter.annotator === undefined ? null : this.ratedBy(filter.annotator, rows.map((r) => r.id));
    return {
      total,
      runs: rows.map((r) => ({
        ...toRun(r),
        prompt: r.prompt,
        labeledCount: r.labeled_count,
        ...(mine ? { myLabeledCount: mine.get(r.id) ?? 0 } : {}),
      })),
    };
  }

  /** Steps each of these runs has a rating on from this annotator (one query for a page of runs). */
  private ratedBy(annotator: string, runIds: number[]): Map<number, number> {
    const rows = this.db
      .prepare(
        `SELECT run_id AS runId, count(*) AS n FROM annotations
         WHERE annotator = ? AND rating IS NOT NULL AND run_id IN (SELECT value FROM json_each(?)) GROUP BY run_id`,
      )
      .all(annotator, JSON.stringify(runIds)) as { runId: number; n: number }[];
    return new Map(rows.map((r) => [r.runId, r.n]));
  }

  /** Ids of the runs with one of these statuses, oldest first. */
  idsWithStatus(statuses: readonly RunStatus[]): number[] {
    return this.db
      .prepare('SELECT id FROM runs WHERE status IN (SELECT value FROM json_each(?)) ORDER BY id')
      .pluck()
      .all(JSON.stringify(statuses)) as number[];
  }

  /** Runs per task and algorithm (only those with `status` when given): counts by status, solved finished runs, nodes. */
  outcomesByTaskAndAlgorithm(status?: RunStatus): RunOutcomes[] {
    const where = status ? 'WHERE r.status = ?' : '';
    return this.db
      .prepare(
        `SELECT p.task AS task, r.algorithm AS algorithm, count(*) AS runs,
           sum(r.status = 'done') AS done, sum(r.status = 'queued') AS queued, sum(r.status = 'running') AS running,
           sum(r.status IN ('cancelled', 'interrupted')) AS stopped, sum(r.status = 'failed') AS failed,
           sum(r.status = 'done' AND r.solved) AS solved, sum(r.node_count) AS nodes
         FROM runs r JOIN problems p ON p.id = r.problem_id ${where}
         GROUP BY p.task, r.algorithm ORDER BY p.task, r.algorithm`,
      )
      .all(...(status ? [status] : [])) as RunOutcomes[];
  }

  count(): number {
    return (this.db.prepare('SELECT count(*) AS n FROM runs').get() as { n: number }).n;
  }
}
