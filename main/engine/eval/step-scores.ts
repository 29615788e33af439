/**
 * A scorer's score of every step of some runs, stored by scorer name (table prm_step_scores) as
 * each batch comes back: an interrupted evaluation loses at most one batch and resumes where it
 * stopped, and a PRM already scored is never asked again. Every step is put to the scorer, invalid
 * ones included, so the figures measure the PRM and nothing else.
 *
 * A scorer that scores every step of a path in one call (`scorePathSteps`: the served PRMs, the
 * LLM judge) is asked once per root-to-leaf path instead of once per step: n times fewer calls on
 * a linear ProcessBench solution, and the judge reads the whole solution as ProcessBench's critic
 * protocol has it. A step shared by several paths takes its score from the first one asked.
 */
import type { TreeNode } from '../../../common/domain';
import type { Store } from '../store/store';
import { RunPaths } from '../labels/run-paths';
import { ModelError } from '../models/errors';
import type { CallOptions, PathQuery, Scorer } from '../providers/types';

const BATCH = 64;
/** Whole paths asked at once from a path scorer (each is one request to a server). */
const PATH_BATCH = 16;

/** A scorer that returns the score of every step of a path in one call. */
export interface PathStepScorer extends Scorer {
  scorePathSteps(request: PathQuery, signal?: AbortSignal): Promise<number[]>;
}

function scoresWholePaths(scorer: Scorer): scorer is PathStepScorer {
  return typeof (scorer as Partial<PathStepScorer>).scorePathSteps === 'function';
}

function checkScores(scorerName: string, values: readonly unknown[], expected: number): asserts values is number[] {
  if (values.length !== expected || values.some((v) => typeof v !== 'number' || !Number.isFinite(v))) {
    throw new ModelError(`scorer ${scorerName} returned ${values.length} scores for ${expected} steps, or a score that is not a number`);
  }
}

/** Leaves whose path holds a step still to score, each with those steps (root excluded), in seq order. */
function leavesToAsk(paths: RunPaths, missing: ReadonlySet<number>): { leaf: TreeNode; line: TreeNode[] }[] {
  const parents = new Set(paths.nodes.map((n) => n.parentId));
  const out: { leaf: TreeNode; line: TreeNode[] }[] = [];
  const covered = new Set<number>();
  for (const leaf of paths.nodes) {
    if (leaf.parentId === null || parents.has(leaf.id)) continue;
    const line = paths.lineage(leaf.id).slice(1);
    if (!line.some((n) => missing.has(n.id) && !covered.has(n.id))) continue;
    for (const n of line) covered.add(n.id);
    out.push({ leaf, line });
  }
  return out;
}

export interface ScoreProgress extends CallOptions {
  /** Steps scored so far (stored ones included) out of all steps of the runs. */
  onProgress?: (done: number, total: number) => void;
}

/** Stored scores of one scorer on these runs, by node id. */
export function storedScores(store: Store, scorer: string, runIds: readonly number[]): Map<number, number> {
  return store.prmEvaluations.stepScores(scorer, runIds);
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
  const record = (runId: number, ids: number[], values: number[]) => {
    store.prmEvaluations.saveStepScores(scorerName, runId, ids, values);
    ids.forEach((id, k) => scores.set(id, values[k]!));
    done += ids.length;
    options.onProgress?.(done, total);
  };
  for (const { paths, nodeIds } of todo) {
    const scorer = await scorerFor(paths.task.name);
    if (scoresWholePaths(scorer)) {
      const missing = new Set(nodeIds);
      const leaves = leavesToAsk(paths, missing);
      for (let i = 0; i < leaves.length; i += PATH_BATCH) {
        options.signal?.throwIfAborted();
        const chunk = leaves.slice(i, i + PATH_BATCH);
        const answers = await Promise.all(chunk.map(({ leaf }) => scorer.scorePathSteps(paths.query(leaf.id), options.signal)));
        const ids: number[] = [];
        const values: number[] = [];
        chunk.forEach(({ line }, j) => {
          checkScores(scorerName, answers[j]!, line.length);
          line.forEach((n, k) => {
            if (!missing.delete(n.id)) return; // scored already, or by an earlier path
            ids.push(n.id);
            values.push(answers[j]![k]!);
          });
        });
        record(paths.run.id, ids, values);
      }
      continue;
    }
    for (let i = 0; i < nodeIds.length; i += BATCH) {
      options.signal?.throwIfAborted();
      const chunk = nodeIds.slice(i, i + BATCH);
      const values = await scorer.score(chunk.map((id) => paths.query(id)), { signal: options.signal });
      checkScores(scorerName, values, chunk.length);
      record(paths.run.id, chunk, values);
    }
  }
  return scores;
}
