/**
 * Step labels of a published benchmark (ProcessBench, PRMBench) come in as a named reference
 * annotator: annotations by that name, so exports and the studio show them like any labeler's
 * (`--labels annotator:processbench`), and the same ratings as the run's gold labels (set_by the
 * benchmark), which keeps them apart from the studio's people: gold accuracy measures each person
 * against them, and `eval-prm` scores PRMs against them.
 */
import type { ImportMapping } from '../../../common/contract/export';
import type { Rating } from '../../../common/domain';
import type { Store } from '../store/store';
import { checkedProblem } from './problems';
import type { ImportItem, ImportLabel, ImportNode } from './types';

export function referenceLabel(benchmark: string, rating: Rating): ImportLabel[] {
  return [{ annotator: benchmark, rating }];
}

/** An `onWritten` hook for an imported tree: its reference ratings (by node index) become gold labels. */
export function storeAsGold(benchmark: string, ratings: ReadonlyMap<number, Rating>) {
  return (store: Store, runId: number, nodeIds: readonly number[]): void => {
    const labels = [...ratings].map(([index, rating]) => ({ nodeId: nodeIds[index]!, rating }));
    store.reviews.setReferenceGold(runId, benchmark, labels);
  };
}

/** The first problem in a zod error, as `path: message`. */
export function firstZodIssue(error: { issues: readonly { path: readonly PropertyKey[]; message: string }[] }): string {
  const issue = error.issues[0]!;
  return `${issue.path.map(String).join('.') || 'record'}: ${issue.message}`;
}

export interface BenchmarkTree {
  benchmark: string;
  /** The problem's metadata source: `ProcessBench`, `PRMBench`. */
  source: string;
  prompt: string;
  mapping: ImportMapping;
  policy: string;
  config: Record<string, unknown>;
  nodes: ImportNode[];
  /** Reference ratings by node index, stored as gold labels too. */
  ratings: ReadonlyMap<number, Rating>;
}

/** A benchmark record as an import item: a math problem with no gold answer, its tree and its reference labels. */
export function benchmarkTree(t: BenchmarkTree): ImportItem {
  return {
    kind: 'tree',
    tree: {
      problem: checkedProblem({ task: t.mapping.task ?? 'math', prompt: t.prompt, goldAnswer: null, metadata: { source: t.source } }),
      algorithm: 'best-of-n',
      policy: t.policy,
      config: t.config,
      nodes: t.nodes,
      onWritten: storeAsGold(t.benchmark, t.ratings),
    },
  };
}
