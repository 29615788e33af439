/**
 * Editing a transcript tree: split a step at a cursor, merge it with the next step, move it (with
 * its subtree) under another parent, change its tag or relation. Every edit is a before/after pair
 * of the steps it touches, so the history can undo and redo it by writing one state or the other;
 * what follows from the tree (reading-order seq, depth, outcomes, stats) is recomputed after each
 * write. Reading order stays a valid creation order: a step only ever hangs under an earlier one.
 * Every row it reads or writes goes through the store's transcript rows (store/transcripts.ts).
 */
import { z } from 'zod';
import { StepRelation, StepTag } from '../../../common/longcot';
import { ApiError } from '../../../common/contract/define';
import { registerStructureEntity } from '../store/annotations';
import type { Connection } from '../store/db';
import { StoreError } from '../store/errors';
import { transcriptRows, type EditableStepRow } from '../store/transcripts';
import { readStep } from './classify';
import { isTranscriptRun, loadTranscript, recordStats, type StoredTranscript } from './store';
import { transcriptStats } from './stats';

export const StepShape = z.object({
  id: z.number().int(),
  exists: z.boolean(),
  parentId: z.number().int().nullable(),
  text: z.string(),
  start: z.number().int(),
  tag: StepTag,
  relation: StepRelation,
  taggedBy: z.string(),
});
export type StepShape = z.infer<typeof StepShape>;

export const StructureState = z.object({ op: z.enum(['split', 'merge', 'move', 'tag']), runId: z.number().int(), steps: z.array(StepShape) });
export type StructureState = z.infer<typeof StructureState>;

export type StructureEdit =
  | { op: 'split'; nodeId: number; offset: number }
  | { op: 'merge'; nodeId: number }
  | { op: 'move'; nodeId: number; parentId: number }
  | { op: 'tag'; nodeId: number; tag?: StepTag; relation?: StepRelation };

export interface StructurePlan {
  runId: number;
  before: StructureState;
  after: StructureState;
}

type StepRow = EditableStepRow;

function stepRow(db: Connection, nodeId: number): StepRow | undefined {
  return transcriptRows(db).step(nodeId);
}

const shapeOf = (r: StepRow): StepShape => ({
  id: r.id,
  exists: true,
  parentId: r.parent_id,
  text: r.step_text,
  start: r.start,
  tag: r.tag,
  relation: r.relation,
  taggedBy: r.tagged_by,
});

/** The current state of these steps (a step that is not there reads as `exists: false`). */
export function readSteps(db: Connection, like: StructureState): StructureState {
  return {
    op: like.op,
    runId: like.runId,
    steps: like.steps.map((s) => {
      const row = stepRow(db, s.id);
      return row ? shapeOf(row) : { ...s, exists: false };
    }),
  };
}

function stepOf(db: Connection, nodeId: number): StepRow {
  const row = stepRow(db, nodeId);
  if (row) return row;
  if (transcriptRows(db).runOfNode(nodeId) === undefined) throw new StoreError(`Node ${nodeId} not found`, 'not_found');
  throw new ApiError('invalid_input', `Node ${nodeId} is not a step of a transcript (the root and searched trees cannot be edited this way)`);
}

function childrenOf(db: Connection, nodeId: number): StepRow[] {
  return transcriptRows(db)
    .childIds(nodeId)
    .map((id) => stepOf(db, id));
}

/** Labels that removing a step would lose: a merge or an undone split refuses then. */
function labelsOn(db: Connection, nodeId: number): string[] {
  return transcriptRows(db).labelKindsOn(nodeId);
}

function nextId(db: Connection): number {
  return transcriptRows(db).nextNodeId();
}

