/** Events the engine pushes to every connected renderer (IPC in the app, SSE under serve). */
import { z } from 'zod';
import { Annotation, BranchRating, FinishReason, Id, Run, TreeNode } from '../domain';

export const events = {
  /** The desktop user opened another database: everything on screen is stale. */
  databaseChanged: z.object({ dbPath: z.string() }),
  /** A run was created or its status, counts or stats changed. */
  runChanged: z.object({ run: Run }),
  /** Nodes a running search just wrote. */
  nodesAdded: z.object({ runId: Id, nodes: z.array(TreeNode) }),
  /** Search statistics backed up onto existing nodes (MCTS visits, Q, values, scores). */
  nodesUpdated: z.object({
    runId: Id,
    nodes: z.array(TreeNode.pick({ id: true, visits: true, q: true, value: true, score: true })),
  }),
  /** Any annotation change, by any client: labels, prunes, ratings, finish reasons. */
  annotationsChanged: z.object({
    runId: Id,
    annotations: z.array(Annotation).default([]),
    /** Annotations removed by an undo of their creation: (node, annotator) pairs. */
    removedAnnotations: z.array(z.object({ nodeId: Id, annotator: z.string() })).default([]),
    branchRatings: z.array(BranchRating).default([]),
    removedBranchRatings: z.array(z.object({ leafNodeId: Id, annotator: z.string() })).default([]),
    pruned: z.array(z.object({ nodeId: Id, pruned: z.boolean() })).default([]),
    finishReason: FinishReason.nullable().optional(),
    /** Whose finish reason that is (each annotator gives their own). */
    finishReasonBy: z.string().optional(),
    /** A transcript tree was split, merged, moved or retagged: reload its nodes and transcript. */
    restructured: z.boolean().optional(),
  }),
  /** A PRM evaluation scoring steps (evaluatePrm): steps scored so far, stored ones included. */
  prmEvalProgress: z.object({ scorer: z.string(), done: z.number().int(), total: z.number().int() }),
};

export type Events = typeof events;
export type EventName = keyof Events;
export type EventPayload<E extends EventName> = z.infer<Events[E]>;
