/**
 * The rule-based reader of one step: its relation to the thought before it and its function tag,
 * from the lexicon. Deterministic and offline; a person corrects it in the studio.
 */
import {
  BACKTRACK_OPENING,
  DEFAULT_TAG,
  DOUBT_OPENING,
  ERROR_CUE,
  EXPLORE_OPENING,
  INTERJECTION,
  TAG_RULES,
  VERIFY_OPENING,
  type StepRelation,
  type StepTag,
} from './lexicon';

export type Section = 'reasoning' | 'answer';

export interface StepReading {
  tag: StepTag;
  relation: StepRelation;
}

/** After "Wait," or "Hmm," the model often only goes on ("Wait, so x = 3"): no backtrack then. */
const GOES_ON = /^(?:so|thus|therefore|that (?:means|gives)|yes|right|correct|good|great|and|which|then)\b/i;

export function relationOf(opening: string): StepRelation {
  const stripped = opening.replace(INTERJECTION, '');
  if (VERIFY_OPENING.test(stripped)) return 'verify';
  if (EXPLORE_OPENING.test(stripped) || EXPLORE_OPENING.test(opening)) return 'explore';
  if (BACKTRACK_OPENING.test(opening) && !GOES_ON.test(stripped)) return 'backtrack';
  if (DOUBT_OPENING.test(opening) && ERROR_CUE.test(opening.slice(0, 160))) return 'backtrack';
  return 'continue';
}

/**
 * Reads a step. `first` is the first step of its section; `computed` says whether a computation
 * came before (problem setup only happens before the model starts computing).
 */
export function readStep(text: string, section: Section, first: boolean, computed: boolean): StepReading {
  if (section === 'answer') return { tag: 'final_answer_emission', relation: 'continue' };
  const opening = text.trimStart().slice(0, 240);
  const relation = first ? 'continue' : relationOf(opening);
  if (relation === 'verify') return { tag: 'self_checking', relation };
  if (relation === 'backtrack') return { tag: 'uncertainty_management', relation };
  if (relation === 'explore') return { tag: 'plan_generation', relation };
  for (const rule of TAG_RULES) {
    if (rule.tag === 'problem_setup' && computed) continue;
    if ((rule.opening && rule.opening.test(opening)) || (rule.body && rule.body.test(text))) return { tag: rule.tag, relation };
  }
  return { tag: DEFAULT_TAG, relation };
}
