/** What import parsers produce: problems, or whole trees with their labels, ready to write. */
import type { AlgorithmName, FinishReason, NewProblem, Outcome, Rating } from '../../../common/domain';
import { wellFormed } from '../store/well-formed';
import type { Store } from '../store/store';

export interface ImportLabel {
  annotator: string;
  rating: Rating | null;
  flagged?: boolean;
  note?: string;
}

/** An automatic label (Math-Shepherd's +/-, or a soft estimate), kept apart from human labels. */
export interface ImportAutoLabel {
  label: Rating | null;
  value: number | null;
  model: string;
}

export interface ImportNode {
  /** Index of the parent in the tree's node list; null for the root (node 0). */
  parent: number | null;
  stepText: string;
  /** Left out: replayed with the task's rules where it can read the problem. */
  state?: string | null;
  isTerminal?: boolean;
  valid?: boolean;
  outcome?: Outcome | null;
  /** A scorer's value of the path so far (PRM800K's verifier score on its last step). */
  score?: number | null;
  /** The expansion that created the node; left out, one per parent in order of appearance. */
  expansion?: number;
  labels?: ImportLabel[];
  auto?: ImportAutoLabel;
}

export interface ImportTree {
  problem: NewProblem;
  algorithm: AlgorithmName;
  policy: string;
  config: Record<string, unknown>;
  finishReason?: FinishReason | null;
  qualityControl?: boolean;
  /** Root first; every parent before its children. */
  nodes: ImportNode[];
  /** False: every node's state, validity, terminal flag and outcome are given; the task does not replay them. */
  replayTask?: false;
  /** Called in the import's transaction once the tree is stored, with the id of each node (by index). */
  onWritten?: (store: Store, runId: number, nodeIds: readonly number[]) => void;
}

export type ImportItem = { kind: 'problem'; problem: NewProblem } | { kind: 'tree'; tree: ImportTree };

/** A record that cannot be imported; the message says why (the caller adds the line). */
export class ImportLineError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ImportLineError';
  }
}

/** One record: a JSON Lines line, or a CSV row as an object keyed by the header. */
export interface ImportRecord {
  line: number;
  text?: string;
  row?: Record<string, string>;
}

/** Turns records into items. Stateful where records group into one tree (TRL paths). */
export interface ImportParser {
  push(record: ImportRecord): ImportItem[];
  finish(): ImportItem[];
  /**
   * Optional, for parsers whose items are costly to build and whose records stand alone: checks a
   * record as `push` would, building nothing (the checking pass uses it instead of `push`).
   */
  check?(record: ImportRecord): void;
}

/** Parses a JSON Lines record into an object (lone surrogates made U+FFFD), or explains why not. */
export function jsonObject(record: ImportRecord): Record<string, unknown> {
  if (record.row) return record.row;
  let value: unknown;
  try {
    value = wellFormed(JSON.parse(record.text ?? ''));
  } catch (error) {
    throw new ImportLineError(`not valid JSON (${(error as Error).message})`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new ImportLineError('expected a JSON object');
  return value as Record<string, unknown>;
}
