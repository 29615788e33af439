/**
 * Review data: adjudicated final labels (table adjudications), quality-control gold labels
 * (gold_labels, which also set runs.quality_control), and the per-item label rows that agreement
 * statistics and gold accuracy are computed from (labels/review-store.ts).
 */
import type Database from 'better-sqlite3';
import type { Rating, TaskName } from '../../../common/domain';
import { StoreError } from './errors';
import type { RunRepository } from './runs';

export interface ReviewScope {
  task?: TaskName;
  runId?: number;
}

export interface Disagreement {
  nodeId: number;
  runId: number;
  /** The step's number in its tree (what the studio shows as #seq). */
  seq: number;
  stepText: string;
  labels: { annotator: string; rating: Rating }[];
  adjudicated: Rating | null;
}

/** One annotator's rating of one step, with the step's gold label where it has one. */
export interface RatingWithGold {
  nodeId: number;
  annotator: string;
  rating: Rating;
  gold: Rating | null;
}

function scopeSql(scope: ReviewScope): { where: string; params: Record<string, unknown> } {
  const clauses: string[] = [];
  const params: Record<string, unknown> = {};
  if (scope.runId !== undefined) (clauses.push('a.run_id = @runId'), (params.runId = scope.runId));
  if (scope.task) {
    clauses.push('a.run_id IN (SELECT r.id FROM runs r JOIN problems p ON p.id = r.problem_id WHERE p.task = @task)');
    params.task = scope.task;
  }
  return { where: clauses.length ? `AND ${clauses.join(' AND ')}` : '', params };
}

export class ReviewRepository {
  private referenceGoldStmt: Database.Statement | null = null;

  constructor(
    private readonly db: Database.Database,
    private readonly runs: RunRepository,
  ) {}

  private nodeRun(nodeId: number): number {
    const row = this.db.prepare('SELECT run_id FROM nodes WHERE id = ?').get(nodeId) as { run_id: number } | undefined;
    if (!row) throw new StoreError(`Node ${nodeId} not found`, 'not_found');
    return row.run_id;
  }

  /** True when this annotator has rated the step (a reviewer who did may not adjudicate it unless allowed). */
  hasRated(nodeId: number, annotator: string): boolean {
    return this.db.prepare('SELECT 1 FROM annotations WHERE node_id = ? AND annotator = ? AND rating IS NOT NULL').get(nodeId, annotator) !== undefined;
  }

  /** Sets (or with null clears) the reviewer's final label for a step; exports can prefer it. */
  setAdjudication(nodeId: number, reviewer: string, rating: Rating | null, note = ''): void {
    const runId = this.nodeRun(nodeId);
    if (rating === null) {
      this.db.prepare('DELETE FROM adjudications WHERE node_id = ?').run(nodeId);
      return;
    }
    this.db
      .prepare(
        `INSERT INTO adjudications (node_id, run_id, rating, reviewer, note) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT (node_id) DO UPDATE SET rating = excluded.rating, reviewer = excluded.reviewer,
           note = excluded.note, updated_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now')`,
      )
      .run(nodeId, runId, rating, reviewer, note);
  }

  /** Sets (or clears) a quality-control gold label on a step and marks its run quality-control. */
  setGold(nodeId: number, setBy: string, rating: Rating | null): void {
    const runId = this.nodeRun(nodeId);
    this.db.transaction(() => {
      if (rating === null) {
        this.db.prepare('DELETE FROM gold_labels WHERE node_id = ?').run(nodeId);
      } else {
        this.db
          .prepare(
            `INSERT INTO gold_labels (node_id, run_id, rating, set_by) VALUES (?, ?, ?, ?)
             ON CONFLICT (node_id) DO UPDATE SET rating = excluded.rating, set_by = excluded.set_by,
               updated_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now')`,
          )
          .run(nodeId, runId, rating, setBy);
      }
      const left = this.db.prepare('SELECT count(*) AS n FROM gold_labels WHERE run_id = ?').get(runId) as { n: number };
      this.db.prepare('UPDATE runs SET quality_control = ? WHERE id = ?').run(left.n > 0 ? 1 : 0, runId);
    })();
  }

