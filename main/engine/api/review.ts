import { TASKS } from '../../../common/domain';
import { ReviewStore } from '../labels/review-store';
import type { Store } from '../store/store';
import { StoreError } from '../store/errors';
import { projectSettings, secondsByAnnotator } from './studio';
import type { Handlers } from './types';

const reviews = new WeakMap<Store, ReviewStore>();
function review(store: Store): ReviewStore {
  let r = reviews.get(store);
  if (!r) reviews.set(store, (r = new ReviewStore(store.db)));
  return r;
}

export const reviewHandlers: Handlers<'agreement' | 'listDisagreements' | 'adjudicate' | 'setGold' | 'reviewLabels' | 'goldFromExactLabels'> = {
  agreement: (scope, { store }) => {
    const pace = secondsByAnnotator(store, scope.runId);
    const tasks = scope.task ? [scope.task] : TASKS;
    return {
      overall: review(store).agreement(scope, pace),
      byTask: tasks.map((task) => review(store).agreement({ ...scope, task }, pace)).filter((r) => r.items > 0),
    };
  },
  listDisagreements: ({ limit, ...scope }, { store }) => ({ items: review(store).disagreements(scope, limit) }),
  adjudicate: ({ nodeId, reviewer, rating, note }, { store }) => {
    if (rating !== null && !projectSettings(store).selfAdjudication && review(store).hasRated(nodeId, reviewer)) {
      throw new StoreError(`${reviewer} labeled node ${nodeId}: another reviewer adjudicates it (self-adjudication is off in the project settings)`, 'conflict');
    }
    review(store).setAdjudication(nodeId, reviewer, rating, note);
    return { nodeId, rating };
  },
  setGold: ({ nodeId, setBy, rating }, { store }) => {
    review(store).setGold(nodeId, setBy, rating);
    return { nodeId, rating };
  },
  reviewLabels: ({ runId }, { store }) => {
    store.runs.get(runId);
    return review(store).runLabels(runId);
  },
  goldFromExactLabels: ({ runId }, { store }) => {
    store.runs.get(runId);
    return { runId, goldSteps: review(store).goldFromExactLabels(runId) };
  },
};
