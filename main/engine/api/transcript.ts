import { ApiError } from '../../../common/contract/define';
import { loadTranscript } from '../longcot/store';
// Loaded for its registration: transcript edits (and their undo) go through the annotation history.
import '../longcot/structure';
import { statsOfRuns, transcriptRunIds, transcriptView } from '../longcot/view';
import type { Handlers } from './types';

export const transcriptHandlers: Handlers<'getTranscript' | 'editTranscript' | 'transcriptStats'> = {
  getTranscript: ({ runId }, { store }) => {
    store.runs.get(runId);
    const t = loadTranscript(store.connection, runId);
    return { transcript: t && transcriptView(t) };
  },
  // The store publishes the change (annotationsChanged with `restructured`) once it commits.
  editTranscript: ({ annotator, edit }, { store }) => {
    const change = store.annotations.editStructure(edit, annotator);
    const t = loadTranscript(store.connection, change.runId);
    if (!t) throw new ApiError('not_found', `Run ${change.runId} has no transcript`);
    return { transcript: transcriptView(t) };
  },
  transcriptStats: ({ runIds, task }, { store }) => statsOfRuns(store.connection, transcriptRunIds(store.connection, { runIds, task })),
};
