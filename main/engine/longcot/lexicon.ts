/**
 * The documented lexicon behind the rule-based reading of a long chain of thought: the markers
 * that open a new thought (discourse segmentation), the relation a step has to what came before
 * (LCoT2Tree's four), and its function tag (the Thought Anchors taxonomy). Rules look at the
 * opening of a step first (where reasoning models put "Wait,", "Alternatively,"), then its body.
 * The README lists the same table; change both together.
 */

export { STEP_RELATIONS, STEP_TAGS, type StepRelation, type StepTag } from '../../../common/longcot';
import type { StepTag } from '../../../common/longcot';

/**
 * Interjections a model puts before the real opening ("Wait, let me check" is a check, "Hmm, so"
 * continues); stripped before the verify and explore rules look at the opening.
 */
export const INTERJECTION = /^(?:(?:but|and|so|okay|ok|alright|well|hmm+|wait|oh|ah|yes|no|right|now|hold on)[\s,.!:;—-]*)+/i;

/** Openings that start a new thought: where the `discourse` segmenter may cut. */
export const THOUGHT_MARKER =
  /^(?:but wait|wait|hmm+|alternatively|another (?:approach|way|method|idea|thought)|actually|hold on|oh|oops|okay|ok|alright|so,? (?:the (?:final )?answer|now)|therefore|let me (?:verify|check|double[- ]check|confirm|re-?examine|reconsider|re-?calculate|recompute|recall|think|try|see|start|make sure)|let's (?:verify|check|double[- ]check|try|see|think|start|consider)|maybe|perhaps|now,? (?:let|we)|to (?:verify|check|confirm)|first|next|finally)\b/i;

/** relation `verify`: the step checks an earlier result (after interjections are stripped). */
export const VERIFY_OPENING =
  /^(?:let me|let's|let us|i(?:'ll| will| should| can| need to)|we can|we should|just to)\s+(?:also\s+|quickly\s+|now\s+)?(?:double[- ]check|verify|check|confirm|make sure|sanity[- ]check|plug|substitute|test|cross[- ]check|validate)|^(?:to (?:verify|check|confirm|double[- ]check))|^(?:double[- ]check|checking|verif(?:y|ying|ication)|sanity check|plugging|substituting)\b/i;

/** relation `explore`: a new approach to the problem, not a fix of the last step. */
export const EXPLORE_OPENING =
  /^(?:alternatively|another (?:approach|way|method|idea|strategy)|(?:let me|let's|i(?:'ll| will| could| can)|maybe i (?:can|could|should)|we (?:could|can))\s+(?:try|use|consider|think of|approach)\s+(?:a |an |this |it )?(?:different|another|new|other|alternative|instead|differently)|what if (?:we|i)\b|instead(?:,| of)|perhaps (?:a )?(?:better|different|simpler|easier) (?:way|approach|method))/i;

/** relation `backtrack`: the model doubts or corrects what it just did. Matched on the raw opening. */
export const BACKTRACK_OPENING =
  /^(?:but wait|wait|hold on|oops|no[,.!]|actually|that(?:'s| is| was) (?:not|wrong|incorrect)|that can(?:'t|not) be|this (?:can(?:'t|not) be|is wrong|doesn't)|i (?:made|think i made) (?:a|an) (?:mistake|error)|let me (?:re-?(?:think|consider|examine|do|calculate|compute|check my)|start over|go back|correct))/i;

/** A softer opening ("Hmm,", "But") is a backtrack only when the step names an error. */
export const DOUBT_OPENING = /^(?:hmm+|but|maybe|perhaps|however)\b/i;
export const ERROR_CUE =
  /\b(?:(?:a |my )?mistake|wrong|not right|incorrect|an error|can(?:'t|not) be|doesn't (?:work|hold|match|add up)|miscalculat\w*|contradict\w*)/i;

/** Tag rules, tried top to bottom on a step's text (the opening, unless the rule says body). */
export const TAG_RULES: readonly { tag: StepTag; opening?: RegExp; body?: RegExp }[] = [
  { tag: 'final_answer_emission', body: /\\boxed\s*\{|\*\*final answer\*\*|\b(?:the )?final answer is\b|\bthe answer is\b/i },
  {
    tag: 'self_checking',
    body: /\b(?:let me (?:double[- ]check|verify|check)|double[- ]check|plug(?:ging)? (?:it|this|that|these|back|in)|substitut(?:e|ing) back|checks out|that works|which matches|is (?:indeed )?correct)\b/i,
  },
  {
    tag: 'uncertainty_management',
    opening: /^(?:but wait|wait|hold on|hmm+|oops|actually|maybe|perhaps|i'm not sure|not sure|i wonder|is that right|hmm)\b/i,
    body: /\b(?:(?:a |my )?mistake|that's wrong|is wrong|doesn't (?:work|make sense|seem right)|confus(?:ed|ing)|i'm not sure|contradict)/i,
  },
  {
    tag: 'problem_setup',
    body: /\b(?:the problem (?:says|states|asks|is)|we(?:'re| are) (?:given|asked)|we need to (?:find|compute|determine|figure out)|i need to (?:find|compute|determine|figure out)|let me (?:read|parse|understand|restate)|the question (?:is|asks))\b/i,
  },
  {
    tag: 'result_consolidation',
    opening: /^(?:so|thus|therefore|hence|that (?:means|gives)|this (?:means|gives)|putting (?:it|this|these|everything) together|in (?:total|summary)|altogether|overall|combining)\b/i,
  },
  {
    tag: 'fact_retrieval',
    body: /\b(?:recall|remember that|formula|theorem|identity|by definition|is defined as|we know that|it is known|property of|the rule)\b/i,
  },
  {
    tag: 'plan_generation',
    body: /\b(?:let me (?:try|think about|figure out|start|consider|approach)|let's (?:start|approach|think|consider|try)|(?:first|maybe),? (?:i|we) (?:should|can|could|need|will)|the (?:plan|strategy|approach|idea) is|i(?:'ll| will) (?:start|use|try)|one way to|step by step)\b/i,
  },
];

/** What a step that matches no rule is. */
export const DEFAULT_TAG: StepTag = 'active_computation';
