/**
 * Breadth-first, as Stream of Search traces it: nodes are expanded level by level in creation
 * order, so the first solution found is a shortest one. Stops at the first solution by default.
 */
import { z } from 'zod';
import type { SearchNode, SearchRun } from '../search-run';
import { BatchSize, K } from './common';

export const BfsConfig = z
  .object({ k: K, batchSize: BatchSize, stopOnSolution: z.boolean().default(true) })
  .strict();
export type BfsConfig = z.infer<typeof BfsConfig>;

export async function bfs(run: SearchRun, config: BfsConfig): Promise<void> {
  const queue: SearchNode[] = [run.root];
  let head = 0;
  while (head < queue.length && !run.stopped) {
    const batch: SearchNode[] = [];
    while (head < queue.length && batch.length < config.batchSize) {
      const node = queue[head++]!;
      if (run.canExpand(node)) batch.push(node);
    }
    const allowed = batch.slice(0, run.allowedExpansions(batch.length));
    for (const children of await run.expand(allowed, config.k)) queue.push(...children);
    await run.tick();
  }
}
