/** How the transcript view names and colours function tags and relations. */
import type { StepRelation, StepTag } from '../../../common/longcot';

export const TAG_LABELS: Record<StepTag, string> = {
  problem_setup: 'setup',
  plan_generation: 'plan',
  fact_retrieval: 'fact',
  active_computation: 'compute',
  result_consolidation: 'result',
  uncertainty_management: 'doubt',
  self_checking: 'check',
  final_answer_emission: 'answer',
};

/** One hue per tag, readable on the dark panel. */
export const TAG_COLOURS: Record<StepTag, string> = {
  problem_setup: '#8fa3bf',
  plan_generation: '#b48ef0',
  fact_retrieval: '#5fb3b3',
  active_computation: '#5ea8ff',
  result_consolidation: '#6fd08f',
  uncertainty_management: '#f0a85e',
  self_checking: '#e0c76c',
  final_answer_emission: '#f08ab8',
};

export const RELATION_LABELS: Record<StepRelation, string> = {
  continue: 'continues',
  explore: 'new approach',
  backtrack: 'backtracks',
  verify: 'verifies',
};

export const RELATION_MARKS: Record<StepRelation, string> = {
  continue: '',
  explore: '⑂',
  backtrack: '↩',
  verify: '✓',
};
