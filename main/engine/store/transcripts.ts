/**
 * Transcript trees' rows: the `transcripts` row of a run (segmenter, record shape, wrapper text),
 * one `transcript_steps` row per step (reading order, tag, relation) beside the step's node, and the
 * transcript statistics kept in the run's stats. longcot/ builds, reads and edits transcripts on top
 * of these (longcot/store.ts, structure.ts, view.ts); this is every statement they run, one
 * method per query. `transcriptRows(connection)` prepares them once per connection (imports write
 * thousands of steps; exports read on a connection of their own).
 */
import type { SegmenterName, StepRelation, StepTag } from '../../../common/longcot';
import type Database from 'better-sqlite3';
import type { Connection } from './db';

/** A run's `transcripts` row, with its problem's gold answer. */
export interface TranscriptRow {
  run_id: number;
  segmenter: SegmenterName;
  /** longcot/records.ts's RecordShape. */
  shape: string;
  prefix: string;
  middle: string;
  suffix: string;
  answer_start: number;
  gold_answer: string | null;
}

/** A step in reading order, as a transcript is read back. */
export interface TranscriptStepRow {
  node_id: number;
  parent_id: number;
  step_text: string;
  start: number;
  tag: StepTag;
  relation: StepRelation;
  tagged_by: string;
}

/** A step as an edit sees it: its node and its transcript row. */
export interface EditableStepRow {
  id: number;
  run_id: number;
  parent_id: number | null;
  step_text: string;
  start: number;
  tag: StepTag;
  relation: StepRelation;
  tagged_by: string;
}

/** A step's whole state, as an edit, its undo or its redo writes it. */
export interface StepState {
  id: number;
  parentId: number | null;
  text: string;
  start: number;
  tag: StepTag;
  relation: StepRelation;
  taggedBy: string;
}

/** What a step can carry that removing it would lose, by table, with the column naming the node. */
const LABEL_TABLES: [string, string][] = [
  ['annotations', 'node_id'],
  ['branch_ratings', 'leaf_node_id'],
  ['auto_labels', 'node_id'],
  ['adjudications', 'node_id'],
  ['gold_labels', 'node_id'],
];

/** Every statement, by name, prepared on first use (a read-only connection never prepares the writes); `pluck` answers the first column. */
const SQL = {
  insertTranscript: { text: 'INSERT INTO transcripts (run_id, segmenter, shape, prefix, middle, suffix, answer_start) VALUES (?, ?, ?, ?, ?, ?, ?)' },
  insertStep: { text: 'INSERT INTO transcript_steps (node_id, run_id, start, tag, relation) VALUES (?, ?, ?, ?, ?)' },
  setStats: { text: "UPDATE runs SET stats = json_set(stats, '$.transcript', json(?)), solved = ? WHERE id = ?" },
  isTranscript: { text: 'SELECT 1 FROM transcripts WHERE run_id = ?' },
  transcript: {
    text: `SELECT t.*, p.gold_answer FROM transcripts t JOIN runs r ON r.id = t.run_id JOIN problems p ON p.id = r.problem_id
           WHERE t.run_id = ?`,
  },
  rootId: { text: 'SELECT id FROM nodes WHERE run_id = ? AND parent_id IS NULL', pluck: true },
  steps: {
    text: `SELECT s.node_id, n.parent_id, n.step_text, s.start, s.tag, s.relation, s.tagged_by
           FROM transcript_steps s JOIN nodes n ON n.id = s.node_id WHERE s.run_id = ? ORDER BY s.start`,
  },
  runIds: {
    text: `SELECT t.run_id FROM transcripts t JOIN runs r ON r.id = t.run_id JOIN problems p ON p.id = r.problem_id
           WHERE (@task IS NULL OR p.task = @task) ORDER BY t.run_id`,
    pluck: true,
  },
  keptStats: { text: "SELECT json_extract(stats, '$.transcript') FROM runs WHERE id = ?", pluck: true },
  step: {
    text: `SELECT n.id, n.run_id, n.parent_id, n.step_text, s.start, s.tag, s.relation, s.tagged_by
           FROM nodes n JOIN transcript_steps s ON s.node_id = n.id WHERE n.id = ?`,
  },
  runOfNode: { text: 'SELECT run_id FROM nodes WHERE id = ?', pluck: true },
  childIds: { text: 'SELECT id FROM nodes WHERE parent_id = ?', pluck: true },
  hasChildren: { text: 'SELECT 1 FROM nodes WHERE parent_id = ? LIMIT 1' },
  labelsOn: {
    text: LABEL_TABLES.map(([table, column]) => `SELECT '${table.replace('_', ' ')}' WHERE EXISTS (SELECT 1 FROM ${table} WHERE ${column} = @id)`).join(' UNION ALL '),
    pluck: true,
  },
  maxNodeId: { text: 'SELECT max(id) FROM nodes', pluck: true },
  restoreNode: { text: 'INSERT INTO nodes (id, run_id, parent_id, seq, depth, expansion, step_text) VALUES (?, ?, ?, ?, 0, 0, ?)' },
  restoreStep: { text: 'INSERT INTO transcript_steps (node_id, run_id, start, tag, relation, tagged_by) VALUES (?, ?, ?, ?, ?, ?)' },
  updateNode: { text: 'UPDATE nodes SET parent_id = ?, step_text = ? WHERE id = ?' },
  updateStep: { text: 'UPDATE transcript_steps SET tag = ?, relation = ?, tagged_by = ? WHERE node_id = ?' },
  deleteStep: { text: 'DELETE FROM transcript_steps WHERE node_id = ?' },
  deleteNode: { text: 'DELETE FROM nodes WHERE id = ?' },
  setOrder: { text: 'UPDATE nodes SET seq = ?, expansion = ? WHERE id = ?' },
  setShape: { text: 'UPDATE nodes SET seq = ?, expansion = ?, depth = ?, is_terminal = ?, outcome = ?, state = ? WHERE id = ?' },
  setNodeCount: { text: 'UPDATE runs SET node_count = ? WHERE id = ?' },
} satisfies Record<string, { text: string; pluck?: boolean }>;
type StatementName = keyof typeof SQL;

