/**
 * What every side knows about each task (the engine, the CLI, exports, the studio), like
 * ALGORITHM_SPECS for algorithms: one entry per task instead of `task === 'math'` branches. The
 * task's rules (states, steps, solvers) are the engine's: main/engine/tasks/registry.ts.
 */
import type { TaskName } from './domain';

export interface TaskSpec {
  /** One line for menus and help. */
  description: string;
  /** A numbers game: problems are `{numbers, target}` and every state has an exact answer. */
  numbersGame: boolean;
  /** How the studio shows step text in its `auto` text mode: plain, or Markdown with KaTeX. */
  stepText: 'plain' | 'markdown';
  /** The trace syntax an export picks in `auto`: Stream of Search (`24:[4, 9]` states), or the generic one. */
  traceSyntax: 'sos' | 'generic';
  /** Whether a search may set the step delimiter (`--delimiter`, `stepDelimiter`); otherwise a newline. */
  delimiterOption: boolean;
}

export const TASK_SPECS: Readonly<Record<TaskName, TaskSpec>> = {
  countdown: {
    description: 'Countdown (Stream of Search): reach the target with + - * /, integers only',
    numbersGame: true,
    stepText: 'plain',
    traceSyntax: 'sos',
    delimiterOption: false,
  },
  game24: {
    description: 'Game of 24 (Tree of Thoughts): four numbers to 24, fractions allowed',
    numbersGame: true,
    stepText: 'plain',
    traceSyntax: 'sos',
    delimiterOption: false,
  },
  math: {
    description: 'Math word problems (GSM8K, MATH): free-text steps, the final answer checked',
    numbersGame: false,
    stepText: 'markdown',
    traceSyntax: 'generic',
    delimiterOption: true,
  },
};
