import { TASKS } from '../../../common/domain';
import { agreementReport } from '../labels/review-store';
import { StoreError } from '../store/errors';
import { projectSettings, secondsByAnnotator } from './studio';
import type { Handlers } from './types';

export const reviewHandlers: Handlers<'agreement' | 'listDisagreements' | 'adjudicate' | 'setGold' | 'reviewLabels' | 'goldFromExactLabels'> = {
  agreement: (scope, { store }) => {
    const pace = secondsByAnnotator(store, scope.runId);
    const tasks = scope.task ? [scope.task] : TASKS;
    return {
      overall: agreementReport(store.reviews, scope, pace),
      byTask: tasks.map((task) => agreementReport(store.reviews, { ...scope, task }, pace)).filter((r) => r.items > 0),
    };
  },
  listDisagreements: ({ limit, ...scope }, { store }) => ({ items: store.reviews.disagreements(scope, limit) }),
  adjudicate: ({ nodeId, reviewer, rating, note }, { store }) => {
    if (rating !== null && !projectSettings(store).selfAdjudication && store.reviews.hasRated(nodeId, reviewer)) {
      throw new StoreError(`${reviewer} rated this step, so another reviewer adjudicates it (self-adjudication is off in the project settings)`, 'conflict');
    }
    store.reviews.setAdjudication(nodeId, reviewer, rating, note);
    return { nodeId, rating };
  },
  setGold: ({ nodeId, setBy, rating }, { store }) => {
    store.reviews.setGold(nodeId, setBy, rating);
    return { nodeId, rating };
  },
  reviewLabels: ({ runId }, { store }) => {
    store.runs.get(runId);
    return store.reviews.runLabels(runId);
  },
  goldFromExactLabels: ({ runId }, { store }) => {
    store.runs.get(runId);
    return { runId, goldSteps: store.reviews.goldFromExactLabels(runId) };
  },
};
