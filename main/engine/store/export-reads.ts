/**
 * What exports read: runs matching the export filters in keyset pages (an iterator: memory is
 * bounded by one page, never by the database), one run's tree with its human labels, and the
 * stored labels and counts the label sources and formats need. Every statement is prepared once
 * per connection: per-tree lookups run thousands of times in one export.
 */
import type Database from 'better-sqlite3';
import type { AUTO_LABEL_SOURCES, ExportFilters } from '../../../common/contract/export';
import type { AlgorithmName, FinishReason, Outcome, Problem, Rating, RunStatus, TaskName } from '../../../common/domain';
import { toAnnotation, toProblem, type AnnotationRow, type ProblemRow } from './rows';

export interface RunInfo {
  id: number;
  problemId: number;
  task: TaskName;
  algorithm: AlgorithmName;
  policy: string;
  status: RunStatus;
  finishReason: FinishReason | null;
  createdAt: string;
}

/** The columns of a node an export needs, in creation (seq) order. */
export interface ExportNode {
  id: number;
  parentId: number | null;
  seq: number;
  depth: number;
  expansion: number;
  stepText: string;
  state: string | null;
  score: number | null;
  isTerminal: boolean;
  valid: boolean;
  outcome: Outcome | null;
  exactLabel: Rating | null;
  pruned: boolean;
}

export interface AnnotationRecord {
  nodeId: number;
  annotator: string;
  rating: Rating | null;
  flagged: boolean;
  note: string;
  createdAt: string;
  updatedAt: string;
}

export interface BranchRatingRecord {
  leafNodeId: number;
  annotator: string;
  score: number | null;
  preferred: boolean;
}

/** Finished paths with a checked answer, and the correct ones, of one problem over all its runs. */
export interface SolveCounts {
  finished: number;
  correct: number;
}

/** Which label sources hold data in the database. */
export interface LabelSourcesPresent {
  /** Automatic label sources with at least one label, sorted. */
  autoSources: (typeof AUTO_LABEL_SOURCES)[number][];
  /** Annotators with at least one rating, sorted. */
  annotators: string[];
  hasExactLabels: boolean;
  hasAdjudications: boolean;
}

interface RunPageRow {
  id: number;
  problem_id: number;
  task: string;
  algorithm: string;
  policy: string;
  status: string;
  finish_reason: string | null;
  created_at: string;
}

type NodeTuple = [
  number, number | null, number, number, number, string, string | null, number | null,
  number, number, string | null, number | null, number,
];

/** Normalises a filter date to the store's timestamp form; a bare `to` date covers its whole day. */
export function filterTimestamp(value: string, end: boolean): string {
  const dateOnly = /^\d{4}-\d{2}-\d{2}$/.test(value);
  const date = new Date(dateOnly ? `${value}T00:00:00.000Z` : value);
  if (dateOnly && end) date.setUTCDate(date.getUTCDate() + 1);
  return date.toISOString();
}

/** SQL conditions on `runs r JOIN problems p` for the filters. */
function filterSql(filters: ExportFilters): { sql: string; params: Record<string, unknown> } {
  const clauses: string[] = [];
  const params: Record<string, unknown> = {};
  if (filters.runIds) {
    clauses.push('r.id IN (SELECT value FROM json_each(@runIds))');
    params.runIds = JSON.stringify(filters.runIds);
  }
  if (filters.tasks) {
    clauses.push('p.task IN (SELECT value FROM json_each(@tasks))');
    params.tasks = JSON.stringify(filters.tasks);
  }
  if (filters.statuses) {
    clauses.push('r.status IN (SELECT value FROM json_each(@statuses))');
    params.statuses = JSON.stringify(filters.statuses);
  }
  if (filters.createdFrom) {
    clauses.push('r.created_at >= @from');
    params.from = filterTimestamp(filters.createdFrom, false);
  }
  if (filters.createdTo) {
    clauses.push('r.created_at < @to');
    params.to = filterTimestamp(filters.createdTo, true);
  }
  return { sql: clauses.length ? clauses.join(' AND ') : '1', params };
}

