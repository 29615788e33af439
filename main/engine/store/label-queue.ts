/**
 * The "next step to label" queue across runs, ordered by a selectable rule, so human labels go
 * where they teach the PRM most.
 */
import type Database from 'better-sqlite3';

export const QUEUE_RULES = ['order', 'uncertainty', 'scorer-vs-mc', 'annotator-disagreement'] as const;
export type QueueRule = (typeof QUEUE_RULES)[number];

export interface QueueItem {
  nodeId: number;
  runId: number;
  /** Why it is here: the rule's priority value (lower first). */
  priority: number;
}

export class LabelQueueRepository {
  constructor(private readonly db: Database.Database) {}

  /**
   * Steps this annotator has not rated yet (roots and pruned subtrees' roots excluded), best first:
   * - order: run by run, in creation order;
   * - uncertainty: the scorer's probability closest to 0.5;
   * - scorer-vs-mc: largest gap between scorer and Monte-Carlo estimate;
   * - annotator-disagreement: steps others rated differently from each other (most distinct ratings first).
   */
  next(opts: { rule: QueueRule; annotator: string; runId?: number; limit: number }): QueueItem[] {
    const runFilter = opts.runId === undefined ? '' : 'AND n.run_id = @runId';
    const unlabeled = `n.parent_id IS NOT NULL AND n.pruned = 0 ${runFilter}
      AND NOT EXISTS (SELECT 1 FROM annotations a WHERE a.node_id = n.id AND a.annotator = @annotator AND a.rating IS NOT NULL)`;
    const sql: Record<QueueRule, string> = {
      order: `SELECT n.id AS nodeId, n.run_id AS runId, n.seq AS priority FROM nodes n
              WHERE ${unlabeled} ORDER BY n.run_id, n.seq LIMIT @limit`,
      uncertainty: `SELECT n.id AS nodeId, n.run_id AS runId, abs(s.value - 0.5) AS priority FROM nodes n
              JOIN auto_labels s ON s.node_id = n.id AND s.source = 'scorer'
              WHERE ${unlabeled} ORDER BY priority, n.run_id, n.seq LIMIT @limit`,
      'scorer-vs-mc': `SELECT n.id AS nodeId, n.run_id AS runId, -abs(s.value - m.value) AS priority FROM nodes n
              JOIN auto_labels s ON s.node_id = n.id AND s.source = 'scorer'
              JOIN auto_labels m ON m.node_id = n.id AND m.source = 'mc'
              WHERE ${unlabeled} ORDER BY priority, n.run_id, n.seq LIMIT @limit`,
      'annotator-disagreement': `SELECT n.id AS nodeId, n.run_id AS runId, -count(DISTINCT a.rating) AS priority FROM nodes n
              JOIN annotations a ON a.node_id = n.id AND a.rating IS NOT NULL AND a.annotator <> @annotator
              WHERE ${unlabeled} GROUP BY n.id HAVING count(DISTINCT a.rating) > 1
              ORDER BY priority, n.run_id, n.seq LIMIT @limit`,
    };
    return this.db.prepare(sql[opts.rule]).all({ annotator: opts.annotator, runId: opts.runId, limit: opts.limit }) as QueueItem[];
  }
}
