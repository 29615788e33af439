/**
 * Step-level beam search: expand every path in the beam, score all the new steps with the scorer,
 * keep the best `beamWidth` unfinished ones, repeat. Finished paths leave the beam.
 */
import { z } from 'zod';
import type { SearchRun } from '../search-run';
import { byScoreThenSeq } from './common';

export const BeamConfig = z
  .object({
    beamWidth: z.number().int().min(1).max(1000).default(4),
    k: z.number().int().min(1).max(1000).default(4),
    stopOnSolution: z.boolean().default(true),
  })
  .strict();
export type BeamConfig = z.infer<typeof BeamConfig>;

export async function beam(run: SearchRun, config: BeamConfig): Promise<void> {
  let beamNodes = [run.root];
  while (beamNodes.length > 0 && !run.stopped) {
    const batch = beamNodes.filter((n) => run.canExpand(n));
    const expanding = batch.slice(0, run.allowedExpansions(batch.length));
    const children = (await run.expand(expanding, config.k, { scoreChildren: true })).flat();
    beamNodes = children.filter((c) => run.canExpand(c)).sort(byScoreThenSeq).slice(0, config.beamWidth);
    await run.tick();
  }
}
