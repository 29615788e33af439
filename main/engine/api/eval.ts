/** PRM evaluation over the API: the review screen's PRM panel (main/engine/eval/). */
import { evaluatePrm, getEvaluation, listEvaluations } from '../eval/evaluate';
import { admitOptional } from './model-access';
import type { Handlers } from './types';

export const evalHandlers: Handlers<'evaluatePrm' | 'listPrmEvaluations'> = {
  evaluatePrm: async (input, { store, events, modelAccess }) => {
    // Under serve, the scorer must be one the server offers (bundled, under --models, allowed endpoints).
    const scorer = admitOptional(modelAccess, input.scorer, 'scorer') ?? input.scorer;
    // Progress for the studio's panel, at most a few times a second (scoring can take minutes).
    let last = 0;
    const onProgress = (done: number, total: number) => {
      if (done < total && Date.now() - last < 250) return;
      last = Date.now();
      events.emit('prmEvalProgress', { scorer, done, total });
    };
    const { id } = await evaluatePrm(store, { ...input, scorer, onProgress });
    return getEvaluation(store, id);
  },
  listPrmEvaluations: ({ limit }, { store }) => ({ evaluations: listEvaluations(store, limit) }),
};
