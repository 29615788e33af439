/**
 * Human annotations: step labels, prunes, branch ratings and finish reasons. Every change goes
 * through one path that writes the new state, appends a history row with the previous state,
 * and maintains the annotator's undo and redo stacks, all in one transaction.
 */
import type Database from 'better-sqlite3';
import type { Annotation, BranchRating, FinishReason, HistoryEntry, Rating } from '../../../common/domain';
import { StoreError } from './errors';
import {
  toAnnotation,
  toBranchRating,
  toHistory,
  type AnnotationRow,
  type BranchRatingRow,
  type HistoryRow,
} from './rows';

type Entity = HistoryEntry['entity'];
interface LabelState {
  rating: Rating | null;
  flagged: boolean;
  note: string;
}
interface BranchState {
  score: number | null;
  preferred: boolean;
  note: string;
}
/** The state of one annotated thing; null means "no row" (for labels and branch ratings). */
type State = LabelState | BranchState | { pruned: boolean } | { reason: FinishReason | null } | null;

/** Where one history row points: the entity and its key. */
interface Target {
  entity: Entity;
  runId: number;
  nodeId: number | null;
  annotator: string;
}

/** What a change did, for events: the run and the entity's new state. */
export interface AnnotationChange {
  runId: number;
  entity: Entity;
  nodeId: number | null;
  annotator: string;
  annotation?: Annotation;
  removedAnnotation?: { nodeId: number; annotator: string };
  branchRating?: BranchRating;
  removedBranchRating?: { leafNodeId: number; annotator: string };
  pruned?: { nodeId: number; pruned: boolean };
  finishReason?: FinishReason | null;
}

export class AnnotationRepository {
  constructor(private readonly db: Database.Database) {}

  // ---- reads ----

  forRun(runId: number): { annotations: Annotation[]; branchRatings: BranchRating[] } {
    const annotations = this.db
      .prepare('SELECT * FROM annotations WHERE run_id = ? ORDER BY node_id, annotator')
      .all(runId) as AnnotationRow[];
    const ratings = this.db
      .prepare('SELECT * FROM branch_ratings WHERE run_id = ? ORDER BY leaf_node_id, annotator')
      .all(runId) as BranchRatingRow[];
    return { annotations: annotations.map(toAnnotation), branchRatings: ratings.map(toBranchRating) };
  }

  history(runId: number, limit: number): HistoryEntry[] {
    const rows = this.db
      .prepare('SELECT * FROM history WHERE run_id = ? ORDER BY id DESC LIMIT ?')
      .all(runId, limit) as HistoryRow[];
    return rows.map(toHistory);
  }

  // ---- changes ----

  setLabel(
    nodeId: number,
    annotator: string,
    patch: { rating?: Rating | null; flagged?: boolean; note?: string },
  ): { annotation: Annotation; change: AnnotationChange } {
    const runId = this.runOfNode(nodeId);
    const target: Target = { entity: 'annotation', runId, nodeId, annotator };
    const change = this.record(target, (before) => {
      const prev = (before as LabelState | null) ?? { rating: null, flagged: false, note: '' };
      return {
        rating: patch.rating === undefined ? prev.rating : patch.rating,
        flagged: patch.flagged ?? prev.flagged,
        note: patch.note ?? prev.note,
      };
    });
    return { annotation: change.annotation!, change };
  }

  setPruned(nodeId: number, annotator: string, pruned: boolean): AnnotationChange {
    const runId = this.runOfNode(nodeId);
    return this.record({ entity: 'prune', runId, nodeId, annotator }, () => ({ pruned }));
  }

  rateBranch(
    leafNodeId: number,
    annotator: string,
    patch: { score?: number | null; preferred?: boolean; note?: string },
  ): { branchRating: BranchRating; change: AnnotationChange } {
    const runId = this.runOfNode(leafNodeId);
    const change = this.record({ entity: 'branch_rating', runId, nodeId: leafNodeId, annotator }, (before) => {
      const prev = (before as BranchState | null) ?? { score: null, preferred: false, note: '' };
      return {
        score: patch.score === undefined ? prev.score : patch.score,
        preferred: patch.preferred ?? prev.preferred,
        note: patch.note ?? prev.note,
      };
    });
    return { branchRating: change.branchRating!, change };
  }

