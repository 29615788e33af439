/**
 * Transcript trees in the database: the `transcripts` row of a run (segmenter, record shape,
 * wrapper text) and one `transcript_steps` row per step (reading order, tag, relation). Reading a
 * transcript back recomputes what follows from the tree (answers, outcomes, abandoned branches).
 */
import type Database from 'better-sqlite3';
import type { SegmenterName, StepRelation, StepTag } from '../../../common/longcot';
import { StoreError } from '../store/errors';
import { branchOutcomes } from './answers';
import type { TranscriptTree } from './build';
import type { RecordShape } from './records';
import { transcriptStats, type StatStep, type TranscriptStats } from './stats';

export interface StoredStep extends StatStep {
  nodeId: number;
  /** The parent's node id; the root's id for a first-level step. */
  parentId: number;
  start: number;
  section: 'reasoning' | 'answer';
  taggedBy: string;
}

export interface StoredTranscript {
  runId: number;
  rootId: number;
  segmenter: SegmenterName;
  shape: RecordShape;
  prefix: string;
  middle: string;
  suffix: string;
  answerStart: number;
  gold: string | null;
  /** In reading order. */
  steps: StoredStep[];
}

/** Statements an import runs once per transcript or step, prepared once per connection. */
const statements = new WeakMap<Database.Database, ReturnType<typeof prepare>>();
function prepare(db: Database.Database) {
  return {
    transcript: db.prepare(
      `INSERT INTO transcripts (run_id, segmenter, shape, prefix, middle, suffix, answer_start) VALUES (?, ?, ?, ?, ?, ?, ?)`,
    ),
    step: db.prepare(`INSERT INTO transcript_steps (node_id, run_id, start, tag, relation) VALUES (?, ?, ?, ?, ?)`),
    stats: db.prepare(`UPDATE runs SET stats = json_set(stats, '$.transcript', json(?)), solved = ? WHERE id = ?`),
  };
}
function statementsOf(db: Database.Database) {
  let s = statements.get(db);
  if (!s) statements.set(db, (s = prepare(db)));
  return s;
}

/** Writes the transcript rows of a freshly imported run; `nodeIds[0]` is the root. */
export function saveTranscript(
  db: Database.Database,
  runId: number,
  tree: TranscriptTree,
  shape: RecordShape,
  nodeIds: readonly number[],
): TranscriptStats {
  const { transcript, step } = statementsOf(db);
  transcript.run(runId, tree.segmenter, shape, tree.parts.prefix, tree.parts.middle, tree.parts.suffix, tree.parts.reasoning.length);
  tree.steps.forEach((s, i) => step.run(nodeIds[i + 1], runId, s.start, s.tag, s.relation));
  const stats = transcriptStats(tree.steps);
  recordStats(db, runId, stats);
  return stats;
}

/** Keeps the run's stats and solved flag in step with its transcript tree. */
export function recordStats(db: Database.Database, runId: number, stats: TranscriptStats): void {
  statementsOf(db).stats.run(
    JSON.stringify(stats),
    stats.finalOutcome === 'correct' ? 1 : 0,
    runId,
  );
}

interface TranscriptRow {
  run_id: number;
  segmenter: SegmenterName;
  shape: RecordShape;
  prefix: string;
  middle: string;
  suffix: string;
  answer_start: number;
  gold_answer: string | null;
}

interface StepRow {
  node_id: number;
  parent_id: number;
  step_text: string;
  start: number;
  tag: StepTag;
  relation: StepRelation;
  tagged_by: string;
}

export function isTranscriptRun(db: Database.Database, runId: number): boolean {
  return db.prepare('SELECT 1 FROM transcripts WHERE run_id = ?').get(runId) !== undefined;
}

/** A run's transcript with its steps in reading order; null when the run is no transcript. */
export function loadTranscript(db: Database.Database, runId: number): StoredTranscript | null {
  const t = db
    .prepare(
      `SELECT t.*, p.gold_answer FROM transcripts t JOIN runs r ON r.id = t.run_id JOIN problems p ON p.id = r.problem_id
       WHERE t.run_id = ?`,
    )
    .get(runId) as TranscriptRow | undefined;
  if (!t) return null;
  const root = db.prepare('SELECT id FROM nodes WHERE run_id = ? AND parent_id IS NULL').get(runId) as { id: number } | undefined;
  if (!root) throw new StoreError(`Run ${runId} has a transcript but no root node`, 'not_found');
  const rows = db
    .prepare(
      `SELECT s.node_id, n.parent_id, n.step_text, s.start, s.tag, s.relation, s.tagged_by
       FROM transcript_steps s JOIN nodes n ON n.id = s.node_id WHERE s.run_id = ? ORDER BY s.start`,
    )
    .all(runId) as StepRow[];
  const indexOf = new Map(rows.map((r, i) => [r.node_id, i]));
  const parents = rows.map((r) => (r.parent_id === root.id ? -1 : (indexOf.get(r.parent_id) ?? -1)));
  const outcomes = branchOutcomes(
    rows.map((r) => r.step_text),
    parents,
    t.gold_answer,
  );
  return {
    runId,
    rootId: root.id,
    segmenter: t.segmenter,
    shape: t.shape,
    prefix: t.prefix,
    middle: t.middle,
    suffix: t.suffix,
    answerStart: t.answer_start,
    gold: t.gold_answer,
    steps: rows.map((r, i) => ({
      nodeId: r.node_id,
      parentId: r.parent_id,
      parent: parents[i]!,
      text: r.step_text,
      start: r.start,
      section: r.start >= t.answer_start ? 'answer' : 'reasoning',
      tag: r.tag,
      relation: r.relation,
      taggedBy: r.tagged_by,
      answer: outcomes.answers[i]!,
      outcome: outcomes.outcome[i]!,
      leaf: outcomes.leaf[i]!,
      abandoned: outcomes.abandoned[i]!,
    })),
  };
}

/** The response exactly as the model wrote it: wrapper and steps in reading order. */
export function linearise(t: StoredTranscript): string {
  const reasoning = t.steps.filter((s) => s.section === 'reasoning').map((s) => s.text).join('');
  const answer = t.steps.filter((s) => s.section === 'answer').map((s) => s.text).join('');
  return t.prefix + reasoning + t.middle + answer + t.suffix;
}
