/**
 * Monte-Carlo step estimates (Math-Shepherd): of the finished paths that continue a step, the
 * fraction that reach the gold answer (soft) and whether any does (hard). Stored rollout
 * estimates come first; elsewhere the finished paths recorded in the tree itself are the
 * rollouts (a search that samples several continuations of a step is exactly that).
 */
import type { Connection } from '../store/db';
import { exportReads } from '../store/export-reads';
import type { ExportTree } from './tree';

export interface MonteCarloEstimates {
  /** Fraction of finished continuations that are correct; NaN where none finished. */
  soft: Float64Array;
  /** Number of finished continuations behind each estimate. */
  n: Int32Array;
}

/** Estimates from the terminals recorded under each node (pruned subtrees already left out). */
export function treeMonteCarlo(tree: ExportTree): MonteCarloEstimates {
  const size = tree.nodes.length;
  const correct = new Int32Array(size);
  const finished = new Int32Array(size);
  // Children come after their parents in seq order, so one backward pass sums each subtree.
  for (let i = size - 1; i >= 0; i--) {
    if (tree.included[i] !== 1) continue;
    const node = tree.nodes[i]!;
    if (node.isTerminal && node.outcome !== null) {
      finished[i]! += 1;
      if (node.outcome === 'correct') correct[i]! += 1;
    }
    const p = tree.parent[i]!;
    if (p >= 0) {
      finished[p]! += finished[i]!;
      correct[p]! += correct[i]!;
    }
  }
  const soft = new Float64Array(size);
  for (let i = 0; i < size; i++) soft[i] = finished[i]! > 0 ? correct[i]! / finished[i]! : Number.NaN;
  return { soft, n: finished };
}

/**
 * Stored rollout estimates (automatic labels of source `mc`) where a step has one; the tree's
 * own finished paths elsewhere.
 */
export function monteCarlo(tree: ExportTree, db: Connection): MonteCarloEstimates {
  const estimates = treeMonteCarlo(tree);
  for (const r of exportReads(db).rolloutEstimates(tree.run.id)) {
    const i = tree.indexOf(r.nodeId);
    if (i === undefined || tree.included[i] !== 1) continue;
    estimates.soft[i] = r.value;
    estimates.n[i] = r.rollouts ?? 0;
  }
  return estimates;
}