  /**
   * A benchmark's reference ratings of a run's steps (ProcessBench, PRMBench) as its gold labels,
   * set by the benchmark, replacing earlier ones; marks the run quality-control. One transaction.
   */
  setReferenceGold(runId: number, setBy: string, labels: readonly { nodeId: number; rating: Rating }[]): void {
    if (labels.length === 0) return;
    const upsert = (this.referenceGoldStmt ??= this.db.prepare(
      `INSERT INTO gold_labels (node_id, run_id, rating, set_by) VALUES (?, ?, ?, ?)
       ON CONFLICT (node_id) DO UPDATE SET rating = excluded.rating, set_by = excluded.set_by`,
    ));
    this.db.transaction(() => {
      for (const l of labels) upsert.run(l.nodeId, runId, l.rating, setBy);
      this.runs.markQualityControl(runId);
    })();
  }

  /** Uses the exact solver's labels of a run as its gold labels (countdown, game24); returns how many steps. */
  goldFromExactLabels(runId: number, setBy = 'exact-solver'): number {
    return this.db.transaction(() => {
      const info = this.db
        .prepare(
          `INSERT INTO gold_labels (node_id, run_id, rating, set_by)
           SELECT id, run_id, exact_label, ? FROM nodes WHERE run_id = ? AND exact_label IS NOT NULL AND parent_id IS NOT NULL
           ON CONFLICT (node_id) DO UPDATE SET rating = excluded.rating, set_by = excluded.set_by`,
        )
        .run(setBy, runId);
      this.db.prepare('UPDATE runs SET quality_control = 1 WHERE id = ? AND ? > 0').run(runId, info.changes);
      return info.changes;
    })();
  }

  /** A run's gold labels and adjudications, for showing on its steps. */
  runLabels(runId: number): {
    gold: { nodeId: number; rating: Rating; setBy: string }[];
    adjudications: { nodeId: number; rating: Rating; reviewer: string; note: string }[];
  } {
    return {
      gold: this.db
        .prepare('SELECT node_id AS nodeId, rating, set_by AS setBy FROM gold_labels WHERE run_id = ? ORDER BY node_id')
        .all(runId) as { nodeId: number; rating: Rating; setBy: string }[],
      adjudications: this.db
        .prepare('SELECT node_id AS nodeId, rating, reviewer, note FROM adjudications WHERE run_id = ? ORDER BY node_id')
        .all(runId) as { nodeId: number; rating: Rating; reviewer: string; note: string }[],
    };
  }

  /** Steps where annotators gave different ratings, with any adjudication. */
  disagreements(scope: ReviewScope, limit: number): Disagreement[] {
    const { where, params } = scopeSql(scope);
    const rows = this.db
      .prepare(
        `SELECT a.node_id, a.run_id, n.seq, n.step_text, json_group_array(json_object('annotator', a.annotator, 'rating', a.rating)) AS labels,
                adj.rating AS adjudicated
         FROM annotations a JOIN nodes n ON n.id = a.node_id LEFT JOIN adjudications adj ON adj.node_id = a.node_id
         WHERE a.rating IS NOT NULL ${where}
         GROUP BY a.node_id HAVING count(DISTINCT a.rating) > 1
         ORDER BY a.run_id, a.node_id LIMIT @limit`,
      )
      .all({ ...params, limit }) as { node_id: number; run_id: number; seq: number; step_text: string; labels: string; adjudicated: Rating | null }[];
    return rows.map((r) => ({
      nodeId: r.node_id,
      runId: r.run_id,
      seq: r.seq,
      stepText: r.step_text,
      labels: JSON.parse(r.labels) as Disagreement['labels'],
      adjudicated: r.adjudicated,
    }));
  }

  /** Every rating within a scope, with the step's gold label (what agreement and gold accuracy are computed from). */
  ratingsWithGold(scope: ReviewScope): RatingWithGold[] {
    const { where, params } = scopeSql(scope);
    return this.db
      .prepare(
        `SELECT a.node_id AS nodeId, a.annotator, a.rating, g.rating AS gold FROM annotations a
         LEFT JOIN gold_labels g ON g.node_id = a.node_id
         WHERE a.rating IS NOT NULL ${where}`,
      )
      .all(params) as RatingWithGold[];
  }
}
