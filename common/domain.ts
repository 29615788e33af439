/**
 * Domain types shared by the engine, the API contract and the renderer.
 * Each entity is a zod schema so that every boundary validates the same shape.
 */
import { z } from 'zod';

export const TASKS = ['countdown', 'game24', 'math'] as const;
export const TaskName = z.enum(TASKS);
export type TaskName = z.infer<typeof TaskName>;

export const ALGORITHMS = ['best-of-n', 'beam', 'best-first', 'mcts', 'bfs', 'dfs'] as const;
export const AlgorithmName = z.enum(ALGORITHMS);
export type AlgorithmName = z.infer<typeof AlgorithmName>;

export const RUN_STATUSES = ['queued', 'running', 'done', 'cancelled', 'interrupted', 'failed'] as const;
export const RunStatus = z.enum(RUN_STATUSES);
export type RunStatus = z.infer<typeof RunStatus>;

export const FINISH_REASONS = ['solution', 'found_error', 'bad_problem', 'give_up'] as const;
export const FinishReason = z.enum(FINISH_REASONS);
export type FinishReason = z.infer<typeof FinishReason>;

/** Outcome of a terminal node checked against the gold answer. */
export const Outcome = z.enum(['correct', 'incorrect']);
export type Outcome = z.infer<typeof Outcome>;

/** PRM800K step rating: -1 wrong, 0 neutral (neither wrong nor progress), +1 good. */
export const Rating = z.union([z.literal(-1), z.literal(0), z.literal(1)]);
export type Rating = z.infer<typeof Rating>;

export const Id = z.number().int().positive();
export const AnnotatorId = z
  .string()
  .trim()
  .min(1, 'annotator must not be empty')
  .max(64, 'annotator is at most 64 characters')
  .regex(/^[\p{L}\p{N}_.@ -]+$/u, 'annotator may hold letters, digits, space, _ . @ -');

export const JsonObject = z.record(z.string(), z.unknown());

export const Problem = z.object({
  id: Id,
  task: TaskName,
  prompt: z.string(),
  goldAnswer: z.string().nullable(),
  metadata: JsonObject,
  createdAt: z.string(),
});
export type Problem = z.infer<typeof Problem>;

export const NewProblem = z.object({
  task: TaskName,
  prompt: z.string().min(1, 'prompt must not be empty').max(1_000_000),
  goldAnswer: z.string().max(100_000).nullable().default(null),
  metadata: JsonObject.default({}),
});
export type NewProblem = z.input<typeof NewProblem>;

export const Run = z.object({
  id: Id,
  problemId: Id,
  task: TaskName,
  algorithm: AlgorithmName,
  config: JsonObject,
  policy: z.string(),
  scorer: z.string().nullable(),
  seed: z.number().int(),
  status: RunStatus,
  stats: JsonObject,
  error: z.string().nullable(),
  finishReason: FinishReason.nullable(),
  nodeCount: z.number().int().nonnegative(),
  solved: z.boolean(),
  createdAt: z.string(),
  startedAt: z.string().nullable(),
  finishedAt: z.string().nullable(),
});
export type Run = z.infer<typeof Run>;

/** A run as the library lists it: the run plus its problem's prompt and labeling progress. */
export const RunSummary = Run.extend({
  prompt: z.string(),
  labeledCount: z.number().int().nonnegative(),
  /** Steps the annotator named in listRuns has rated (absent when none was named). */
  myLabeledCount: z.number().int().nonnegative().optional(),
});
export type RunSummary = z.infer<typeof RunSummary>;

/**
 * One step of a search tree. `seq` is the node's creation order within its run (root = 0) and
 * its identity there; `expansion` is the index of the expansion that created it (root = 0), which
 * is what replay steps through.
 */
export const TreeNode = z.object({
  id: Id,
  runId: Id,
  parentId: Id.nullable(),
  seq: z.number().int().nonnegative(),
  depth: z.number().int().nonnegative(),
  expansion: z.number().int().nonnegative(),
  stepText: z.string(),
  state: z.string().nullable(),
  tokenCount: z.number().int().nullable(),
  logprob: z.number().nullable(),
  prior: z.number().nullable(),
  value: z.number().nullable(),
  visits: z.number().int().nonnegative(),
  q: z.number().nullable(),
  score: z.number().nullable(),
  isTerminal: z.boolean(),
  valid: z.boolean(),
  outcome: Outcome.nullable(),
  exactLabel: Rating.nullable(),
  pruned: z.boolean(),
});
export type TreeNode = z.infer<typeof TreeNode>;

export const Annotation = z.object({
  nodeId: Id,
  annotator: z.string(),
  rating: Rating.nullable(),
  flagged: z.boolean(),
  note: z.string(),
  updatedAt: z.string(),
});
export type Annotation = z.infer<typeof Annotation>;

export const BranchRating = z.object({
  leafNodeId: Id,
  annotator: z.string(),
  score: z.number().int().min(1).max(5).nullable(),
  preferred: z.boolean(),
  note: z.string(),
  updatedAt: z.string(),
});
export type BranchRating = z.infer<typeof BranchRating>;

/** One row of the append-only history: who changed what, from what, to what. */
export const HistoryEntry = z.object({
  id: Id,
  annotator: z.string(),
  action: z.enum(['do', 'undo', 'redo']),
  targetId: Id.nullable(),
  /** `structure`: a long-CoT tree edit (split, merge, move, tag); before/after hold the steps it changed. */
  entity: z.enum(['annotation', 'prune', 'branch_rating', 'finish_reason', 'structure']),
  runId: Id,
  nodeId: Id.nullable(),
  before: z.unknown(),
  after: z.unknown(),
  at: z.string(),
});
export type HistoryEntry = z.infer<typeof HistoryEntry>;
