/** Config pieces every algorithm shares. */
import { z } from 'zod';
import type { SearchNode } from '../search-run';

/** Next steps asked of the policy per expansion. */
export const K = z.number().int().min(1, 'k must be at least 1').max(1000).default(8);
/** Expansions sent to the policy in one call (batching changes speed, never which nodes exist, except after a solution stops the search). */
export const BatchSize = z.number().int().min(1).max(1024).default(1);

/** Higher score first, then earlier creation: the deterministic tie-break everywhere. */
export function byScoreThenSeq(a: SearchNode, b: SearchNode): number {
  return (b.score ?? 0) - (a.score ?? 0) || a.seq - b.seq;
}