  setFinishReason(runId: number, annotator: string, reason: FinishReason | null): AnnotationChange {
    if (!this.db.prepare('SELECT 1 FROM runs WHERE id = ?').get(runId)) {
      throw new StoreError(`Run ${runId} not found`, 'not_found');
    }
    return this.record({ entity: 'finish_reason', runId, nodeId: null, annotator }, () => ({ reason }));
  }

  /** Reverts the annotator's latest action; null when there is nothing to undo. */
  undo(annotator: string): { entry: HistoryEntry; change: AnnotationChange } | null {
    return this.replay(annotator, 'undo');
  }

  /** Re-applies the annotator's latest undone action; null when there is nothing to redo. */
  redo(annotator: string): { entry: HistoryEntry; change: AnnotationChange } | null {
    return this.replay(annotator, 'redo');
  }

  // ---- the one write path ----

  private record(target: Target, next: (before: State) => State): AnnotationChange {
    return this.db.transaction(() => {
      const before = this.readState(target);
      const after = next(before);
      const change = this.writeState(target, after);
      const historyId = this.appendHistory(target, 'do', null, before, after);
      this.db.prepare("DELETE FROM undo_stack WHERE annotator = ? AND stack = 'redo'").run(target.annotator);
      this.db
        .prepare("INSERT INTO undo_stack (annotator, stack, history_id) VALUES (?, 'undo', ?)")
        .run(target.annotator, historyId);
      return change;
    }).immediate();
  }

  private replay(annotator: string, action: 'undo' | 'redo') {
    return this.db.transaction(() => {
      // Undo pops the newest action; redo pops the most recently undone, which is the oldest
      // left on the redo stack because undos walk backwards through history.
      const pick = action === 'undo' ? 'MAX' : 'MIN';
      const top = this.db
        .prepare(`SELECT ${pick}(history_id) AS id FROM undo_stack WHERE annotator = ? AND stack = ?`)
        .get(annotator, action) as { id: number | null };
      if (top.id === null) return null;
      const original = toHistory(this.db.prepare('SELECT * FROM history WHERE id = ?').get(top.id) as HistoryRow);
      const target: Target = {
        entity: original.entity,
        runId: original.runId,
        nodeId: original.nodeId,
        annotator: original.annotator,
      };
      const before = this.readState(target);
      const after = (action === 'undo' ? original.before : original.after) as State;
      const change = this.writeState(target, after);
      const entryId = this.appendHistory(target, action, original.id, before, after, annotator);
      this.db
        .prepare('DELETE FROM undo_stack WHERE annotator = ? AND stack = ? AND history_id = ?')
        .run(annotator, action, original.id);
      this.db
        .prepare('INSERT INTO undo_stack (annotator, stack, history_id) VALUES (?, ?, ?)')
        .run(annotator, action === 'undo' ? 'redo' : 'undo', original.id);
      const entry = toHistory(this.db.prepare('SELECT * FROM history WHERE id = ?').get(entryId) as HistoryRow);
      return { entry, change };
    }).immediate();
  }

