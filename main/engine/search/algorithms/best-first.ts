/**
 * Best-first / A*: always expand the open node with the lowest cost f = (1 - score) + depthCost x
 * depth, where score is the scorer's estimate that the path leads to a solution. depthCost 0 is
 * greedy best-first; a positive one prefers shorter paths, as A*'s g does.
 */
import { z } from 'zod';
import { Heap } from '../heap';
import type { SearchNode, SearchRun } from '../search-run';
import { BatchSize, K } from './common';

export const BestFirstConfig = z
  .object({
    k: K,
    depthCost: z.number().min(0).max(100).default(0.1),
    batchSize: BatchSize,
    stopOnSolution: z.boolean().default(true),
  })
  .strict();
export type BestFirstConfig = z.infer<typeof BestFirstConfig>;

export async function bestFirst(run: SearchRun, config: BestFirstConfig): Promise<void> {
  const cost = (n: SearchNode) => 1 - (n.score ?? 0) + config.depthCost * n.depth;
  // Ties go to the deeper node (greedy search keeps descending), then to the earlier one.
  const frontier = new Heap<SearchNode>((a, b) => {
    const d = cost(a) - cost(b);
    return d !== 0 ? d < 0 : a.depth !== b.depth ? a.depth > b.depth : a.seq < b.seq;
  });
  frontier.push(run.root);
  while (frontier.size > 0 && !run.stopped) {
    const batch: SearchNode[] = [];
    const room = run.allowedExpansions(config.batchSize);
    while (frontier.size > 0 && batch.length < room) {
      const node = frontier.pop()!;
      if (run.canExpand(node)) batch.push(node);
    }
    for (const children of await run.expand(batch, config.k, { scoreChildren: true })) {
      for (const child of children) if (run.canExpand(child)) frontier.push(child);
    }
    await run.tick();
  }
}
