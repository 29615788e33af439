/**
 * Best-of-N: N independent samples, each a path grown one step at a time with k = 1 from its own
 * seed, until it finishes. Identical prefixes share nodes, so the tree is the trie of the samples.
 * Finished paths are scored and the best one is reported (`selectedSeq`, `selectedCorrect`).
 */
import { z } from 'zod';
import { hash32 } from '../../tasks/random';
import type { SearchNode, SearchRun } from '../search-run';
import { byScoreThenSeq } from './common';

export const BestOfNConfig = z
  .object({
    n: z.number().int().min(1).max(10_000).default(8),
    stopOnSolution: z.boolean().default(false),
  })
  .strict();
export type BestOfNConfig = z.infer<typeof BestOfNConfig>;

export async function bestOfN(run: SearchRun, config: BestOfNConfig): Promise<void> {
  const { maxDepth } = run.env.budget;
  const cursors: SearchNode[] = Array.from({ length: config.n }, () => run.root);
  const growing = (n: SearchNode) => n.valid && !n.terminal && (maxDepth === undefined || n.depth < maxDepth);
  const finished = new Set<number>();
  for (let step = 0; !run.stopped; step++) {
    const active = cursors.map((_, i) => i).filter((i) => !finished.has(i) && growing(cursors[i]!));
    if (active.length === 0) break;
    const asked = active.slice(0, run.allowedExpansions(active.length));
    const seeds = asked.map((i) => hash32(run.env.seed, 'sample', i, step));
    const answers = await run.propose(asked.map((i) => cursors[i]!), 1, seeds);
    for (const [j, i] of asked.entries()) {
      const cursor = cursors[i]!;
      const { expansion, proposals } = answers[j]!;
      const proposal = proposals[0];
      if (!proposal) {
        finished.add(i);
        continue;
      }
      const existing = cursor.children.find((c) => c.stepText === proposal.text);
      const next = existing ?? run.create([run.draft(cursor, proposal, expansion, null)])[0];
      if (!next) break; // node budget spent
      cursors[i] = next;
    }
    await run.tick();
  }
  // Pick the best finished sample by score (a verifier or PRM's choice, as best-of-N means).
  const leaves = [...new Set(cursors)].filter((n) => n !== run.root);
  if (leaves.length === 0 || run.env.signal?.aborted) return;
  await run.score(leaves);
  for (const leaf of leaves) run.writeStats(leaf, { score: leaf.score });
  const best = [...leaves].sort((a, b) => Number(b.terminal) - Number(a.terminal) || byScoreThenSeq(a, b))[0]!;
  run.extraStats.selectedSeq = best.seq;
  run.extraStats.selectedCorrect = best.outcome === 'correct';
}
