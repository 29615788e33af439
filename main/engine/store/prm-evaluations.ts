/**
 * What PRM evaluation (eval/) stores and reads: each scorer's score of each step (prm_step_scores,
 * by scorer name, so an interrupted evaluation resumes and a PRM already scored is never asked
 * again), the stored evaluations (prm_evaluations), and the reference labels a PRM is measured
 * against (gold labels, the task's exact labels, people's ratings).
 */
import type Database from 'better-sqlite3';
import type { Rating } from '../../../common/domain';

/** A stored evaluation as the table holds it; `runFilter` and `metrics` are parsed JSON. */
export interface PrmEvaluationRow {
  id: number;
  scorer: string;
  reference: string;
  runFilter: unknown;
  threshold: number;
  createdAt: string;
  metrics: unknown;
}

interface Row {
  id: number;
  scorer: string;
  reference: string;
  run_filter: string;
  threshold: number;
  metrics: string;
  created_at: string;
}
const COLUMNS = 'id, scorer, reference, run_filter, threshold, metrics, created_at';

const toRow = (r: Row): PrmEvaluationRow => ({
  id: r.id,
  scorer: r.scorer,
  reference: r.reference,
  runFilter: JSON.parse(r.run_filter),
  threshold: r.threshold,
  createdAt: r.created_at,
  metrics: JSON.parse(r.metrics),
});

/** A step's rating and how many people (reference annotators left out) gave it. */
export interface RatingCount {
  nodeId: number;
  rating: Rating;
  count: number;
}

export class PrmEvaluationRepository {
  private insertScore: Database.Statement | null = null;
  private readonly saveScores: Database.Transaction<(scorer: string, runId: number, nodeIds: readonly number[], scores: readonly number[]) => void>;

  constructor(private readonly db: Database.Database) {
    this.saveScores = db.transaction((scorer: string, runId: number, nodeIds: readonly number[], scores: readonly number[]) => {
      const insert = (this.insertScore ??= db.prepare(
        `INSERT INTO prm_step_scores (scorer, node_id, run_id, score) VALUES (?, ?, ?, ?)
         ON CONFLICT (scorer, node_id) DO UPDATE SET score = excluded.score`,
      ));
      nodeIds.forEach((id, k) => insert.run(scorer, id, runId, scores[k]!));
    });
  }

  /** Stored scores of one scorer on these runs, by node id. */
  stepScores(scorer: string, runIds: readonly number[]): Map<number, number> {
    const select = this.db.prepare('SELECT node_id, score FROM prm_step_scores WHERE scorer = ? AND run_id = ?');
    const out = new Map<number, number>();
    for (const runId of runIds) {
      for (const row of select.all(scorer, runId) as { node_id: number; score: number }[]) out.set(row.node_id, row.score);
    }
    return out;
  }

  /** Stores (or replaces) one scorer's scores of some steps of a run, in one transaction. */
  saveStepScores(scorer: string, runId: number, nodeIds: readonly number[], scores: readonly number[]): void {
    this.saveScores(scorer, runId, nodeIds, scores);
  }

  /** Gold labels of these runs' steps, by node id. */
  goldLabels(runIds: readonly number[]): Map<number, Rating> {
    const select = this.db.prepare('SELECT node_id, rating FROM gold_labels WHERE run_id = ?');
    const out = new Map<number, Rating>();
    for (const runId of runIds) for (const r of select.all(runId) as { node_id: number; rating: Rating }[]) out.set(r.node_id, r.rating);
    return out;
  }

  /** The task's exact labels of these runs' steps (root left out), by node id. */
  exactLabels(runIds: readonly number[]): Map<number, Rating> {
    const select = this.db.prepare('SELECT id, exact_label FROM nodes WHERE run_id = ? AND parent_id IS NOT NULL AND exact_label IS NOT NULL');
    const out = new Map<number, Rating>();
    for (const runId of runIds) for (const r of select.all(runId) as { id: number; exact_label: Rating }[]) out.set(r.id, r.exact_label);
    return out;
  }

  /**
   * How many people gave each rating to each step of a run, ordered by node; reference
   * annotators (anyone who set a gold label) do not count.
   */
  peopleRatingCounts(runId: number): RatingCount[] {
    return this.db
      .prepare(
        `SELECT node_id AS nodeId, rating, count(*) AS count FROM annotations
         WHERE run_id = ? AND rating IS NOT NULL AND annotator NOT IN (SELECT DISTINCT set_by FROM gold_labels)
         GROUP BY node_id, rating ORDER BY node_id`,
      )
      .all(runId) as RatingCount[];
  }

  /** Stores an evaluation's result; its id. */
  save(evaluation: { scorer: string; reference: string; runFilter: unknown; threshold: number; metrics: unknown }): number {
    const { scorer, reference, runFilter, threshold, metrics } = evaluation;
    return Number(
      this.db
        .prepare('INSERT INTO prm_evaluations (scorer, reference, run_filter, threshold, metrics) VALUES (?, ?, ?, ?, ?)')
        .run(scorer, reference, JSON.stringify(runFilter), threshold, JSON.stringify(metrics)).lastInsertRowid,
    );
  }

  /** Stored evaluations, newest first. */
  list(limit: number): PrmEvaluationRow[] {
    return (this.db.prepare(`SELECT ${COLUMNS} FROM prm_evaluations ORDER BY id DESC LIMIT ?`).all(limit) as Row[]).map(toRow);
  }

  /** One stored evaluation; undefined when there is none with this id. */
  get(id: number): PrmEvaluationRow | undefined {
    const row = this.db.prepare(`SELECT ${COLUMNS} FROM prm_evaluations WHERE id = ?`).get(id) as Row | undefined;
    return row && toRow(row);
  }
}
