import type { AnnotationChange } from '../store/store';
import type { EngineContext, Handlers } from './types';

const GUIDELINES_KEY = 'guidelines';
export const DEFAULT_GUIDELINES = `# Labeling guidelines

Rate every step of the path you are reviewing:

- **+1 (key 3)**: the step is correct and makes progress toward the answer.
- **0 (key 2)**: the step is correct but makes no progress (a restatement, a harmless detour).
- **-1 (key 1)**: the step is wrong: bad arithmetic, a number that is not available, a false claim.

Stop at the first -1 on a path: later steps build on the error. Prune (p) branches that are
duplicates or degenerate; flag (f) steps you are unsure about and say why in a note (Enter).
`;

/** Turns a store change into the contract's annotationsChanged event. */
function publish(ctx: EngineContext, c: AnnotationChange): void {
  ctx.events.emit('annotationsChanged', {
    runId: c.runId,
    annotations: c.annotation ? [c.annotation] : [],
    removedAnnotations: c.removedAnnotation ? [c.removedAnnotation] : [],
    branchRatings: c.branchRating ? [c.branchRating] : [],
    removedBranchRatings: c.removedBranchRating ? [c.removedBranchRating] : [],
    pruned: c.pruned ? [c.pruned] : [],
    ...(c.finishReason !== undefined ? { finishReason: c.finishReason } : {}),
  });
}

export const annotateHandlers: Handlers<
  | 'setLabel'
  | 'setPruned'
  | 'rateBranch'
  | 'setFinishReason'
  | 'undo'
  | 'redo'
  | 'listHistory'
  | 'getGuidelines'
  | 'setGuidelines'
> = {
  setLabel: ({ nodeId, annotator, ...patch }, ctx) => {
    const { annotation, change } = ctx.store.annotations.setLabel(nodeId, annotator, patch);
    publish(ctx, change);
    return annotation;
  },
  setPruned: ({ nodeId, annotator, pruned }, ctx) => {
    publish(ctx, ctx.store.annotations.setPruned(nodeId, annotator, pruned));
    return { nodeId, pruned };
  },
  rateBranch: ({ leafNodeId, annotator, ...patch }, ctx) => {
    const { branchRating, change } = ctx.store.annotations.rateBranch(leafNodeId, annotator, patch);
    publish(ctx, change);
    return branchRating;
  },
  setFinishReason: ({ runId, annotator, reason }, ctx) => {
    publish(ctx, ctx.store.annotations.setFinishReason(runId, annotator, reason));
    return { runId, reason };
  },
  undo: ({ annotator }, ctx) => {
    const result = ctx.store.annotations.undo(annotator);
    if (result) publish(ctx, result.change);
    return { entry: result?.entry ?? null };
  },
  redo: ({ annotator }, ctx) => {
    const result = ctx.store.annotations.redo(annotator);
    if (result) publish(ctx, result.change);
    return { entry: result?.entry ?? null };
  },
  listHistory: ({ runId, limit }, { store }) => {
    store.runs.get(runId);
    return { entries: store.annotations.history(runId, limit) };
  },
  getGuidelines: (_input, { store }) => ({ markdown: store.getSetting(GUIDELINES_KEY) ?? DEFAULT_GUIDELINES }),
  setGuidelines: ({ markdown }, { store }) => {
    store.setSetting(GUIDELINES_KEY, markdown);
    return { markdown };
  },
};