export class ExportReadRepository {
  private readonly statements = new Map<string, Database.Statement>();
  private readonly nodeStmt;
  private readonly annotationStmt;
  private readonly branchStmt;
  private readonly problemStmt;

  constructor(private readonly db: Database.Database) {
    this.nodeStmt = db
      .prepare(
        `SELECT id, parent_id, seq, depth, expansion, step_text, state, score, is_terminal, valid, outcome,
                exact_label, pruned
         FROM nodes WHERE run_id = ? ORDER BY seq`,
      )
      .raw(true);
    this.annotationStmt = db.prepare(
      `SELECT node_id, annotator, rating, flagged, note, created_at, updated_at
       FROM annotations WHERE run_id = ? ORDER BY node_id, annotator`,
    );
    this.branchStmt = db.prepare(
      'SELECT leaf_node_id, annotator, score, preferred FROM branch_ratings WHERE run_id = ? ORDER BY leaf_node_id, annotator',
    );
    this.problemStmt = db.prepare('SELECT * FROM problems WHERE id = ?');
  }

  /** A statement prepared once for this connection. */
  private statement(sql: string): Database.Statement {
    let stmt = this.statements.get(sql);
    if (!stmt) this.statements.set(sql, (stmt = this.db.prepare(sql)));
    return stmt;
  }

  /** How many runs match the filters (for progress). */
  countRuns(filters: ExportFilters): number {
    const { sql, params } = filterSql(filters);
    return (this.db.prepare(`SELECT count(*) AS n FROM runs r JOIN problems p ON p.id = r.problem_id WHERE ${sql}`).get(params) as {
      n: number;
    }).n;
  }

  /** Runs matching the filters, oldest first, fetched `pageSize` rows at a time by id. */
  *runs(filters: ExportFilters, pageSize = 256): Generator<RunInfo> {
    const { sql, params } = filterSql(filters);
    const stmt = this.db.prepare(
      `SELECT r.id, r.problem_id, p.task, r.algorithm, r.policy, r.status, r.finish_reason, r.created_at
       FROM runs r JOIN problems p ON p.id = r.problem_id
       WHERE r.id > @after AND ${sql} ORDER BY r.id LIMIT @pageSize`,
    );
    let after = 0;
    for (;;) {
      const page = stmt.all({ ...params, after, pageSize }) as RunPageRow[];
      for (const r of page) {
        yield {
          id: r.id,
          problemId: r.problem_id,
          task: r.task as TaskName,
          algorithm: r.algorithm as AlgorithmName,
          policy: r.policy,
          status: r.status as RunStatus,
          finishReason: r.finish_reason as FinishReason | null,
          createdAt: r.created_at,
        };
      }
      if (page.length < pageSize) return;
      after = page[page.length - 1]!.id;
    }
  }

  problem(id: number): Problem {
    return toProblem(this.problemStmt.get(id) as ProblemRow);
  }

  /** One run's nodes in seq order (one tree: bounded), read with an iterator (no intermediate row objects). */
  nodes(runId: number): ExportNode[] {
    const out: ExportNode[] = [];
    for (const t of this.nodeStmt.iterate(runId) as Iterable<NodeTuple>) {
      out.push({
        id: t[0],
        parentId: t[1],
        seq: t[2],
        depth: t[3],
        expansion: t[4],
        stepText: t[5],
        state: t[6],
        score: t[7],
        isTerminal: t[8] === 1,
        valid: t[9] === 1,
        outcome: t[10] as Outcome | null,
        exactLabel: t[11] as Rating | null,
        pruned: t[12] === 1,
      });
    }
    return out;
  }

  /** One run's human annotations, by node then annotator. */
  annotations(runId: number): AnnotationRecord[] {
    return (this.annotationStmt.all(runId) as (AnnotationRow & { created_at: string })[]).map((r) => ({
      ...toAnnotation(r),
      createdAt: r.created_at,
    }));
  }

