/**
 * Editing a transcript tree: split a step at a cursor, merge it with the next step, move it (with
 * its subtree) under another parent, change its tag or relation. Every edit is a before/after pair
 * of the steps it touches, so the history can undo and redo it by writing one state or the other;
 * what follows from the tree (reading-order seq, depth, outcomes, stats) is recomputed after each
 * write. Reading order stays a valid creation order: a step only ever hangs under an earlier one.
 */
import type Database from 'better-sqlite3';
import { z } from 'zod';
import { StepRelation, StepTag } from '../../../common/longcot';
import { ApiError } from '../../../common/contract/define';
import { registerStructureEntity } from '../store/annotations';
import { StoreError } from '../store/errors';
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

interface StepRow {
  id: number;
  run_id: number;
  parent_id: number | null;
  step_text: string;
  start: number;
  tag: StepTag;
  relation: StepRelation;
  tagged_by: string;
}

function stepRow(db: Database.Database, nodeId: number): StepRow | undefined {
  return db
    .prepare(
      `SELECT n.id, n.run_id, n.parent_id, n.step_text, s.start, s.tag, s.relation, s.tagged_by
       FROM nodes n JOIN transcript_steps s ON s.node_id = n.id WHERE n.id = ?`,
    )
    .get(nodeId) as StepRow | undefined;
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
export function readSteps(db: Database.Database, like: StructureState): StructureState {
  return {
    op: like.op,
    runId: like.runId,
    steps: like.steps.map((s) => {
      const row = stepRow(db, s.id);
      return row ? shapeOf(row) : { ...s, exists: false };
    }),
  };
}

function stepOf(db: Database.Database, nodeId: number): StepRow {
  const row = stepRow(db, nodeId);
  if (row) return row;
  const node = db.prepare('SELECT run_id FROM nodes WHERE id = ?').get(nodeId) as { run_id: number } | undefined;
  if (!node) throw new StoreError(`Node ${nodeId} not found`, 'not_found');
  throw new ApiError('invalid_input', `Node ${nodeId} is not a step of a transcript (the root and searched trees cannot be edited this way)`);
}

function childrenOf(db: Database.Database, nodeId: number): StepRow[] {
  const ids = db.prepare('SELECT id FROM nodes WHERE parent_id = ?').all(nodeId) as { id: number }[];
  return ids.map((r) => stepOf(db, r.id));
}

/** Labels that removing a step would lose: a merge or an undone split refuses then. */
function labelsOn(db: Database.Database, nodeId: number): string[] {
  const found: string[] = [];
  const tables: [string, string][] = [
    ['annotations', 'node_id'],
    ['branch_ratings', 'leaf_node_id'],
    ['auto_labels', 'node_id'],
    ['adjudications', 'node_id'],
    ['gold_labels', 'node_id'],
  ];
  for (const [table, column] of tables) {
    if (db.prepare(`SELECT 1 FROM ${table} WHERE ${column} = ? LIMIT 1`).get(nodeId)) found.push(table.replace('_', ' '));
  }
  return found;
}

function nextId(db: Database.Database): number {
  return ((db.prepare('SELECT max(id) AS m FROM nodes').get() as { m: number | null }).m ?? 0) + 1;
}

/** Works out an edit's before and after states, checking it first; writes nothing. */
export function planEdit(db: Database.Database, edit: StructureEdit, annotator: string): StructurePlan {
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
export function writeSteps(db: Database.Database, state: StructureState): void {
  const run = state.runId;
  const byStart = [...state.steps].sort((x, y) => x.start - y.start);
  for (const s of byStart) {
    const row = stepRow(db, s.id);
    if (!s.exists || row) continue;
    const taken = db.prepare('SELECT run_id FROM nodes WHERE id = ?').get(s.id);
    if (taken) throw new ApiError('conflict', `Cannot restore step ${s.id}: the id is in use by another node`);
    db.prepare(`INSERT INTO nodes (id, run_id, parent_id, seq, depth, expansion, step_text) VALUES (?, ?, ?, ?, 0, 0, ?)`).run(
      s.id,
      run,
      s.parentId,
      -1_000_000_000 - s.id,
      s.text,
    );
    db.prepare(`INSERT INTO transcript_steps (node_id, run_id, start, tag, relation, tagged_by) VALUES (?, ?, ?, ?, ?, ?)`).run(
      s.id,
      run,
      s.start,
      s.tag,
      s.relation,
      s.taggedBy,
    );
  }
  for (const s of state.steps) {
    if (!s.exists) continue;
    db.prepare('UPDATE nodes SET parent_id = ?, step_text = ? WHERE id = ?').run(s.parentId, s.text, s.id);
    db.prepare('UPDATE transcript_steps SET tag = ?, relation = ?, tagged_by = ? WHERE node_id = ?').run(s.tag, s.relation, s.taggedBy, s.id);
  }
  for (const s of state.steps) {
    if (s.exists || !stepRow(db, s.id)) continue;
    const lost = labelsOn(db, s.id);
    if (lost.length) throw new ApiError('conflict', `Step ${s.id} has ${lost.join(', ')}; removing it would lose them (clear them first)`);
    if (db.prepare('SELECT 1 FROM nodes WHERE parent_id = ? LIMIT 1').get(s.id)) {
      throw new ApiError('conflict', `Step ${s.id} still has children; it cannot be removed`);
    }
    db.prepare('DELETE FROM transcript_steps WHERE node_id = ?').run(s.id);
    db.prepare('DELETE FROM nodes WHERE id = ?').run(s.id);
  }
  refreshTree(db, run);
}

/**
 * What follows from a transcript tree: seq and expansion are the reading order (so replay walks
 * the text as written), depth from the parents, terminal flags and outcomes from the answers.
 */
export function refreshTree(db: Database.Database, runId: number): StoredTranscript {
  const t = loadTranscript(db, runId);
  if (!t) throw new StoreError(`Run ${runId} has no transcript`, 'not_found');
  const setSeq = db.prepare('UPDATE nodes SET seq = ?, expansion = ? WHERE id = ?');
  t.steps.forEach((s, i) => setSeq.run(-1 - i, 0, s.nodeId));
  const update = db.prepare('UPDATE nodes SET seq = ?, expansion = ?, depth = ?, is_terminal = ?, outcome = ?, state = ? WHERE id = ?');
  const depth: number[] = [];
  t.steps.forEach((s, i) => {
    depth[i] = s.parent < 0 ? 1 : depth[s.parent]! + 1;
    update.run(i + 1, i + 1, depth[i], s.leaf ? 1 : 0, s.outcome, s.answer === null ? null : `answer: ${s.answer}`, s.nodeId);
  });
  db.prepare('UPDATE runs SET node_count = ? WHERE id = ?').run(t.steps.length + 1, runId);
  recordStats(db, runId, transcriptStats(t.steps));
  return t;
}

export { isTranscriptRun };

registerStructureEntity({ plan: planEdit, read: readSteps, write: writeSteps });
