/**
 * Word problems (GSM8K, MATH). A step is free text; the path ends at the step that states a final
 * answer, and is right when that answer equals the gold one after normalisation.
 *
 * Problem format: `prompt` is the question, `goldAnswer` the bare final answer (`18`, `\frac{1}{2}`),
 * `metadata.reference` the dataset's worked solution when there is one. The model sees
 * `task.prompt(problem)`, the question followed by the step delimiter, and writes one step per
 * delimiter-separated chunk, ending with a step such as `The answer is 18` or `\boxed{18}`.
 */
import type { Problem } from '../../../common/domain';
import { answersEqual, extractStatedAnswer } from './math-answer';
import type { Task } from './types';

export interface MathState {
  /** How many steps the path has taken. */
  readonly steps: number;
  /** The final answer the last step stated, once one has. */
  readonly answer: string | null;
}

export interface MathTaskOptions {
  /** What separates steps in model text; "\n" by default, "\n\n" suits many math models. */
  stepDelimiter?: string;
}

export function createMathTask(options: MathTaskOptions = {}): Task<MathState> {
  const stepDelimiter = options.stepDelimiter ?? '\n';
  if (stepDelimiter === '') throw new Error('the math step delimiter must not be empty');
  return {
    name: 'math',
    stepDelimiter,
    initialState: (problem: Problem) => {
      if (!problem.prompt.trim()) throw new Error(`Problem ${problem.id}: the question is empty`);
      return { steps: 0, answer: null };
    },
    prompt: (problem) => `${problem.prompt.trim()}${stepDelimiter}`,
    applyStep: (state, stepText) => {
      if (state.answer !== null) return { valid: false, reason: 'the path already stated its final answer' };
      if (!stepText.trim()) return { valid: false, reason: 'the step is empty' };
      return { valid: true, state: { steps: state.steps + 1, answer: extractStatedAnswer(stepText) } };
    },
    isTerminal: (state) => state.answer !== null,
    outcome: (state, problem) => {
      if (problem.goldAnswer === null) return null;
      return state.answer !== null && answersEqual(state.answer, problem.goldAnswer) ? 'correct' : 'incorrect';
    },
    describe: (state) => (state.answer !== null ? `answer: ${state.answer}` : `step ${state.steps}`),
  };
}

export const mathTask = createMathTask();
