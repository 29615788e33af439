/**
 * Read side of exports: runs matching the filters in keyset pages, and one run's tree at a time.
 * Memory is bounded by the biggest single tree, never by the database: a page of run rows is
 * fetched, each tree is loaded, turned into records and dropped before the next.
 */
import type Database from 'better-sqlite3';
import type { ExportFilters } from '../../../common/contract/export';
import type { AlgorithmName, FinishReason, Outcome, Problem, Rating, RunStatus, TaskName } from '../../../common/domain';
import { toProblem, type ProblemRow } from '../store/rows';

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

export interface LoadedTree {
  run: RunInfo;
  problem: Problem;
  nodes: ExportNode[];
  annotations: AnnotationRecord[];
  branchRatings: BranchRatingRecord[];
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

const statements = new WeakMap<Database.Database, Map<string, Database.Statement>>();

/** A prepared statement, prepared once per connection (per-tree lookups run thousands of times). */
export function statement(db: Database.Database, sql: string): Database.Statement {
  let cache = statements.get(db);
  if (!cache) statements.set(db, (cache = new Map()));
  let stmt = cache.get(sql);
  if (!stmt) cache.set(sql, (stmt = db.prepare(sql)));
  return stmt;
}

/** Normalises a filter date to the store's timestamp form; a bare `to` date covers its whole day. */
export function filterTimestamp(value: string, end: boolean): string {
  const dateOnly = /^\d{4}-\d{2}-\d{2}$/.test(value);
  const date = new Date(dateOnly ? `${value}T00:00:00.000Z` : value);
  if (dateOnly && end) date.setUTCDate(date.getUTCDate() + 1);
  return date.toISOString();
}

export class ExportQueries {
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

  /** SQL conditions on `runs r JOIN problems p` for the filters. */
  private where(filters: ExportFilters): { sql: string; params: Record<string, unknown> } {
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

  /** How many runs match the filters (for progress). */
  count(filters: ExportFilters): number {
    const { sql, params } = this.where(filters);
    return (this.db.prepare(`SELECT count(*) AS n FROM runs r JOIN problems p ON p.id = r.problem_id WHERE ${sql}`).get(params) as {
      n: number;
    }).n;
  }

  /** Runs matching the filters, oldest first, fetched `pageSize` rows at a time by id. */
  *runs(filters: ExportFilters, pageSize = 256): Generator<RunInfo> {
    const { sql, params } = this.where(filters);
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

  /** One run's nodes in seq order, read with an iterator (no intermediate row objects). */
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

  annotations(runId: number): AnnotationRecord[] {
    return (this.annotationStmt.all(runId) as {
      node_id: number;
      annotator: string;
      rating: number | null;
      flagged: number;
      note: string;
      created_at: string;
      updated_at: string;
    }[]).map((r) => ({
      nodeId: r.node_id,
      annotator: r.annotator,
      rating: r.rating as Rating | null,
      flagged: r.flagged === 1,
      note: r.note,
      createdAt: r.created_at,
      updatedAt: r.updated_at,
    }));
  }

  branchRatings(runId: number): BranchRatingRecord[] {
    return (this.branchStmt.all(runId) as { leaf_node_id: number; annotator: string; score: number | null; preferred: number }[]).map(
      (r) => ({ leafNodeId: r.leaf_node_id, annotator: r.annotator, score: r.score, preferred: r.preferred === 1 }),
    );
  }

  load(run: RunInfo, problem: Problem): LoadedTree {
    return {
      run,
      problem,
      nodes: this.nodes(run.id),
      annotations: this.annotations(run.id),
      branchRatings: this.branchRatings(run.id),
    };
  }
}
