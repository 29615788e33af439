/**
 * Outcome per attempt: which steps state an answer, what each branch ends up answering, whether
 * that matches the gold answer (the math task's checker), and which branches were abandoned
 * (every step off the path to the last step the model wrote).
 */
import type { Outcome } from '../../../common/domain';
import { answersEqual, extractBoxed } from '../tasks/math-answer';

const STATED = /\b(?:final answer|the answer)\s*(?:is|:|=)\s*:?\s*(\$[^$\n]{1,200}\$|[^\n,;]{1,200}?)(?=\.\s|\.$|[,;\n]|$)/gi;

/** The answer a step states (its last `\boxed{}`, else its last "the answer is X"), or null. */
export function statedAnswer(text: string): string | null {
  const boxed = extractBoxed(text);
  if (boxed !== null) return boxed;
  if (!/answer/i.test(text)) return null;
  let last: string | null = null;
  for (const m of text.matchAll(STATED)) last = m[1]!.replace(/^\$|\$$/g, '').trim() || last;
  return last;
}

export function judge(answer: string | null, gold: string | null): Outcome | null {
  if (answer === null || gold === null) return null;
  return answersEqual(answer, gold) ? 'correct' : 'incorrect';
}

export interface BranchOutcomes {
  /** The answer each step states (null if none). */
  answers: (string | null)[];
  /** Per step: true when it has no child. */
  leaf: boolean[];
  /** Per step: the outcome of the answer it states, or for a leaf the last answer on its branch. */
  outcome: (Outcome | null)[];
  /** Per step: off the path to the last step in reading order. */
  abandoned: boolean[];
}

/** `parents[i]` is step i's parent index (-1 = root), steps in reading order. */
export function branchOutcomes(texts: readonly string[], parents: readonly number[], gold: string | null): BranchOutcomes {
  const n = texts.length;
  const answers = texts.map(statedAnswer);
  // The checker is symbolic and slow; a transcript restates the same few answers.
  const judged = new Map<string, Outcome | null>();
  const check = (answer: string | null): Outcome | null => {
    if (answer === null) return null;
    if (!judged.has(answer)) judged.set(answer, judge(answer, gold));
    return judged.get(answer)!;
  };
  const leaf = new Array<boolean>(n).fill(true);
  for (const p of parents) if (p >= 0) leaf[p] = false;
  // Last answer stated on the path to each step; parents come before children.
  const onPath: (string | null)[] = [];
  const outcome: (Outcome | null)[] = [];
  for (let i = 0; i < n; i++) {
    const p = parents[i]!;
    onPath[i] = answers[i] ?? (p >= 0 ? onPath[p]! : null);
    outcome[i] = answers[i] !== null ? check(answers[i]!) : leaf[i] ? check(onPath[i]!) : null;
  }
  const abandoned = new Array<boolean>(n).fill(true);
  for (let at = n - 1; at >= 0; at = parents[at]!) abandoned[at] = false;
  return { answers, leaf, outcome, abandoned };
}
