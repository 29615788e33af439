/**
 * A scorer's score of every step of some runs, stored by scorer name (table prm_step_scores) as
 * each batch comes back: an interrupted evaluation loses at most one batch and resumes where it
 * stopped, and a PRM already scored is never asked again. Every step is put to the scorer, invalid
 * ones included, so the figures measure the PRM and nothing else.
 */
import type { Store } from '../store/store';
import { RunPaths } from '../labels/run-paths';
import type { CallOptions, Scorer } from '../providers/types';

const BATCH = 64;

export interface ScoreProgress extends CallOptions {
  /** Steps scored so far (stored ones included) out of all steps of the runs. */
  onProgress?: (done: number, total: number) => void;
}

/** Stored scores of one scorer on these runs, by node id. */
export function storedScores(store: Store, scorer: string, runIds: readonly number[]): Map<number, number> {
  const select = store.db.prepare('SELECT node_id, score FROM prm_step_scores WHERE scorer = ? AND run_id = ?');
  const out = new Map<number, number>();
  for (const runId of runIds) {
    for (const row of select.all(scorer, runId) as { node_id: number; score: number }[]) out.set(row.node_id, row.score);
  }
  return out;
}

/**
 * Scores the steps of `runIds` that `scorerName` has not scored yet. `scorerFor` builds (once per
 * task) the scorer to ask. Returns every step's score, stored and new.
 */
export async function scoreRuns(
  store: Store,
  scorerName: string,
  runIds: readonly number[],
  scorerFor: (task: string) => Promise<Scorer>,
  options: ScoreProgress = {},
): Promise<Map<number, number>> {
  const scores = storedScores(store, scorerName, runIds);
  const todo: { paths: RunPaths; nodeIds: number[] }[] = [];
  let total = 0;
  for (const runId of runIds) {
    const paths = RunPaths.load(store, runId);
    const steps = paths.nodes.filter((n) => n.parentId !== null);
    total += steps.length;
    const missing = steps.filter((n) => !scores.has(n.id)).map((n) => n.id);
    if (missing.length) todo.push({ paths, nodeIds: missing });
  }
  let done = scores.size;
  options.onProgress?.(done, total);
  const insert = store.db.prepare(
    `INSERT INTO prm_step_scores (scorer, node_id, run_id, score) VALUES (?, ?, ?, ?)
     ON CONFLICT (scorer, node_id) DO UPDATE SET score = excluded.score`,
  );
  const save = store.db.transaction((runId: number, ids: number[], values: number[]) => {
    ids.forEach((id, k) => insert.run(scorerName, id, runId, values[k]!));
  });
  for (const { paths, nodeIds } of todo) {
    const scorer = await scorerFor(paths.task.name);
    for (let i = 0; i < nodeIds.length; i += BATCH) {
      options.signal?.throwIfAborted();
      const chunk = nodeIds.slice(i, i + BATCH);
      const values = await scorer.score(chunk.map((id) => paths.query(id)), { signal: options.signal });
      if (values.length !== chunk.length || values.some((v) => typeof v !== 'number' || !Number.isFinite(v))) {
        throw new Error(`scorer ${scorerName} returned ${values.length} scores for ${chunk.length} steps, or a score that is not a number`);
      }
      save(paths.run.id, chunk, values);
      chunk.forEach((id, k) => scores.set(id, values[k]!));
      done += chunk.length;
      options.onProgress?.(done, total);
    }
  }
  return scores;
}