export class TranscriptRows {
  private readonly prepared = new Map<StatementName, Database.Statement>();

  constructor(private readonly db: Connection) {}

  private q(name: StatementName): Database.Statement {
    let statement = this.prepared.get(name);
    if (!statement) {
      const sql = SQL[name];
      statement = this.db.prepare(sql.text);
      if ('pluck' in sql && sql.pluck) statement.pluck();
      this.prepared.set(name, statement);
    }
    return statement;
  }

  /** Writes a freshly imported run's `transcripts` row. */
  insertTranscript(runId: number, segmenter: string, shape: string, parts: { prefix: string; middle: string; suffix: string }, answerStart: number): void {
    this.q('insertTranscript').run(runId, segmenter, shape, parts.prefix, parts.middle, parts.suffix, answerStart);
  }

  /** Writes the transcript row of an imported step (its node is stored already). */
  insertStep(nodeId: number, runId: number, start: number, tag: StepTag, relation: StepRelation): void {
    this.q('insertStep').run(nodeId, runId, start, tag, relation);
  }

  /** Keeps the transcript's statistics (JSON) in the run's stats, and its solved flag. */
  setStats(runId: number, statsJson: string, solved: boolean): void {
    this.q('setStats').run(statsJson, solved ? 1 : 0, runId);
  }

  isTranscript(runId: number): boolean {
    return this.q('isTranscript').get(runId) !== undefined;
  }

  /** The run's transcript row with its gold answer; undefined when the run is no transcript. */
  transcript(runId: number): TranscriptRow | undefined {
    return this.q('transcript').get(runId) as TranscriptRow | undefined;
  }

  /** The run's root node id, if it has one. */
  rootId(runId: number): number | undefined {
    return this.q('rootId').get(runId) as number | undefined;
  }

  /** The run's steps in reading order. */
  steps(runId: number): TranscriptStepRow[] {
    return this.q('steps').all(runId) as TranscriptStepRow[];
  }

  /** Ids of transcript runs (of one task, when given), in id order. */
  runIds(task: string | null): number[] {
    return this.q('runIds').all({ task }) as number[];
  }

  /** The transcript statistics kept in a run's stats (JSON), null when there are none. */
  keptStats(runId: number): string | null {
    return (this.q('keptStats').get(runId) as string | null | undefined) ?? null;
  }

  /** A step with its node, for an edit; undefined when the node is no transcript step. */
  step(nodeId: number): EditableStepRow | undefined {
    return this.q('step').get(nodeId) as EditableStepRow | undefined;
  }

  /** The run a node belongs to; undefined when there is no such node. */
  runOfNode(nodeId: number): number | undefined {
    return this.q('runOfNode').get(nodeId) as number | undefined;
  }

  childIds(nodeId: number): number[] {
    return this.q('childIds').all(nodeId) as number[];
  }

  hasChildren(nodeId: number): boolean {
    return this.q('hasChildren').get(nodeId) !== undefined;
  }

  /** What labels a node carries that removing it would lose ("annotations", "gold labels", ...). */
  labelKindsOn(nodeId: number): string[] {
    return this.q('labelsOn').all({ id: nodeId }) as string[];
  }

  /** The id the next new node would get. */
  nextNodeId(): number {
    return ((this.q('maxNodeId').get() as number | null) ?? 0) + 1;
  }

  /** Stores a step that an undo or redo brings back, with a placeholder seq (refreshed after). */
  restoreStep(runId: number, step: StepState, seq: number): void {
    this.q('restoreNode').run(step.id, runId, step.parentId, seq, step.text);
    this.q('restoreStep').run(step.id, runId, step.start, step.tag, step.relation, step.taggedBy);
  }

  /** Writes a step's parent, text, tag, relation and tagger. */
  updateStep(step: StepState): void {
    this.q('updateNode').run(step.parentId, step.text, step.id);
    this.q('updateStep').run(step.tag, step.relation, step.taggedBy, step.id);
  }

  /** Removes a step and its node. */
  deleteStep(nodeId: number): void {
    this.q('deleteStep').run(nodeId);
    this.q('deleteNode').run(nodeId);
  }

  /** Sets a node's seq and expansion (reading order). */
  setOrder(nodeId: number, seq: number, expansion: number): void {
    this.q('setOrder').run(seq, expansion, nodeId);
  }

  /** Sets what follows from the tree on a step's node: order, depth, terminal flag, outcome, state. */
  setShape(nodeId: number, shape: { seq: number; expansion: number; depth: number; terminal: boolean; outcome: string | null; state: string | null }): void {
    this.q('setShape').run(shape.seq, shape.expansion, shape.depth, shape.terminal ? 1 : 0, shape.outcome, shape.state, nodeId);
  }

  setNodeCount(runId: number, count: number): void {
    this.q('setNodeCount').run(count, runId);
  }
}

const byConnection = new WeakMap<Connection, TranscriptRows>();

/** The transcript statements of a connection, prepared on first use. */
export function transcriptRows(db: Connection): TranscriptRows {
  let rows = byConnection.get(db);
  if (!rows) byConnection.set(db, (rows = new TranscriptRows(db)));
  return rows;
}
