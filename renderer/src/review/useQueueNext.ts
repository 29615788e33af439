/**
 * The `n` key: the next step to label by the chosen queue rule. "order" walks this tree
 * depth-first, then moves on to the next run with unlabeled steps; the other rules follow the
 * engine's nextToLabel across runs (opening another run when the step is there), and when a rule
 * has nothing to offer the toast says why and the plain order takes over.
 */
import { useCallback } from 'react';
import type { StudioClient } from '../api/client';
import type { RunModel } from '../model/run-model';
import { goToStep } from '../shell/navigation';
import type { Toaster } from '../ui/toasts';
import { pickQueueItem, RULE_EMPTY, RULE_LABELS, type QueueItem, type QueueRule } from './queue';

export function useQueueNext(opts: {
  client: StudioClient;
  model: RunModel;
  annotator: string;
  rule: QueueRule;
  firstErrorMode: boolean;
  select(id: number): void;
  toast: Toaster;
}): (from: number | null) => Promise<void> {
  const { client, model, annotator, rule, firstErrorMode, select, toast } = opts;
  return useCallback(
    async (from: number | null) => {
      const runId = model.run.id;
      const queue = async (r: QueueRule, limit: number): Promise<QueueItem[]> => {
        try {
          return (await client.api.nextToLabel({ annotator, rule: r, limit })).items;
        } catch (error) {
          toast.error(error, 'Could not read the labeling queue');
          return [];
        }
      };
      const go = (item: QueueItem) => (item.runId === runId ? select(item.nodeId) : goToStep(item));
      // Steps the server may still list but this screen knows better about.
      const skip = (id: number) =>
        model.ratingOf(id, annotator) !== null || model.inPrunedSubtree(id) || (firstErrorMode && model.afterError(id, annotator));

      if (rule !== 'order') {
        const item = pickQueueItem(await queue(rule, 20), { runId, selected: from, skip });
        if (item) {
          if (item.runId !== runId) toast.info(`Next by ${RULE_LABELS[rule]}: run #${item.runId}`);
          go(item);
          return;
        }
        toast.info(`Nothing queued by ${RULE_LABELS[rule]}: ${RULE_EMPTY[rule]}. Next unlabeled step instead.`);
      }
      const local = model.nextUnlabeled(from, annotator, { skipAfterError: firstErrorMode });
      if (local !== null) {
        select(local);
        return;
      }
      const other = (await queue('order', 500)).find((i) => i.runId !== runId);
      if (other) {
        toast.info(`Every step of this tree has your label: on to run #${other.runId}`);
        goToStep(other);
      } else toast.info('Every step of every run has your label');
    },
    [client, model, annotator, rule, firstErrorMode, select, toast],
  );
}
