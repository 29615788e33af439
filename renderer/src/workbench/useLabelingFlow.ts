/**
 * The labeling flow the guidelines describe: rate the selected step, then move to the next step
 * to label (by the queue rule; in first-error mode never into a subtree below a -1); on a freshly
 * opened tree the first `n` starts at the step the studio selected (the first to label) instead
 * of skipping it; when nothing is left the tree is done and the annotator is asked how it
 * finished.
 */
import { useCallback, useMemo } from 'react';
import type { Rating } from '../../../common/domain';
import type { StudioClient } from '../api/client';
import type { Prefs } from '../lib/prefs';
import type { RunModel } from '../model/run-model';
import type { ViewStore } from '../model/view-store';
import { useQueueNext } from '../review/useQueueNext';
import type { Toaster } from '../ui/toasts';
import type { Annotate } from './useAnnotate';
import type { SelectHow } from './useTreeNavigation';

export const TREE_DONE_MESSAGE = 'Tree done: every step to label has your label. How did it finish? (Alt+S solution, Alt+E found error, Alt+B bad problem, Alt+G give up)';

export interface LabelingFlow {
  rate(rating: Rating | null): void;
  /** `n`: the studio's pick on a fresh tree when it needs a label, else the next step by the queue rule. */
  next(): void;
  previous(): void;
  progress: { done: number; total: number };
  /** Every step to label has my label (and there was something to label). */
  treeDone: boolean;
}

export function useLabelingFlow(opts: {
  client: StudioClient;
  model: RunModel;
  store: ViewStore;
  annotator: string;
  annotate: Annotate;
  prefs: Pick<Prefs, 'firstErrorMode' | 'advanceAfterRating' | 'queueRule'>;
  select(id: number | null, how?: SelectHow): void;
  toast: Toaster;
  /** Model version: progress is recomputed when labels change. */
  version: number;
}): LabelingFlow {
  const { client, model, store, annotator, annotate, prefs, select, toast, version } = opts;
  const skipAfterError = prefs.firstErrorMode;
  const queueNext = useQueueNext({ client, model, annotator, rule: prefs.queueRule, firstErrorMode: skipAfterError, select, toast });
  const progress = useMemo(() => model.progressOf(annotator, skipAfterError), [model, annotator, skipAfterError, version]);
  const treeDone = progress.total > 0 && progress.done === progress.total;

  const needsLabel = useCallback(
    (id: number | null) =>
      id !== null &&
      id !== model.rootId &&
      model.ratingOf(id, annotator) === null &&
      !model.inPrunedSubtree(id) &&
      !(skipAfterError && model.afterError(id, annotator)),
    [model, annotator, skipAfterError],
  );

  const rate = useCallback(
    (rating: Rating | null) => {
      const id = store.selected;
      if (id === null || id === model.rootId) return;
      void annotate.rate(id, rating);
      if (rating === null || !prefs.advanceAfterRating) return;
      // With a queue rule other than plain order, labeling follows the queue (across runs).
      if (prefs.queueRule !== 'order') {
        void queueNext(id);
        return;
      }
      const next = model.nextUnlabeled(id, annotator, { skipAfterError });
      if (next !== null) select(next);
      else toast.info(TREE_DONE_MESSAGE);
    },
    [store, model, annotate, prefs.advanceAfterRating, prefs.queueRule, queueNext, annotator, skipAfterError, select, toast],
  );

  const next = useCallback(() => {
    const id = store.selected;
    if (store.selectedByStudio && prefs.queueRule === 'order' && needsLabel(id)) select(id, 'centre');
    else void queueNext(id);
  }, [store, prefs.queueRule, needsLabel, select, queueNext]);

  const previous = useCallback(() => {
    const prev = model.nextUnlabeled(store.selected, annotator, { skipAfterError, direction: -1 });
    if (prev === null) toast.info('Every step of this tree has your label');
    else select(prev);
  }, [model, store, annotator, skipAfterError, select, toast]);

  return { rate, next, previous, progress, treeDone };
}
