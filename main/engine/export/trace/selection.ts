/**
 * Which nodes a trace keeps, the variants the Meta-CoT paper compares: the whole search, only
 * paths through human-approved steps, the solution path plus the first N failed branches, or
 * the solution path alone; and Dualformer-style seeded random dropping on top.
 *
 * The kept set is always closed under "parent of": a node is kept only with its whole path.
 */
import type { TraceOptions } from '../../../../common/contract/export';
import { hashUnit } from '../../tasks/random';
import type { LabelView } from '../labels';
import type { ExportTree } from '../tree';
import type { Linearised } from './linearise';

export interface Selection {
  /** Kept nodes (the root always). */
  kept: Set<number>;
  /** The solution path (root excluded), empty when the search reached no goal. */
  solution: number[];
}

/** Explored nodes in the order the linearisation visits them. */
function exploredOrder(lin: Linearised): number[] {
  return lin.events.flatMap((e) => (e.type === 'explore' ? [e.node] : []));
}

/** A dead end: a finished wrong or unchecked path, an invalid step, or a step nothing was tried below. */
function isDeadEnd(tree: ExportTree, i: number, explored: Set<number>): boolean {
  const n = tree.nodes[i]!;
  if (tree.isGoal(i)) return false;
  if (!n.valid || n.isTerminal) return true;
  return !tree.children[i]!.some((c) => explored.has(c));
}

function withPath(tree: ExportTree, kept: Set<number>, i: number): void {
  for (const k of tree.path(i)) kept.add(k);
}

export function selectNodes(
  tree: ExportTree,
  full: Linearised,
  options: Pick<TraceOptions, 'keep' | 'failedBranches' | 'drop'>,
  labels: LabelView,
): Selection {
  const order = exploredOrder(full);
  const goal = order.find((i) => tree.isGoal(i));
  const solution = goal === undefined ? [] : tree.path(goal);
  const onSolution = new Set(solution);
  const kept = new Set<number>([tree.root]);
  const { keep, drop } = options;
  const collapse = solution.length > 0 && drop.wholeTrace > 0 && hashUnit(drop.seed, 'whole', tree.run.id) < drop.wholeTrace;

  if (keep === 'solution' || collapse) {
    for (const i of solution) kept.add(i);
  } else if (keep === 'first-failed') {
    for (const i of solution) kept.add(i);
    const explored = new Set(order);
    const deadEnds = order.filter((i) => isDeadEnd(tree, i, explored));
    for (const i of deadEnds.slice(0, options.failedBranches)) withPath(tree, kept, i);
  } else if (keep === 'approved') {
    for (const i of order) if (tree.path(i).every((k) => labels.rating(k) === 1)) kept.add(i);
  } else {
    for (const i of order) kept.add(i);
  }

  if (drop.rate > 0 && !collapse) {
    // A dropped step takes its subtree with it; steps on the solution path are never dropped.
    for (const i of order) {
      if (!kept.has(i) || onSolution.has(i)) continue;
      const parentKept = tree.parent[i] === tree.root || kept.has(tree.parent[i]!);
      if (!parentKept || hashUnit(drop.seed, tree.run.id, tree.nodes[i]!.seq) < drop.rate) kept.delete(i);
    }
  }
  return { kept, solution };
}
