/**
 * Step labels of a published benchmark (ProcessBench, PRMBench) come in as a named reference
 * annotator: annotations by that name, so exports and the studio show them like any labeler's
 * (`--labels annotator:processbench`), and the same ratings as the run's gold labels (set_by the
 * benchmark), which keeps them apart from the studio's people: gold accuracy measures each person
 * against them, and `eval-prm` scores PRMs against them.
 */
import type { Rating } from '../../../common/domain';
import type { Store } from '../store/store';
import type { ImportLabel } from './types';

export function referenceLabel(benchmark: string, rating: Rating): ImportLabel[] {
  return [{ annotator: benchmark, rating }];
}

/** An `onWritten` hook for an imported tree: its reference ratings (by node index) become gold labels. */
export function storeAsGold(benchmark: string, ratings: ReadonlyMap<number, Rating>) {
  return (store: Store, runId: number, nodeIds: readonly number[]): void => {
    if (ratings.size === 0) return;
    const insert = store.db.prepare(
      `INSERT INTO gold_labels (node_id, run_id, rating, set_by) VALUES (?, ?, ?, ?)
       ON CONFLICT (node_id) DO UPDATE SET rating = excluded.rating, set_by = excluded.set_by`,
    );
    for (const [index, rating] of ratings) insert.run(nodeIds[index]!, runId, rating, benchmark);
    store.db.prepare('UPDATE runs SET quality_control = 1 WHERE id = ?').run(runId);
  };
}

/** The first problem in a zod error, as `path: message`. */
export function firstZodIssue(error: { issues: readonly { path: readonly PropertyKey[]; message: string }[] }): string {
  const issue = error.issues[0]!;
  return `${issue.path.map(String).join('.') || 'record'}: ${issue.message}`;
}
