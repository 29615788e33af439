/** How a path reads as model text: the task's prompt, then every step followed by the delimiter. */
import type { Problem } from '../../../common/domain';
import type { Task } from './types';

export function pathText<S>(task: Task<S>, problem: Problem, steps: readonly string[]): string {
  return task.prompt(problem) + steps.map((s) => s + task.stepDelimiter).join('');
}
