/**
 * Rebuilding the search hidden in a transcript. Steps come in reading order; each one hangs under
 * an earlier step (so reading order is always a valid creation order):
 *
 * - `continue`: under the step before it.
 * - `explore` (a new approach): a sibling of the current attempt, under the attempt point: the
 *   last step of the opening setup (problem setup, plan, recalled facts), or the root.
 * - `backtrack`: a sibling of the step it doubts: the nearest step of the current branch that
 *   holds a number or expression the backtrack mentions, else the step just before.
 * - `verify`: under the result it checks: the nearest computation or consolidated result on the
 *   current branch, else the step before.
 * - answer-section steps (after </think>) continue the branch the reasoning ended on.
 */
import type { Section } from './classify';
import type { StepRelation, StepTag } from './lexicon';

export interface TreeStep {
  text: string;
  section: Section;
  tag: StepTag;
  relation: StepRelation;
}

const SETUP_TAGS: ReadonlySet<StepTag> = new Set(['problem_setup', 'plan_generation', 'fact_retrieval']);
const RESULT_TAGS: ReadonlySet<StepTag> = new Set(['active_computation', 'result_consolidation', 'final_answer_emission']);
/** How far back along the branch a backtrack or verification looks for its target. */
const LOOK_BACK = 8;
/** The first few distinct numbers are enough to find the doubted step. */
const MAX_MENTIONS = 4;
const MATH_TOKEN = /\\frac\{[^{}]*\}\{[^{}]*\}|\d+(?:\.\d+)?(?:\/\d+)?/g;

/** Numbers and fractions a step mentions in its opening (single digits are too common). */
function mentions(text: string): string[] {
  const head = text.trimStart().slice(0, 200);
  const tokens = new Set([...head.matchAll(MATH_TOKEN)].map((m) => m[0]).filter((t) => t.length >= 2));
  return [...tokens].slice(0, MAX_MENTIONS);
}

/** Parent index (-1 = the root) of each step. */
export function buildParents(steps: readonly TreeStep[]): number[] {
  const parents: number[] = [];
  let cursor = -1;
  let attemptPoint = -1;
  let inSetup = true;
  // The branch from the cursor up to (not including) the attempt point, nearest first.
  const branch = (from: number): number[] => {
    const out: number[] = [];
    for (let at = from; at > attemptPoint && at >= 0 && out.length < LOOK_BACK; at = parents[at]!) out.push(at);
    return out;
  };
  steps.forEach((step, i) => {
    let parent = cursor;
    if (i > 0 && step.section === 'reasoning') {
      if (step.relation === 'explore') parent = attemptPoint;
      // A doubt that goes on over several steps ("Wait, that's wrong." "Let me redo it.") is one backtrack.
      else if (step.relation === 'backtrack' && !steps.slice(Math.max(0, i - 2), i).some((s) => s.relation === 'backtrack')) {
        const tokens = mentions(step.text);
        const doubted = branch(cursor).find((k) => tokens.some((t) => steps[k]!.text.includes(t))) ?? cursor;
        parent = doubted >= 0 ? parents[doubted]! : -1;
      } else if (step.relation === 'verify') {
        parent = branch(cursor).find((k) => RESULT_TAGS.has(steps[k]!.tag)) ?? cursor;
      }
    }
    parents.push(parent);
    if (inSetup && step.relation === 'continue' && SETUP_TAGS.has(step.tag) && step.section === 'reasoning') attemptPoint = i;
    else inSetup = false;
    cursor = i;
  });
  return parents;
}
