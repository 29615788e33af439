/**
 * Tasks by name: the rules of each task in TASK_SPECS (common/tasks.ts). `getTask('math',
 * { stepDelimiter: '\n\n' })` gives a configured variant.
 */
import { TASKS, type TaskName } from '../../../common/domain';
import { TASK_SPECS } from '../../../common/tasks';
import { countdownTask } from './countdown';
import { game24Task } from './game24';
import { createMathTask, mathTask } from './math';
import type { Task } from './types';

/** Options a search may give a task; which ones a task takes is in its TASK_SPECS entry. */
export interface TaskOptions {
  stepDelimiter?: string;
}

const TASK_RULES: Record<TaskName, (options: TaskOptions) => Task> = {
  countdown: () => countdownTask as Task,
  game24: () => game24Task as Task,
  math: (options) => (options.stepDelimiter === undefined ? mathTask : createMathTask(options)) as Task,
};

export function isTaskName(name: string): name is TaskName {
  return (TASKS as readonly string[]).includes(name);
}

/** Why these options do not fit the task (a user error), or null when they do. */
export function taskOptionsProblem(name: TaskName, options: TaskOptions): string | null {
  if (options.stepDelimiter !== undefined && !TASK_SPECS[name].delimiterOption) {
    return `a step delimiter applies to ${TASKS.filter((t) => TASK_SPECS[t].delimiterOption).join(', ')} only, not ${name}`;
  }
  return null;
}

export function getTask(name: string, options: TaskOptions = {}): Task {
  if (!isTaskName(name)) throw new Error(`unknown task "${name}" (known: ${TASKS.join(', ')})`);
  return TASK_RULES[name](options);
}
