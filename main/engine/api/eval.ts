/** PRM evaluation over the API: the review screen's PRM panel (main/engine/eval/). */
import { evaluatePrm, getEvaluation, listEvaluations } from '../eval/evaluate';
import { admitOptional } from './model-access';
import type { Handlers } from './types';

export const evalHandlers: Handlers<'evaluatePrm' | 'listPrmEvaluations'> = {
  evaluatePrm: async (input, { store, modelAccess }) => {
    // Under serve, the scorer must be one the server offers (bundled, under --models, allowed endpoints).
    const scorer = admitOptional(modelAccess, input.scorer, 'scorer') ?? input.scorer;
    const { id } = await evaluatePrm(store, { ...input, scorer });
    return getEvaluation(store, id);
  },
  listPrmEvaluations: ({ limit }, { store }) => ({ evaluations: listEvaluations(store, limit) }),
};
