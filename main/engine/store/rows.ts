/** Mapping between SQLite rows (snake_case, 0/1 booleans, JSON text) and domain objects. */
import type {
  Annotation,
  BranchRating,
  FinishReason,
  HistoryEntry,
  Problem,
  Rating,
  Run,
  RunStatus,
  TaskName,
  TreeNode,
  AlgorithmName,
  Outcome,
} from '../../../common/domain';

export interface ProblemRow {
  id: number;
  task: string;
  prompt: string;
  gold_answer: string | null;
  metadata: string;
  created_at: string;
}

export interface RunRow {
  id: number;
  problem_id: number;
  task: string;
  algorithm: string;
  config: string;
  policy: string;
  scorer: string | null;
  seed: number;
  status: string;
  stats: string;
  error: string | null;
  finish_reason: string | null;
  owner_pid: number | null;
  node_count: number;
  labeled_count: number;
  solved: number;
  created_at: string;
  started_at: string | null;
  finished_at: string | null;
}

export interface NodeRow {
  id: number;
  run_id: number;
  parent_id: number | null;
  seq: number;
  depth: number;
  expansion: number;
  step_text: string;
  state: string | null;
  token_count: number | null;
  logprob: number | null;
  prior: number | null;
  value: number | null;
  visits: number;
  q: number | null;
  score: number | null;
  is_terminal: number;
  valid: number;
  outcome: string | null;
  exact_label: number | null;
  pruned: number;
}

export interface AnnotationRow {
  node_id: number;
  annotator: string;
  rating: number | null;
  flagged: number;
  note: string;
  updated_at: string;
}

export interface BranchRatingRow {
  leaf_node_id: number;
  annotator: string;
  score: number | null;
  preferred: number;
  note: string;
  updated_at: string;
}

export interface HistoryRow {
  id: number;
  annotator: string;
  action: string;
  target_id: number | null;
  entity: string;
  run_id: number;
  node_id: number | null;
  before: string | null;
  after: string | null;
  at: string;
}

export function parseJsonObject(text: string | null): Record<string, unknown> {
  if (!text) return {};
  const value: unknown = JSON.parse(text);
  return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

export const toProblem = (r: ProblemRow): Problem => ({
  id: r.id,
  task: r.task as TaskName,
  prompt: r.prompt,
  goldAnswer: r.gold_answer,
  metadata: parseJsonObject(r.metadata),
  createdAt: r.created_at,
});

export const toRun = (r: RunRow): Run => ({
  id: r.id,
  problemId: r.problem_id,
  task: r.task as TaskName,
  algorithm: r.algorithm as AlgorithmName,
  config: parseJsonObject(r.config),
  policy: r.policy,
  scorer: r.scorer,
  seed: r.seed,
  status: r.status as RunStatus,
  stats: parseJsonObject(r.stats),
  error: r.error,
  finishReason: r.finish_reason as FinishReason | null,
  nodeCount: r.node_count,
  solved: r.solved === 1,
  createdAt: r.created_at,
  startedAt: r.started_at,
  finishedAt: r.finished_at,
});

export const toNode = (r: NodeRow): TreeNode => ({
  id: r.id,
  runId: r.run_id,
  parentId: r.parent_id,
  seq: r.seq,
  depth: r.depth,
  expansion: r.expansion,
  stepText: r.step_text,
  state: r.state,
  tokenCount: r.token_count,
  logprob: r.logprob,
  prior: r.prior,
  value: r.value,
  visits: r.visits,
  q: r.q,
  score: r.score,
  isTerminal: r.is_terminal === 1,
  valid: r.valid === 1,
  outcome: r.outcome as Outcome | null,
  exactLabel: r.exact_label as Rating | null,
  pruned: r.pruned === 1,
});

export const toAnnotation = (r: AnnotationRow): Annotation => ({
  nodeId: r.node_id,
  annotator: r.annotator,
  rating: r.rating as Rating | null,
  flagged: r.flagged === 1,
  note: r.note,
  updatedAt: r.updated_at,
});

export const toBranchRating = (r: BranchRatingRow): BranchRating => ({
  leafNodeId: r.leaf_node_id,
  annotator: r.annotator,
  score: r.score,
  preferred: r.preferred === 1,
  note: r.note,
  updatedAt: r.updated_at,
});

export const toHistory = (r: HistoryRow): HistoryEntry => ({
  id: r.id,
  annotator: r.annotator,
  action: r.action as HistoryEntry['action'],
  targetId: r.target_id,
  entity: r.entity as HistoryEntry['entity'],
  runId: r.run_id,
  nodeId: r.node_id,
  before: r.before === null ? null : JSON.parse(r.before),
  after: r.after === null ? null : JSON.parse(r.after),
  at: r.at,
});
