/**
 * Transcript trees in the database: the `transcripts` row of a run (segmenter, record shape,
 * wrapper text) and one `transcript_steps` row per step (reading order, tag, relation), written and
 * read through the store's transcript rows (store/transcripts.ts). Reading a transcript back
 * recomputes what follows from the tree (answers, outcomes, abandoned branches).
 */
import type { SegmenterName } from '../../../common/longcot';
import type { Connection } from '../store/db';
import { StoreError } from '../store/errors';
import { transcriptRows } from '../store/transcripts';
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

/** Writes the transcript rows of a freshly imported run; `nodeIds[0]` is the root. */
export function saveTranscript(
  db: Connection,
  runId: number,
  tree: TranscriptTree,
  shape: RecordShape,
  nodeIds: readonly number[],
): TranscriptStats {
  const rows = transcriptRows(db);
  rows.insertTranscript(runId, tree.segmenter, shape, tree.parts, tree.parts.reasoning.length);
  tree.steps.forEach((s, i) => rows.insertStep(nodeIds[i + 1]!, runId, s.start, s.tag, s.relation));
  const stats = transcriptStats(tree.steps);
  recordStats(db, runId, stats);
  return stats;
}

/** Keeps the run's stats and solved flag in step with its transcript tree. */
export function recordStats(db: Connection, runId: number, stats: TranscriptStats): void {
  transcriptRows(db).setStats(runId, JSON.stringify(stats), stats.finalOutcome === 'correct');
}

export function isTranscriptRun(db: Connection, runId: number): boolean {
  return transcriptRows(db).isTranscript(runId);
}

/** A run's transcript with its steps in reading order; null when the run is no transcript. */
export function loadTranscript(db: Connection, runId: number): StoredTranscript | null {
  const stored = transcriptRows(db);
  const t = stored.transcript(runId);
  if (!t) return null;
  const rootId = stored.rootId(runId);
  if (rootId === undefined) throw new StoreError(`Run ${runId} has a transcript but no root node`, 'not_found');
  const root = { id: rootId };
  const rows = stored.steps(runId);
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
    shape: t.shape as RecordShape,
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
