/**
 * Depth-first with backtracking, as Stream of Search traces it: at each node the policy proposes
 * once, then children are created one at a time, each explored fully before the next sibling is
 * generated. Creation order is therefore the trace's visiting order. Children go in the policy's
 * order, or by the scorer's score (`order: "score"`).
 */
import { z } from 'zod';
import type { Draft, SearchNode, SearchRun } from '../search-run';
import { K } from './common';

export const DfsConfig = z
  .object({
    k: K,
    order: z.enum(['policy', 'score']).default('policy'),
    stopOnSolution: z.boolean().default(true),
  })
  .strict();
export type DfsConfig = z.infer<typeof DfsConfig>;

export async function dfs(run: SearchRun, config: DfsConfig): Promise<void> {
  const visit = async (node: SearchNode): Promise<void> => {
    if (!run.canExpand(node) || run.allowedExpansions(1) === 0) return;
    const [answer] = await run.propose([node], config.k);
    let drafts: Draft[] = run.drafts(node, answer!.expansion, answer!.proposals);
    if (config.order === 'score') {
      await run.scoreDrafts(drafts);
      drafts = drafts
        .map((d, i) => ({ d, i }))
        .sort((a, b) => (b.d.score ?? -1) - (a.d.score ?? -1) || a.i - b.i)
        .map(({ d }) => d);
    }
    for (const draft of drafts) {
      if (run.halted) return;
      const [child] = run.create([draft]);
      if (!child) return;
      await run.tick();
      await visit(child);
    }
  };
  await visit(run.root);
}