  private appendHistory(
    target: Target,
    action: 'do' | 'undo' | 'redo',
    targetId: number | null,
    before: State,
    after: State,
    actor = target.annotator,
  ): number {
    const info = this.db
      .prepare(
        `INSERT INTO history (annotator, action, target_id, entity, run_id, node_id, before, after)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(actor, action, targetId, target.entity, target.runId, target.nodeId, JSON.stringify(before), JSON.stringify(after));
    return Number(info.lastInsertRowid);
  }

  private readState(t: Target): State {
    switch (t.entity) {
      case 'annotation': {
        const row = this.db
          .prepare('SELECT * FROM annotations WHERE node_id = ? AND annotator = ?')
          .get(t.nodeId, t.annotator) as AnnotationRow | undefined;
        return row ? { rating: row.rating as Rating | null, flagged: row.flagged === 1, note: row.note } : null;
      }
      case 'branch_rating': {
        const row = this.db
          .prepare('SELECT * FROM branch_ratings WHERE leaf_node_id = ? AND annotator = ?')
          .get(t.nodeId, t.annotator) as BranchRatingRow | undefined;
        return row ? { score: row.score, preferred: row.preferred === 1, note: row.note } : null;
      }
      case 'prune': {
        const row = this.db.prepare('SELECT pruned FROM nodes WHERE id = ?').get(t.nodeId) as { pruned: number };
        return { pruned: row.pruned === 1 };
      }
      case 'finish_reason': {
        const row = this.db.prepare('SELECT finish_reason FROM runs WHERE id = ?').get(t.runId) as {
          finish_reason: FinishReason | null;
        };
        return { reason: row.finish_reason };
      }
    }
  }

  private writeState(t: Target, state: State): AnnotationChange {
    const base = { runId: t.runId, entity: t.entity, nodeId: t.nodeId, annotator: t.annotator };
    switch (t.entity) {
      case 'annotation': {
        if (state === null) {
          this.db.prepare('DELETE FROM annotations WHERE node_id = ? AND annotator = ?').run(t.nodeId, t.annotator);
          this.refreshLabeledCount(t.runId);
          return { ...base, removedAnnotation: { nodeId: t.nodeId!, annotator: t.annotator } };
        }
        const s = state as LabelState;
        this.db
          .prepare(
            `INSERT INTO annotations (node_id, run_id, annotator, rating, flagged, note)
             VALUES (@nodeId, @runId, @annotator, @rating, @flagged, @note)
             ON CONFLICT (node_id, annotator) DO UPDATE SET rating = excluded.rating,
               flagged = excluded.flagged, note = excluded.note,
               updated_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now')`,
          )
          .run({ nodeId: t.nodeId, runId: t.runId, annotator: t.annotator, rating: s.rating, flagged: s.flagged ? 1 : 0, note: s.note });
        this.refreshLabeledCount(t.runId);
        const row = this.db
          .prepare('SELECT * FROM annotations WHERE node_id = ? AND annotator = ?')
          .get(t.nodeId, t.annotator) as AnnotationRow;
        return { ...base, annotation: toAnnotation(row) };
      }
      case 'branch_rating': {
        if (state === null) {
          this.db.prepare('DELETE FROM branch_ratings WHERE leaf_node_id = ? AND annotator = ?').run(t.nodeId, t.annotator);
          return { ...base, removedBranchRating: { leafNodeId: t.nodeId!, annotator: t.annotator } };
        }
        const s = state as BranchState;
        this.db
          .prepare(
            `INSERT INTO branch_ratings (leaf_node_id, run_id, annotator, score, preferred, note)
             VALUES (@nodeId, @runId, @annotator, @score, @preferred, @note)
             ON CONFLICT (leaf_node_id, annotator) DO UPDATE SET score = excluded.score,
               preferred = excluded.preferred, note = excluded.note,
               updated_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now')`,
          )
          .run({ nodeId: t.nodeId, runId: t.runId, annotator: t.annotator, score: s.score, preferred: s.preferred ? 1 : 0, note: s.note });
        const row = this.db
          .prepare('SELECT * FROM branch_ratings WHERE leaf_node_id = ? AND annotator = ?')
          .get(t.nodeId, t.annotator) as BranchRatingRow;
        return { ...base, branchRating: toBranchRating(row) };
      }
      case 'prune': {
        const pruned = (state as { pruned: boolean }).pruned;
        this.db.prepare('UPDATE nodes SET pruned = ? WHERE id = ?').run(pruned ? 1 : 0, t.nodeId);
        return { ...base, pruned: { nodeId: t.nodeId!, pruned } };
      }
      case 'finish_reason': {
        const reason = (state as { reason: FinishReason | null }).reason;
        this.db.prepare('UPDATE runs SET finish_reason = ? WHERE id = ?').run(reason, t.runId);
        return { ...base, finishReason: reason };
      }
    }
  }

  private refreshLabeledCount(runId: number): void {
    this.db
      .prepare(
        `UPDATE runs SET labeled_count =
           (SELECT count(DISTINCT node_id) FROM annotations WHERE run_id = @runId AND rating IS NOT NULL)
         WHERE id = @runId`,
      )
      .run({ runId });
  }

  private runOfNode(nodeId: number): number {
    const row = this.db.prepare('SELECT run_id FROM nodes WHERE id = ?').get(nodeId) as { run_id: number } | undefined;
    if (!row) throw new StoreError(`Node ${nodeId} not found`, 'not_found');
    return row.run_id;
  }
}
