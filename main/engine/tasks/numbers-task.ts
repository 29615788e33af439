/**
 * Countdown and Game of 24 as Tasks: the numbers-game rules plus the problem format.
 *
 * Problem format (both tasks): `prompt` is the Stream of Search state `24:[4, 9, 3]`,
 * `goldAnswer` the target as text, `metadata` `{ numbers: [4, 9, 3], target: 24 }` (the prompt is
 * parsed when metadata lacks them). The model sees `task.prompt(problem)`, that same state line
 * followed by the step delimiter, and continues with one operation per line: `9*3=27\n27-4=23\n`.
 */
import { z } from 'zod';
import type { Problem, TaskName } from '../../../common/domain';
import {
  applyNumbersStep,
  describeNumbers,
  initialNumbersState,
  isNumbersCorrect,
  isNumbersTerminal,
  legalNumbersSteps,
  NumbersSolver,
  type NumbersRules,
  type NumbersState,
} from './numbers-game';
import type { Task } from './types';

export const MAX_NUMBERS = 8;
const MAX_VALUE = 100_000;

export const NumbersProblemData = z.object({
  numbers: z
    .array(z.number().int('numbers must be whole').min(0, 'numbers must not be negative').max(MAX_VALUE))
    .min(2, 'a puzzle needs at least 2 numbers')
    .max(MAX_NUMBERS, `a puzzle has at most ${MAX_NUMBERS} numbers`),
  target: z.number().int('the target must be whole').min(0).max(10_000_000),
});
export type NumbersProblemData = z.infer<typeof NumbersProblemData>;

/** `24:[4, 9, 3]` → numbers and target; null if the text is not in that form. */
export function parseStateLine(text: string): NumbersProblemData | null {
  const m = /^\s*(\d+)\s*:\s*\[([\d\s,]*)\]\s*$/.exec(text);
  if (!m) return null;
  const numbers = m[2]!.split(',').map((s) => s.trim()).filter(Boolean).map(Number);
  const parsed = NumbersProblemData.safeParse({ numbers, target: Number(m[1]) });
  return parsed.success ? parsed.data : null;
}

export function formatStateLine(numbers: readonly number[], target: number): string {
  return `${target}:[${numbers.join(', ')}]`;
}

/** Reads numbers and target from a problem, with an error naming the problem when it is malformed. */
export function numbersProblemData(problem: Pick<Problem, 'id' | 'prompt' | 'metadata'>): NumbersProblemData {
  const fromMeta = NumbersProblemData.safeParse(problem.metadata);
  if (fromMeta.success) return fromMeta.data;
  const fromPrompt = parseStateLine(problem.prompt);
  if (fromPrompt) return fromPrompt;
  const issue = fromMeta.error.issues[0];
  throw new Error(
    `Problem ${problem.id}: expected metadata {numbers, target} or a prompt like "24:[4, 9, 3]"` +
      (issue ? ` (${issue.path.join('.') || 'metadata'}: ${issue.message})` : ''),
  );
}

export interface NumbersTask extends Task<NumbersState> {
  readonly rules: NumbersRules;
  /** The exact solver for a target (cached per task). */
  solver(target: number): NumbersSolver;
}

export function createNumbersTask(name: Extract<TaskName, 'countdown' | 'game24'>, rules: NumbersRules): NumbersTask {
  const solvers = new Map<number, NumbersSolver>();
  const solver = (target: number): NumbersSolver => {
    let s = solvers.get(target);
    if (!s) {
      if (solvers.size >= 64) solvers.delete(solvers.keys().next().value!);
      s = new NumbersSolver(target, rules);
      solvers.set(target, s);
    }
    return s;
  };
  const initialState = (problem: Problem): NumbersState => {
    const { numbers, target } = numbersProblemData(problem);
    return initialNumbersState(numbers, target);
  };
  return {
    name,
    rules,
    stepDelimiter: '\n',
    solver,
    initialState,
    prompt: (problem) => `${describeNumbers(initialState(problem))}\n`,
    applyStep: (state, stepText) => applyNumbersStep(state, stepText, rules),
    isTerminal: isNumbersTerminal,
    outcome: (state) => (isNumbersCorrect(state) ? 'correct' : 'incorrect'),
    describe: describeNumbers,
    exactLabel: (state) => {
      if (isNumbersTerminal(state)) return isNumbersCorrect(state) ? 1 : -1;
      return solver(state.target).solvable(state.numbers) ? 1 : -1;
    },
    legalSteps: (state) => legalNumbersSteps(state, rules),
  };
}
