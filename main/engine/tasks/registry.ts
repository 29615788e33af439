/** Tasks by name. `getTask('math', { stepDelimiter: '\n\n' })` gives a configured variant. */
import { TASKS, type TaskName } from '../../../common/domain';
import { countdownTask } from './countdown';
import { game24Task } from './game24';
import { createMathTask, mathTask, type MathTaskOptions } from './math';
import type { Task } from './types';

export type TaskOptions = MathTaskOptions;

export function isTaskName(name: string): name is TaskName {
  return (TASKS as readonly string[]).includes(name);
}

export function getTask(name: string, options: TaskOptions = {}): Task {
  if (!isTaskName(name)) throw new Error(`unknown task "${name}" (known: ${TASKS.join(', ')})`);
  switch (name) {
    case 'countdown':
      return countdownTask as Task;
    case 'game24':
      return game24Task as Task;
    case 'math':
      return (options.stepDelimiter === undefined ? mathTask : createMathTask(options)) as Task;
  }
}
