/**
 * Human annotations: step labels, prunes, branch ratings and finish reasons. Every change goes
 * through one path that writes the new state, appends a history row with the previous state,
 * and maintains the annotator's undo and redo stacks, all in one transaction. Several changes
 * made as one action (accepting a batch of suggestions) form a history group that one undo or
 * redo takes back whole. Once a transaction commits, its changes are published, one
 * annotationsChanged event per run, to every subscriber (the engine relays them to all windows).
 */
import type Database from 'better-sqlite3';
import type { EventPayload } from '../../../common/contract';
import type { AutoLabel } from '../../../common/contract/suggest';
import type { Annotation, BranchRating, FinishReason, HistoryEntry, Rating } from '../../../common/domain';
import type { TranscriptEdit } from '../../../common/contract/transcript';
import { StoreError } from './errors';
import type { RunRepository } from './runs';
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
type State = LabelState | BranchState | { pruned: boolean } | { reason: FinishReason | null } | StructureState | null;

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
  /** A transcript tree's structure changed (split, merge, move, tag): clients reload it. */
  restructured?: boolean;
}

export type AnnotationsChanged = EventPayload<'annotationsChanged'>;

/** What an undo or redo did: every history row it appended, oldest first (one, or a whole group). */
export interface Replayed {
  /** The last of `entries`. */
  entry: HistoryEntry;
  entries: HistoryEntry[];
}

/** One event per run, in the order the changes were made. */
function toEvents(changes: readonly AnnotationChange[]): AnnotationsChanged[] {
  const byRun = new Map<number, AnnotationsChanged>();
  for (const c of changes) {
    let event = byRun.get(c.runId);
    if (!event) {
      event = { runId: c.runId, annotations: [], removedAnnotations: [], branchRatings: [], removedBranchRatings: [], pruned: [] };
      byRun.set(c.runId, event);
    }
    if (c.annotation) event.annotations.push(c.annotation);
    if (c.removedAnnotation) event.removedAnnotations.push(c.removedAnnotation);
    if (c.branchRating) event.branchRatings.push(c.branchRating);
    if (c.removedBranchRating) event.removedBranchRatings.push(c.removedBranchRating);
    if (c.pruned) event.pruned.push(c.pruned);
    if (c.finishReason !== undefined) {
      event.finishReason = c.finishReason;
      event.finishReasonBy = c.annotator;
    }
    if (c.restructured) event.restructured = true;
  }
  return [...byRun.values()];
}

/**
 * How structure edits of long-CoT trees plan, read and write their state. longcot/structure.ts
 * registers it when loaded (the engine's API, imports and the tagger load it), so opening a store
 * does not load the transcript code and the math checker behind it.
 */
export interface StructureEntity {
  plan(db: Database.Database, edit: TranscriptEdit, annotator: string): { runId: number; before: StructureState; after: StructureState };
  read(db: Database.Database, like: StructureState): StructureState;
  write(db: Database.Database, state: StructureState): void;
}
/** The steps an edit touched, before or after it; only longcot/structure.ts looks inside. */
interface StructureState {
  op: string;
  runId: number;
  steps: unknown[];
}
let structureEntity: StructureEntity | null = null;
export function registerStructureEntity(entity: StructureEntity): void {
  structureEntity = entity;
}
function structure(): StructureEntity {
  if (!structureEntity) throw new StoreError('Transcript edits are not loaded in this process (import longcot/structure)', 'unavailable');
  return structureEntity;
}

/** One label an import brings (PRM800K's, a trace's, a benchmark's reference annotator's). */
export interface ImportedLabel {
  nodeId: number;
  annotator: string;
  rating: Rating | null;
  flagged: boolean;
  note: string;
}

export class AnnotationRepository {
  private importStmts: { label: Database.Statement; history: Database.Statement } | null = null;
  private readonly listeners = new Set<(event: AnnotationsChanged) => void>();
  /** Changes of the open transaction, published when it commits; null outside one. */
  private pending: AnnotationChange[] | null = null;
  /** Inside group(): the group's id once its first row is written (null before); undefined outside. */
  private groupId: number | null | undefined;

