/**
 * Word problems (GSM8K, MATH). A step is free text; the path ends at the step that states a final
 * answer, and is right when that answer equals the gold one after normalisation.
 *
 * Problem format: `prompt` is the question, `goldAnswer` the bare final answer (`18`, `\frac{1}{2}`),
 * `metadata.reference` the dataset's worked solution when there is one. The model sees
 * `task.prompt(problem)`, the question followed by the step delimiter, and writes one step per
 * delimiter-separated chunk, ending with a step such as `The answer is 18` or `\boxed{18}`.
 */
import type { NewProblem, Problem } from '../../../common/domain';
import { ProblemFormatError } from './errors';
import { answersEqual, extractGoldAnswer, extractStatedAnswer } from './math-answer';
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

export interface MathFields {
  /** Field holding the question; by default the first of question, problem, prompt, input. */
  question?: string;
  /** Field holding the answer or worked solution; by default answer, solution, ground_truth_answer, final_answer. */
  answer?: string;
}

const QUESTION_FIELDS = ['question', 'problem', 'prompt', 'input'];
const ANSWER_FIELDS = ['answer', 'solution', 'ground_truth_answer', 'final_answer'];

function pickField(record: Record<string, unknown>, wanted: string | undefined, defaults: string[]): [string, unknown] | null {
  const names = wanted ? [wanted] : defaults;
  for (const name of names) {
    const value = record[name];
    if (value !== undefined && value !== null) return [name, value];
  }
  return null;
}

/**
 * JSONL word problems, one object per line (blank lines skipped). A GSM8K answer keeps its worked
 * solution in metadata and its `#### 18` as the gold answer; a MATH solution its last `\boxed{}`.
 */
export function parseMathJsonl(text: string, fields: MathFields = {}): NewProblem[] {
  const problems: NewProblem[] = [];
  text.split(/\r?\n/).forEach((raw, i) => {
    const line = i + 1;
    if (!raw.trim()) return;
    let record: unknown;
    try {
      record = JSON.parse(raw);
    } catch (error) {
      throw new ProblemFormatError(`not valid JSON (${(error as Error).message})`, line);
    }
    if (typeof record !== 'object' || record === null || Array.isArray(record)) {
      throw new ProblemFormatError('expected a JSON object', line);
    }
    const obj = record as Record<string, unknown>;
    const question = pickField(obj, fields.question, QUESTION_FIELDS);
    if (!question || typeof question[1] !== 'string' || !question[1].trim()) {
      throw new ProblemFormatError(
        `no question text in field ${fields.question ?? QUESTION_FIELDS.join(' / ')} (fields: ${Object.keys(obj).join(', ')})`,
        line,
      );
    }
    const answer = pickField(obj, fields.answer, ANSWER_FIELDS);
    if (answer && typeof answer[1] !== 'string' && typeof answer[1] !== 'number') {
      throw new ProblemFormatError(`field ${answer[0]} is not text or a number`, line);
    }
    if (!answer && fields.answer) throw new ProblemFormatError(`no field ${fields.answer}`, line);
    const reference = answer ? String(answer[1]) : null;
    const metadata: Record<string, unknown> = { line };
    if (reference !== null) metadata.reference = reference;
    problems.push({
      task: 'math',
      prompt: question[1].trim(),
      goldAnswer: reference === null ? null : extractGoldAnswer(reference),
      metadata,
    });
  });
  if (problems.length === 0) throw new ProblemFormatError('the file holds no problems');
  return problems;
}
