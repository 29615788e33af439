/** Scores a path 1 when the target is still reachable from its state, else 0 (the task's exact solver). */
import type { Task } from '../../tasks/types';
import { ProviderError } from '../../providers/provider-set';
import type { PathQuery, Scorer } from '../types';

export class ExactScorer implements Scorer {
  readonly name = 'exact';

  constructor(task: Task) {
    if (!task.exactLabel) {
      throw new ProviderError(`the exact scorer needs a task with an exact solver (countdown, game24); ${task.name} has none`);
    }
  }

  async score(requests: readonly PathQuery[]): Promise<number[]> {
    return requests.map((r) => (r.task.exactLabel!(r.state, r.problem) === 1 ? 1 : 0));
  }
}