  constructor(
    private readonly db: Database.Database,
    private readonly runs: RunRepository,
  ) {}

  /** Calls `listener` after every committed change, once per run touched; returns the unsubscribe. */
  subscribe(listener: (event: AnnotationsChanged) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  // ---- reads ----

  forRun(runId: number): { annotations: Annotation[]; branchRatings: BranchRating[]; finishReasons: { annotator: string; reason: FinishReason }[] } {
    const annotations = this.db
      .prepare('SELECT * FROM annotations WHERE run_id = ? ORDER BY node_id, annotator')
      .all(runId) as AnnotationRow[];
    const ratings = this.db
      .prepare('SELECT * FROM branch_ratings WHERE run_id = ? ORDER BY leaf_node_id, annotator')
      .all(runId) as BranchRatingRow[];
    const finishReasons = this.db
      .prepare('SELECT annotator, reason FROM finish_reasons WHERE run_id = ? ORDER BY annotator')
      .all(runId) as { annotator: string; reason: FinishReason }[];
    return { annotations: annotations.map(toAnnotation), branchRatings: ratings.map(toBranchRating), finishReasons };
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

  /**
   * Copies `source`'s automatic labels into this annotator's ratings as one action: one
   * transaction, one history group, one undo. Steps without such a label, or already rated by the
   * annotator, are skipped.
   */
  acceptAutoLabels(annotator: string, source: AutoLabel['source'], nodeIds: readonly number[]): { accepted: number; skipped: number } {
    const find = this.db.prepare('SELECT label FROM auto_labels WHERE node_id = ? AND source = ?').pluck();
    const rated = this.db.prepare('SELECT 1 FROM annotations WHERE node_id = ? AND annotator = ? AND rating IS NOT NULL').pluck();
    return this.group(() => {
      let accepted = 0;
      for (const nodeId of nodeIds) {
        const label = find.get(nodeId, source) as Rating | null | undefined;
        if (label === undefined || label === null || rated.get(nodeId, annotator)) continue;
        this.setLabel(nodeId, annotator, { rating: label });
        accepted++;
      }
      return { accepted, skipped: nodeIds.length - accepted };
    });
  }

  /** Edits a transcript tree (longcot/structure.ts); undoable like any annotation. */
  editStructure(edit: TranscriptEdit, annotator: string): AnnotationChange {
    let after: State = null;
    const target: Target = { entity: 'structure', runId: 0, nodeId: null, annotator };
    // Structure rows name no node (a step they mention may later be merged away); the plan, made
    // inside the transaction, names the run.
    return this.record(target, () => after, () => {
      const plan = structure().plan(this.db, edit, annotator);
      after = plan.after;
      target.runId = plan.runId;
      return plan.before;
    });
  }

  /**
   * Labels an import brings for a new run: each an annotation and a `do` history row (before:
   * none, after: the label's state), so who labeled what stays on record for audit and agreement,
   * but on nobody's undo stack and with no event (no window shows the run yet). Refreshes the
   * run's labeled_count. One transaction.
   */
  importLabels(runId: number, labels: readonly ImportedLabel[]): void {
    const s = (this.importStmts ??= {
      label: this.db.prepare(`INSERT INTO annotations (node_id, run_id, annotator, rating, flagged, note) VALUES (?, ?, ?, ?, ?, ?)`),
      history: this.db.prepare(
        `INSERT INTO history (annotator, action, entity, run_id, node_id, before, after) VALUES (?, 'do', 'annotation', ?, ?, NULL, ?)`,
      ),
    });
    this.db.transaction(() => {
      for (const l of labels) {
        const state: LabelState = { rating: l.rating, flagged: l.flagged, note: l.note };
        s.label.run(l.nodeId, runId, l.annotator, state.rating, state.flagged ? 1 : 0, state.note);
        s.history.run(l.annotator, runId, l.nodeId, JSON.stringify(state));
      }
      this.runs.refreshLabeledCount(runId);
    })();
  }

  /** Reverts the annotator's latest action (a whole group at once); null when there is nothing to undo. */
  undo(annotator: string): Replayed | null {
    return this.replay(annotator, 'undo');
  }

  /** Re-applies the annotator's latest undone action (a whole group at once); null when there is nothing to redo. */
  redo(annotator: string): Replayed | null {
    return this.replay(annotator, 'redo');
  }

  // ---- the one write path ----

  /**
   * Runs `work` in one immediate transaction and publishes its changes once it commits. Called
   * inside another, it joins that one (its changes are published with the outer ones).
   */
  private transact<T>(work: () => T): T {
    if (this.pending) return work();
    const changes: AnnotationChange[] = [];
    this.pending = changes;
    let result: T;
    try {
      result = this.db.transaction(work).immediate();
    } finally {
      this.pending = null;
    }
    for (const event of toEvents(changes)) for (const listener of this.listeners) listener(event);
    return result;
  }

  /** Runs several changes as one action: their history rows share a group id. */
  private group<T>(work: () => T): T {
    return this.transact(() => {
      this.groupId = null;
      try {
        return work();
      } finally {
        this.groupId = undefined;
      }
    });
  }

  private record(target: Target, next: (before: State) => State, readBefore = () => this.readState(target)): AnnotationChange {
    return this.transact(() => {
      const before = readBefore();
      const after = next(before);
      const change = this.writeState(target, after);
      const historyId = this.appendHistory(target, 'do', null, before, after);
      this.db.prepare("DELETE FROM undo_stack WHERE annotator = ? AND stack = 'redo'").run(target.annotator);
      this.db
        .prepare("INSERT INTO undo_stack (annotator, stack, history_id) VALUES (?, 'undo', ?)")
        .run(target.annotator, historyId);
      return change;
    });
  }

  private replay(annotator: string, action: 'undo' | 'redo'): Replayed | null {
    return this.transact(() => {
      // Undo pops the newest action; redo pops the most recently undone, which is the oldest
      // left on the redo stack because undos walk backwards through history. A group moves
      // between the stacks whole, so all of its rows are on the stack the top one is on.
      const newest = action === 'undo';
      const top = this.db
        .prepare(`SELECT ${newest ? 'MAX' : 'MIN'}(history_id) AS id FROM undo_stack WHERE annotator = ? AND stack = ?`)
        .get(annotator, action) as { id: number | null };
      if (top.id === null) return null;
      const { group_id: groupId } = this.db.prepare('SELECT group_id FROM history WHERE id = ?').get(top.id) as { group_id: number | null };
      const ids =
        groupId === null
          ? [top.id]
          : (this.db
              .prepare(
                `SELECT s.history_id FROM undo_stack s JOIN history h ON h.id = s.history_id
                 WHERE s.annotator = ? AND s.stack = ? AND h.group_id = ? ORDER BY s.history_id ${newest ? 'DESC' : 'ASC'}`,
              )
              .pluck()
              .all(annotator, action, groupId) as number[]);
      // The rows replaying a group form a group of their own; a single action's row stays alone.
      const replayAll = () => ids.map((id) => this.replayOne(annotator, action, id));
      const entries = ids.length > 1 ? this.group(replayAll) : replayAll();
      return { entry: entries.at(-1)!, entries };
    });
  }

  /** Undoes or redoes one history row and moves it to the other stack; returns the row it appended. */
  private replayOne(annotator: string, action: 'undo' | 'redo', originalId: number): HistoryEntry {
    const original = toHistory(this.db.prepare('SELECT * FROM history WHERE id = ?').get(originalId) as HistoryRow);
    const target: Target = {
      entity: original.entity,
      runId: original.runId,
      nodeId: original.nodeId,
      annotator: original.annotator,
    };
    const after = (action === 'undo' ? original.before : original.after) as State;
    const before = this.readState(target, after);
    this.writeState(target, after);
    const entryId = this.appendHistory(target, action, original.id, before, after, annotator);
    this.db
      .prepare('DELETE FROM undo_stack WHERE annotator = ? AND stack = ? AND history_id = ?')
      .run(annotator, action, original.id);
    this.db
      .prepare('INSERT INTO undo_stack (annotator, stack, history_id) VALUES (?, ?, ?)')
      .run(annotator, action === 'undo' ? 'redo' : 'undo', original.id);
    return toHistory(this.db.prepare('SELECT * FROM history WHERE id = ?').get(entryId) as HistoryRow);
  }

  private appendHistory(
    target: Target,
    action: 'do' | 'undo' | 'redo',
    targetId: number | null,
    before: State,
    after: State,
    actor = target.annotator,
  ): number {
    // The first row of a group gets the next id explicitly, so it can name itself as the group.
    const id =
      this.groupId === null ? (this.db.prepare('SELECT COALESCE(MAX(id), 0) + 1 FROM history').pluck().get() as number) : null;
    if (this.groupId === null) this.groupId = id;
    const info = this.db
      .prepare(
        `INSERT INTO history (id, annotator, action, target_id, entity, run_id, node_id, before, after, group_id)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(id, actor, action, targetId, target.entity, target.runId, target.nodeId, JSON.stringify(before), JSON.stringify(after), this.groupId ?? null);
    return Number(info.lastInsertRowid);
  }

  private readState(t: Target, like: State = null): State {
    switch (t.entity) {
      case 'structure':
        return structure().read(this.db, like as StructureState);
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
        // Each annotator's own reason (PRM800K keeps one per labeler).
        const row = this.db.prepare('SELECT reason FROM finish_reasons WHERE run_id = ? AND annotator = ?').get(t.runId, t.annotator) as
          | { reason: FinishReason }
          | undefined;
        return { reason: row?.reason ?? null };
      }
    }
  }

  /** Writes the state and notes the change for the event published when the transaction commits. */
  private writeState(t: Target, state: State): AnnotationChange {
    const change = this.applyState(t, state);
    this.pending?.push(change);
    return change;
  }

  private applyState(t: Target, state: State): AnnotationChange {
    const base = { runId: t.runId, entity: t.entity, nodeId: t.nodeId, annotator: t.annotator };
    switch (t.entity) {
      case 'structure':
        structure().write(this.db, state as StructureState);
        return { ...base, restructured: true };
      case 'annotation': {
        if (state === null) {
          this.db.prepare('DELETE FROM annotations WHERE node_id = ? AND annotator = ?').run(t.nodeId, t.annotator);
          this.runs.refreshLabeledCount(t.runId);
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
        this.runs.refreshLabeledCount(t.runId);
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
        if (reason === null) this.db.prepare('DELETE FROM finish_reasons WHERE run_id = ? AND annotator = ?').run(t.runId, t.annotator);
        else {
          this.db
            .prepare(
              `INSERT INTO finish_reasons (run_id, annotator, reason) VALUES (?, ?, ?)
               ON CONFLICT (run_id, annotator) DO UPDATE SET reason = excluded.reason, updated_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now')`,
            )
            .run(t.runId, t.annotator, reason);
        }
        // The run's own column keeps the latest reason anyone gave (the library lists it).
        this.db
          .prepare(
            'UPDATE runs SET finish_reason = (SELECT reason FROM finish_reasons WHERE run_id = @runId ORDER BY updated_at DESC, rowid DESC LIMIT 1) WHERE id = @runId',
          )
          .run({ runId: t.runId });
        return { ...base, finishReason: reason };
      }
    }
  }

  private runOfNode(nodeId: number): number {
    const row = this.db.prepare('SELECT run_id FROM nodes WHERE id = ?').get(nodeId) as { run_id: number } | undefined;
    if (!row) throw new StoreError(`Node ${nodeId} not found`, 'not_found');
    return row.run_id;
  }
}
