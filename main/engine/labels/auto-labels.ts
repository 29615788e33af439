/**
 * Automatic step labels, stored apart from human labels (table auto_labels) and shown as
 * suggestions: Monte-Carlo rollout estimates (Math-Shepherd), first-error binary search
 * (OmegaPRM), exact solver labels, and scorer (PRM) labels.
 */
import { RolloutScorer } from '../search/stand-ins/rollout-scorer';
import type { CallOptions, Policy, Scorer } from '../search/types';
import type { Rating } from '../../../common/domain';
import type { AutoLabel } from '../store/auto-labels';
import type { Store } from '../store/store';
import { RunPaths } from './run-paths';

export type { AutoLabel, AutoSource } from '../store/auto-labels';

export interface LabelJob extends CallOptions {
  /** Only these nodes (default: every step of the run). */
  nodeIds?: readonly number[];
  onProgress?: (done: number, total: number) => void;
}

const BATCH = 64;

/** A labeling request that cannot be carried out as asked (shown to the user as is). */
export class LabelInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'LabelInputError';
  }
}

function stepsOf(paths: RunPaths, job: LabelJob): number[] {
  const wanted = job.nodeIds ? new Set(job.nodeIds) : null;
  return paths.nodes.filter((n) => n.parentId !== null && (!wanted || wanted.has(n.id))).map((n) => n.id);
}

/** Scores nodes in batches with progress and cancellation; invalid steps score 0 without a call. */
async function scoreSteps(paths: RunPaths, ids: number[], scorer: Scorer, job: LabelJob): Promise<Map<number, number>> {
  const values = new Map<number, number>();
  const usable = ids.filter((id) => {
    if (paths.stepApplies(id)) return true;
    values.set(id, 0);
    return false;
  });
  for (let i = 0; i < usable.length; i += BATCH) {
    job.signal?.throwIfAborted();
    const chunk = usable.slice(i, i + BATCH);
    const scores = await scorer.score(chunk.map((id) => paths.query(id)), job);
    chunk.forEach((id, j) => values.set(id, scores[j]!));
    job.onProgress?.(Math.min(i + BATCH, usable.length), usable.length);
  }
  return values;
}

/** Math-Shepherd: N rollouts from each step; hard label +1 if any reaches the gold answer, soft = share that do. */
export async function monteCarloLabels(store: Store, runId: number, policy: Policy, rollouts: number, job: LabelJob = {}): Promise<AutoLabel[]> {
  const paths = RunPaths.load(store, runId);
  const scorer = new RolloutScorer(policy, rollouts);
  const values = await scoreSteps(paths, stepsOf(paths, job), scorer, job);
  const labels: AutoLabel[] = [...values].map(([nodeId, v]) => ({
    nodeId,
    source: 'mc',
    label: v > 0 ? 1 : -1,
    value: v,
    rollouts,
    model: policy.name,
  }));
  store.autoLabels.save(runId, labels);
  return labels;
}

/** A PRM or value model's opinion of each step: its score, and +1 at or above 0.5, else -1. */
export async function scorerLabels(store: Store, runId: number, scorer: Scorer, job: LabelJob = {}): Promise<AutoLabel[]> {
  const paths = RunPaths.load(store, runId);
  const values = await scoreSteps(paths, stepsOf(paths, job), scorer, job);
  const labels: AutoLabel[] = [...values].map(([nodeId, v]) => ({
    nodeId,
    source: 'scorer',
    label: v >= 0.5 ? 1 : -1,
    value: v,
    rollouts: null,
    model: scorer.name,
  }));
  store.autoLabels.save(runId, labels);
  return labels;
}

/** The task's exact labels (countdown's solver): +1 still solvable, -1 dead end or invalid. */
export function exactLabels(store: Store, runId: number, job: LabelJob = {}): AutoLabel[] {
  const paths = RunPaths.load(store, runId);
  if (!paths.task.exactLabel) throw new LabelInputError(`The ${paths.task.name} task has no exact labels`);
  const labels: AutoLabel[] = stepsOf(paths, job).map((nodeId) => {
    const label: Rating = paths.stepApplies(nodeId) ? (paths.task.exactLabel!(paths.path(nodeId).state, paths.problem) ?? 0) : -1;
    return { nodeId, source: 'exact', label, value: label === 1 ? 1 : 0, rollouts: null, model: null };
  });
  store.autoLabels.save(runId, labels);
  return labels;
}

export interface FirstErrorResult {
  leafNodeId: number;
  /** The first wrong step, or null when even the first step's prefix reaches no correct answer. */
  firstErrorNodeId: number | null;
  /** Rollout batches spent (one per Monte-Carlo estimate): O(log n) instead of n. */
  batches: number;
}

/**
 * OmegaPRM's binary search for the first error on a wrong finished path: MC(prefix) > 0 before the
 * error and 0 from it on, so bisecting on MC finds it with O(log n) rollout batches. Steps before
 * the error get +1, the error -1, and steps after it no label (they build on the error).
 */
export async function firstErrorSearch(
  store: Store,
  runId: number,
  leafNodeId: number,
  policy: Policy,
  rollouts: number,
  job: CallOptions = {},
): Promise<FirstErrorResult> {
  const paths = RunPaths.load(store, runId);
  const line = paths.lineage(leafNodeId); // root .. leaf
  const scorer = new RolloutScorer(policy, rollouts);
  let batches = 0;
  const mc = new Map<number, number>();
  const estimate = async (i: number): Promise<number> => {
    const node = line[i]!;
    if (!mc.has(i)) {
      batches++;
      const applies = i === 0 || paths.stepApplies(node.id);
      mc.set(i, applies ? (await scorer.score([paths.query(node.id)], job))[0]! : 0);
    }
    return mc.get(i)!;
  };
  const n = line.length - 1;
  const leaf = line[n]!;
  if (!leaf.isTerminal || leaf.outcome !== 'incorrect') {
    throw new LabelInputError(`Node ${leafNodeId} does not end a wrong finished path (first-error search needs one)`);
  }
  mc.set(n, 0); // a wrong finished path reaches no correct answer: known without rollouts
  let firstError: number | null = null;
  if ((await estimate(0)) > 0) {
    let lo = 0; // invariant: MC(lo) > 0, MC(hi) == 0
    let hi = n;
    while (hi - lo > 1) {
      job.signal?.throwIfAborted();
      const mid = (lo + hi) >> 1;
      if ((await estimate(mid)) > 0) lo = mid;
      else hi = mid;
    }
    firstError = hi;
  }
  const labels: AutoLabel[] = [];
  if (firstError !== null) {
    for (let i = 1; i <= firstError; i++) {
      labels.push({
        nodeId: line[i]!.id,
        source: 'first-error',
        label: i < firstError ? 1 : -1,
        value: mc.get(i) ?? null,
        rollouts,
        model: policy.name,
      });
    }
  }
  store.autoLabels.save(runId, labels);
  return { leafNodeId, firstErrorNodeId: firstError === null ? null : line[firstError]!.id, batches };
}

/** Wrong finished paths of a run: terminal nodes whose outcome is incorrect. */
export function wrongLeaves(store: Store, runId: number): number[] {
  return store.nodes.incorrectLeafIds(runId);
}
