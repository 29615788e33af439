/**
 * What a search may spend. Expansions (policy calls on one node), nodes (including the root) and
 * depth are respected exactly; wall time is checked before every expansion batch.
 */
import { z } from 'zod';

export const Budget = z
  .object({
    maxExpansions: z.number().int().min(1, 'maxExpansions must be at least 1').max(10_000_000).optional(),
    maxNodes: z.number().int().min(2, 'maxNodes must be at least 2 (the root and one step)').max(100_000_000).optional(),
    maxDepth: z.number().int().min(1, 'maxDepth must be at least 1').max(10_000).optional(),
    maxWallMs: z.number().int().min(1, 'maxWallMs must be at least 1').max(7 * 24 * 3600 * 1000).optional(),
  })
  .strict()
  .refine((b) => b.maxExpansions !== undefined || b.maxNodes !== undefined || b.maxWallMs !== undefined, {
    message: 'a budget needs at least one of maxExpansions, maxNodes, maxWallMs',
  });
export type Budget = z.infer<typeof Budget>;
