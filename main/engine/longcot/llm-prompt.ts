/**
 * The prompt of the optional LLM tagger (llm-tagger.ts), kept here so it is reviewed and versioned
 * with the code. The model sees the problem and the numbered steps and answers JSON only; every
 * answer is validated before anything is proposed (see parseTaggerAnswer).
 */
import { STEP_RELATIONS, STEP_TAGS } from '../../../common/longcot';

export const TAGGER_PROMPT_VERSION = 1;

const TAG_MEANINGS: Record<(typeof STEP_TAGS)[number], string> = {
  problem_setup: 'restating or parsing the problem',
  plan_generation: 'deciding how to approach the problem or the next part of it',
  fact_retrieval: 'recalling a formula, theorem, definition or fact',
  active_computation: 'carrying out algebra or arithmetic',
  result_consolidation: 'summarising or drawing a conclusion from earlier work',
  uncertainty_management: 'doubting, noticing an error, or backing up',
  self_checking: 'verifying an earlier result',
  final_answer_emission: 'stating the final answer',
};

const RELATION_MEANINGS: Record<(typeof STEP_RELATIONS)[number], string> = {
  continue: 'goes on from the step it hangs under',
  explore: 'starts a new approach to the problem',
  backtrack: 'abandons what came just before and returns to an earlier point',
  verify: 'checks the result of the step it hangs under',
};

export function taggerPrompt(problem: string, steps: readonly string[]): string {
  const numbered = steps.map((s, i) => `<step_${i + 1}>\n${s.trim()}\n</step_${i + 1}>`).join('\n\n');
  return [
    'Below is a math problem and a model\'s chain of thought, split into numbered steps in the order it was written.',
    'The chain of thought is a search: the model tries approaches, backs up and checks. Rebuild that search as a tree.',
    '',
    `[Problem]\n${problem.trim()}`,
    '',
    `[Steps]\n${numbered}`,
    '',
    'For every step give:',
    `- "tag", one of: ${STEP_TAGS.map((t) => `${t} (${TAG_MEANINGS[t]})`).join('; ')}.`,
    `- "relation" to the step it hangs under, one of: ${STEP_RELATIONS.map((r) => `${r} (${RELATION_MEANINGS[r]})`).join('; ')}.`,
    '- "parent": the number of the earlier step it hangs under (a new approach or a backtrack hangs under the point it returns to), or 0 for the problem itself. A parent is always a smaller number than the step.',
    '',
    `Answer with JSON only, no prose: {"steps": [{"step": 1, "tag": "...", "relation": "...", "parent": 0}, ...]} with one entry for each of the ${steps.length} steps.`,
  ].join('\n');
}
