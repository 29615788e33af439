/** The six algorithms by name, each with its config schema (defaults filled in by parsing). */
import type { z } from 'zod';
import type { AlgorithmName } from '../../../../common/domain';
import type { SearchRun } from '../search-run';
import { beam, BeamConfig } from './beam';
import { bestFirst, BestFirstConfig } from './best-first';
import { bestOfN, BestOfNConfig } from './best-of-n';
import { bfs, BfsConfig } from './bfs';
import { dfs, DfsConfig } from './dfs';
import { mcts, MctsConfig } from './mcts';

export interface AlgorithmSpec<C extends { stopOnSolution: boolean }> {
  description: string;
  config: z.ZodType<C, unknown>;
  run(run: SearchRun, config: C): Promise<void>;
}

function spec<C extends { stopOnSolution: boolean }>(s: AlgorithmSpec<C>): AlgorithmSpec<{ stopOnSolution: boolean }> {
  return s as unknown as AlgorithmSpec<{ stopOnSolution: boolean }>;
}

export const ALGORITHM_SPECS: Record<AlgorithmName, AlgorithmSpec<{ stopOnSolution: boolean }>> = {
  'best-of-n': spec({ description: 'N independent sampled paths; the scorer picks the best', config: BestOfNConfig, run: bestOfN }),
  beam: spec({ description: 'step-level beam search ranked by the scorer', config: BeamConfig, run: beam }),
  'best-first': spec({ description: 'best-first / A*: lowest (1 - score) + depthCost x depth first', config: BestFirstConfig, run: bestFirst }),
  mcts: spec({ description: 'MCTS with PUCT: policy priors, scorer or outcome values, optional virtual-loss batches', config: MctsConfig, run: mcts }),
  bfs: spec({ description: 'breadth-first in the Stream of Search manner (shortest solution first)', config: BfsConfig, run: bfs }),
  dfs: spec({ description: 'depth-first with backtracking in the Stream of Search manner', config: DfsConfig, run: dfs }),
};

/** The defaults of every algorithm's config, for forms and help texts. */
export function defaultConfig(algorithm: AlgorithmName): Record<string, unknown> {
  return ALGORITHM_SPECS[algorithm].config.parse({}) as Record<string, unknown>;
}
