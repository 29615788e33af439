/**
 * Task-constrained decoding: a hook that, given a step's text so far, says which tokens may come
 * next so that the step can still become a legal one. It is an option of the policy that the user
 * can switch off; the validity of steps is then reported both ways.
 */

/** Whether a token (its own text, and whether it is an end-of-sequence token) may come next. */
export type TokenFilter = (piece: string, isEos: boolean) => boolean;

/** Given the step text so far, a filter for the next token, or null for no restriction. */
export type StepConstraint = (stepTextSoFar: string) => TokenFilter | null;

/**
 * Only tokens that keep the step a prefix of one of `legalSteps` followed by `delimiter`. A token
 * may run past the delimiter (generation stops there anyway); end-of-sequence is allowed exactly
 * when the text so far is a whole legal step.
 */
export function legalStepsConstraint(legalSteps: readonly string[], delimiter: string): StepConstraint {
  const targets = legalSteps.map((s) => s + delimiter);
  const complete = new Set(legalSteps);
  return (soFar) => {
    const live = targets.filter((t) => t.startsWith(soFar));
    return (piece, isEos) => {
      if (isEos) return complete.has(soFar);
      if (piece.length === 0) return false;
      const text = soFar + piece;
      return live.some((t) => t.startsWith(text) || text.startsWith(t));
    };
  };
}