/** Works out an edit's before and after states, checking it first; writes nothing. */
export function planEdit(db: Connection, edit: StructureEdit, annotator: string): StructurePlan {
  const a = stepOf(db, edit.nodeId);
  const runId = a.run_id;
  const t = loadTranscript(db, runId)!;
  const before: StepShape[] = [];
  const after: StepShape[] = [];
  const change = (row: StepRow, next: Partial<StepShape>) => {
    before.push(shapeOf(row));
    after.push({ ...shapeOf(row), ...next });
  };
  switch (edit.op) {
    case 'split': {
      const { offset } = edit;
      if (offset <= 0 || offset >= a.step_text.length) {
        throw new ApiError('invalid_input', `Cannot split step ${a.id} at ${offset}: the cursor must be inside its ${a.step_text.length} characters`);
      }
      const id = nextId(db);
      const tail = a.step_text.slice(offset);
      const section = a.start + offset >= t.answerStart ? 'answer' : 'reasoning';
      const reading = readStep(tail, section, false, true);
      change(a, { text: a.step_text.slice(0, offset) });
      for (const child of childrenOf(db, a.id)) change(child, { parentId: id });
      const created: StepShape = { id, exists: true, parentId: a.id, text: tail, start: a.start + offset, ...reading, relation: 'continue', taggedBy: 'rules' };
      before.push({ ...created, exists: false });
      after.push(created);
      break;
    }
    case 'merge': {
      const at = t.steps.findIndex((s) => s.nodeId === a.id);
      const b = t.steps[at + 1];
      if (!b || b.section !== t.steps[at]!.section) {
        throw new ApiError('invalid_input', `Step ${a.id} is the last of its ${t.steps[at]!.section}: there is no next step to merge with`);
      }
      const lost = labelsOn(db, b.nodeId);
      if (lost.length) {
        throw new ApiError('conflict', `Step ${b.nodeId} has ${lost.join(', ')}; merging would lose them (clear them first)`);
      }
      const bRow = stepOf(db, b.nodeId);
      change(a, { text: a.step_text + bRow.step_text });
      for (const child of childrenOf(db, b.nodeId)) change(child, { parentId: a.id });
      change(bRow, { exists: false });
      break;
    }
    case 'move': {
      const target = edit.parentId === t.rootId ? null : t.steps.find((s) => s.nodeId === edit.parentId);
      if (edit.parentId !== t.rootId && !target) {
        throw new ApiError('invalid_input', `Node ${edit.parentId} is not a step of run ${runId}'s transcript`);
      }
      // Descendants always come later in reading order, so "earlier" also rules out cycles.
      if (target && target.start >= a.start) {
        throw new ApiError('invalid_input', `Step ${a.id} can only move under the root or a step written before it (step ${edit.parentId} comes after)`);
      }
      change(a, { parentId: edit.parentId });
      break;
    }
    case 'tag': {
      if (!edit.tag && !edit.relation) throw new ApiError('invalid_input', 'Give a tag or a relation to set');
      change(a, { tag: edit.tag ?? a.tag, relation: edit.relation ?? a.relation, taggedBy: annotator });
      break;
    }
  }
  return { runId, before: { op: edit.op, runId, steps: before }, after: { op: edit.op, runId, steps: after } };
}

/** Writes a structure state (an edit, its undo or its redo), then recomputes what follows from the tree. */
export function writeSteps(db: Connection, state: StructureState): void {
  const run = state.runId;
  const rows = transcriptRows(db);
  const byStart = [...state.steps].sort((x, y) => x.start - y.start);
  for (const s of byStart) {
    const row = stepRow(db, s.id);
    if (!s.exists || row) continue;
    if (rows.runOfNode(s.id) !== undefined) throw new ApiError('conflict', `Cannot restore step ${s.id}: the id is in use by another node`);
    rows.restoreStep(run, s, -1_000_000_000 - s.id);
  }
  for (const s of state.steps) {
    if (!s.exists) continue;
    rows.updateStep(s);
  }
  for (const s of state.steps) {
    if (s.exists || !stepRow(db, s.id)) continue;
    const lost = labelsOn(db, s.id);
    if (lost.length) throw new ApiError('conflict', `Step ${s.id} has ${lost.join(', ')}; removing it would lose them (clear them first)`);
    if (rows.hasChildren(s.id)) {
      throw new ApiError('conflict', `Step ${s.id} still has children; it cannot be removed`);
    }
    rows.deleteStep(s.id);
  }
  refreshTree(db, run);
}

/**
 * What follows from a transcript tree: seq and expansion are the reading order (so replay walks
 * the text as written), depth from the parents, terminal flags and outcomes from the answers.
 */
export function refreshTree(db: Connection, runId: number): StoredTranscript {
  const t = loadTranscript(db, runId);
  if (!t) throw new StoreError(`Run ${runId} has no transcript`, 'not_found');
  const rows = transcriptRows(db);
  // Out of the way first: seqs are unique per run, and the new order may swap two steps'.
  t.steps.forEach((s, i) => rows.setOrder(s.nodeId, -1 - i, 0));
  const depth: number[] = [];
  t.steps.forEach((s, i) => {
    depth[i] = s.parent < 0 ? 1 : depth[s.parent]! + 1;
    rows.setShape(s.nodeId, { seq: i + 1, expansion: i + 1, depth: depth[i]!, terminal: s.leaf, outcome: s.outcome, state: s.answer === null ? null : `answer: ${s.answer}` });
  });
  rows.setNodeCount(runId, t.steps.length + 1);
  recordStats(db, runId, transcriptStats(t.steps));
  return t;
}

export { isTranscriptRun };

registerStructureEntity({ plan: planEdit, read: readSteps, write: writeSteps });
