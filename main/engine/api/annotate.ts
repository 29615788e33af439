import type { Replayed } from '../store/annotations';
import type { Handlers } from './types';

const GUIDELINES_KEY = 'guidelines';
export const DEFAULT_GUIDELINES = `# Labeling guidelines

Rate every step of the path you are reviewing:

- **+1 (key 3)**: the step is correct and makes progress toward the answer.
- **0 (key 2)**: the step is correct but makes no progress (a restatement, a harmless detour).
- **-1 (key 1)**: the step is wrong: bad arithmetic, a number that is not available, a false claim.

Stop at the first -1 on a path: later steps build on the error. Prune (p) branches that are
duplicates or degenerate; flag (f) steps you are unsure about and say why in a note (Enter).
`;

/** An undo or redo as the contract answers it: the last row it appended, and all of them. */
const replayed = (r: Replayed | null) => ({ entry: r?.entry ?? null, entries: r?.entries ?? [] });

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
  // The store publishes every change it commits (annotationsChanged); the engine relays them.
  setLabel: ({ nodeId, annotator, ...patch }, { store }) => store.annotations.setLabel(nodeId, annotator, patch).annotation,
  setPruned: ({ nodeId, annotator, pruned }, { store }) => {
    store.annotations.setPruned(nodeId, annotator, pruned);
    return { nodeId, pruned };
  },
  rateBranch: ({ leafNodeId, annotator, ...patch }, { store }) => store.annotations.rateBranch(leafNodeId, annotator, patch).branchRating,
  setFinishReason: ({ runId, annotator, reason }, { store }) => {
    store.annotations.setFinishReason(runId, annotator, reason);
    return { runId, reason };
  },
  undo: ({ annotator }, { store }) => replayed(store.annotations.undo(annotator)),
  redo: ({ annotator }, { store }) => replayed(store.annotations.redo(annotator)),
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