  /** One run's branch ratings, by leaf then annotator. */
  branchRatings(runId: number): BranchRatingRecord[] {
    return (this.branchStmt.all(runId) as { leaf_node_id: number; annotator: string; score: number | null; preferred: number }[]).map(
      (r) => ({ leafNodeId: r.leaf_node_id, annotator: r.annotator, score: r.score, preferred: r.preferred === 1 }),
    );
  }

  /** A reviewer's final labels on one run's steps. */
  adjudications(runId: number): { nodeId: number; rating: Rating }[] {
    return this.statement('SELECT node_id AS nodeId, rating FROM adjudications WHERE run_id = ?').all(runId) as {
      nodeId: number;
      rating: Rating;
    }[];
  }

  /** The labels one automatic source stored on a run's steps (steps with no label left out). */
  autoLabels(runId: number, source: string): { nodeId: number; label: Rating }[] {
    return this.statement('SELECT node_id AS nodeId, label FROM auto_labels WHERE run_id = ? AND source = ? AND label IS NOT NULL').all(
      runId,
      source,
    ) as { nodeId: number; label: Rating }[];
  }

  /** A run's config as stored (JSON text: an import keeps its record's fields under `import`) and its quality-control flag. */
  runConfig(runId: number): { config: string; qualityControl: boolean } {
    const row = this.statement('SELECT config, quality_control FROM runs WHERE id = ?').get(runId) as { config: string; quality_control: number };
    return { config: row.config, qualityControl: row.quality_control === 1 };
  }

  /** Stored Monte-Carlo rollout estimates of a run's steps, with how many rollouts each took. */
  rolloutEstimates(runId: number): { nodeId: number; value: number; rollouts: number | null }[] {
    return this.statement(
      "SELECT node_id AS nodeId, value, rollouts FROM auto_labels WHERE run_id = ? AND source = 'mc' AND value IS NOT NULL",
    ).all(runId) as { nodeId: number; value: number; rollouts: number | null }[];
  }

  /** Finished paths with a checked answer, and the correct ones, per problem id, over all runs. */
  solveCountsByProblem(): Map<number, SolveCounts> {
    const rows = this.db
      .prepare(
        `SELECT r.problem_id AS problem, COUNT(*) AS finished, SUM(n.outcome = 'correct') AS correct
         FROM nodes n JOIN runs r ON r.id = n.run_id
         WHERE n.is_terminal = 1 AND n.outcome IS NOT NULL
         GROUP BY r.problem_id`,
      )
      .all() as { problem: number; finished: number; correct: number }[];
    return new Map(rows.map((r) => [r.problem, { finished: r.finished, correct: r.correct }]));
  }

  /** Which label sources have data anywhere in the database. */
  labelSourcesPresent(): LabelSourcesPresent {
    return {
      autoSources: this.db.prepare('SELECT DISTINCT source FROM auto_labels WHERE label IS NOT NULL ORDER BY source').pluck().all() as LabelSourcesPresent['autoSources'],
      annotators: this.db.prepare('SELECT DISTINCT annotator FROM annotations WHERE rating IS NOT NULL ORDER BY annotator').pluck().all() as string[],
      hasExactLabels: this.db.prepare('SELECT 1 FROM nodes WHERE exact_label IS NOT NULL LIMIT 1').get() !== undefined,
      hasAdjudications: this.db.prepare('SELECT 1 FROM adjudications LIMIT 1').get() !== undefined,
    };
  }
}

const repositories = new WeakMap<Database.Database, ExportReadRepository>();

/**
 * The export reads of a connection, built once per connection. Exports take a connection (the
 * studio's `Store`, or a read-only one a benchmark opened) and reach the database only through this.
 */
export function exportReads(db: Database.Database): ExportReadRepository {
  let reads = repositories.get(db);
  if (!reads) repositories.set(db, (reads = new ExportReadRepository(db)));
  return reads;
}
