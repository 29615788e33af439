/**
 * Task-constrained decoding: a hook that, given a step's text so far, says which tokens may come
 * next so that the step can still become a legal one. It is an option of the policy that the user
 * can switch off; the validity of steps is then reported both ways.
 */

/**
 * Whether a token (its own text, and whether it is an end-of-sequence token) may come next.
 * A filter may also list `continuations`: then a non-empty piece is allowed exactly when it is a
 * prefix of one of them or starts with one, which lets the generator test only the pieces that
 * share a first character with some continuation instead of the whole vocabulary.
 */
export type TokenFilter = ((piece: string, isEos: boolean) => boolean) & { continuations?: readonly string[] };

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
    const continuations = [...new Set(targets.filter((t) => t.startsWith(soFar)).map((t) => t.slice(soFar.length)))];
    const filter: TokenFilter = (piece, isEos) => {
      if (isEos) return complete.has(soFar);
      return piece.length > 0 && continuations.some((c) => c.startsWith(piece) || piece.startsWith(c));
    };
    filter.continuations = continuations;
    return filter;
  };
}
