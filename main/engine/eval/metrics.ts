/**
 * The figures by which the field judges a process reward model, as pure functions of scored,
 * labeled paths:
 *   - ProcessBench (Zheng et al., 2024): the first step scored below the threshold is the predicted
 *     first error; accuracy on erroneous paths (predicted exactly where the reference puts it), on
 *     correct paths (no error predicted), and their harmonic mean F1;
 *   - PRMBench (Song et al., 2025): PRMScore = (F1 + negative F1) / 2 over steps, a step predicted
 *     right when its score reaches the threshold (right = not labeled -1), per error class;
 *   - ROC AUC of step scores against the reference labels;
 *   - Best-of-N: the finished path with the best aggregated score (min, last, product) per run.
 */
import type { Outcome, Rating } from '../../../common/domain';
import { aggregateStepScores } from '../models/path-scorer';

export interface ScoredStep {
  nodeId: number;
  /** The reference label (gold, human majority or exact); null when the step has none. */
  reference: Rating | null;
  score: number;
}

export interface ScoredPath {
  runId: number;
  leafNodeId: number;
  steps: ScoredStep[];
  /** The finished path's outcome; null for an unfinished or unchecked path. */
  outcome: Outcome | null;
  terminal: boolean;
  /** PRMBench's error class, on a PRMBench run's modified path. */
  errorClass?: string;
}

const round = (x: number) => Math.round(x * 1e6) / 1e6;
const harmonic = (a: number | null, b: number | null) => (a === null || b === null ? null : a + b === 0 ? 0 : (2 * a * b) / (a + b));

/** Index of the reference's first wrong step on the path; -1 when none; null when the path has no reference label. */
export function referenceFirstError(path: ScoredPath): number | null {
  if (path.steps.every((s) => s.reference === null)) return null;
  return path.steps.findIndex((s) => s.reference === -1);
}

export function predictedFirstError(path: ScoredPath, threshold: number): number {
  return path.steps.findIndex((s) => s.score < threshold);
}

export interface ProcessBenchMetrics {
  erroneous: number;
  correct: number;
  errorAccuracy: number | null;
  correctAccuracy: number | null;
  f1: number | null;
}

export function processBench(paths: readonly ScoredPath[], threshold: number): ProcessBenchMetrics {
  let erroneous = 0;
  let erroneousRight = 0;
  let correct = 0;
  let correctRight = 0;
  for (const path of paths) {
    const reference = referenceFirstError(path);
    if (reference === null) continue;
    const predicted = predictedFirstError(path, threshold);
    if (reference >= 0) {
      erroneous++;
      if (predicted === reference) erroneousRight++;
    } else {
      correct++;
      if (predicted === -1) correctRight++;
    }
  }
  const errorAccuracy = erroneous ? erroneousRight / erroneous : null;
  const correctAccuracy = correct ? correctRight / correct : null;
  const f1 = harmonic(errorAccuracy, correctAccuracy);
  return {
    erroneous,
    correct,
    errorAccuracy: errorAccuracy === null ? null : round(errorAccuracy),
    correctAccuracy: correctAccuracy === null ? null : round(correctAccuracy),
    f1: f1 === null ? null : round(f1),
  };
}

export interface StepCounts {
  /** Right steps (reference 0 or +1) scored at or above the threshold. */
  tp: number;
  /** Wrong steps (reference -1) scored at or above the threshold. */
  fp: number;
  tn: number;
  fn: number;
}

export function stepCounts(steps: Iterable<ScoredStep>, threshold: number): StepCounts {
  const c: StepCounts = { tp: 0, fp: 0, tn: 0, fn: 0 };
  for (const s of steps) {
    if (s.reference === null) continue;
    const right = s.reference >= 0;
    const predictedRight = s.score >= threshold;
    if (right && predictedRight) c.tp++;
    else if (!right && predictedRight) c.fp++;
    else if (!right) c.tn++;
    else c.fn++;
  }
  return c;
}

export interface PrmScore extends StepCounts {
  f1: number | null;
  negativeF1: number | null;
  prmScore: number | null;
}

/** PRMBench's PRMScore: the mean of F1 (right steps positive) and negative F1 (wrong steps positive). */
export function prmScore(c: StepCounts): PrmScore {
  const f1 = 2 * c.tp + c.fp + c.fn ? (2 * c.tp) / (2 * c.tp + c.fp + c.fn) : null;
  const negativeF1 = 2 * c.tn + c.fp + c.fn ? (2 * c.tn) / (2 * c.tn + c.fp + c.fn) : null;
  const both = f1 !== null && negativeF1 !== null ? 0.5 * f1 + 0.5 * negativeF1 : null;
  return {
    ...c,
    f1: f1 === null ? null : round(f1),
    negativeF1: negativeF1 === null ? null : round(negativeF1),
    prmScore: both === null ? null : round(both),
  };
}

/**
 * ROC AUC of scores for telling right steps (reference 0 or +1) from wrong ones (-1): the share of
 * (right, wrong) pairs the score orders correctly, ties counting half. Null without both kinds.
 */
export function rocAuc(steps: Iterable<ScoredStep>): number | null {
  const labeled = [...steps].filter((s) => s.reference !== null).sort((a, b) => a.score - b.score);
  const positives = labeled.filter((s) => s.reference! >= 0).length;
  const negatives = labeled.length - positives;
  if (!positives || !negatives) return null;
  // Mann-Whitney U from average ranks over tied scores.
  let rankSum = 0;
  for (let i = 0; i < labeled.length; ) {
    let j = i;
    while (j < labeled.length && labeled[j]!.score === labeled[i]!.score) j++;
    const averageRank = (i + 1 + j) / 2;
    for (let k = i; k < j; k++) if (labeled[k]!.reference! >= 0) rankSum += averageRank;
    i = j;
  }
  return round((rankSum - (positives * (positives + 1)) / 2) / (positives * negatives));
}

export const AGGREGATIONS = ['min', 'last', 'product'] as const;
export type PathAggregation = (typeof AGGREGATIONS)[number];

export function aggregate(scores: readonly number[], how: PathAggregation): number {
  return aggregateStepScores(scores, how === 'product' ? 'prod' : how);
}

export interface BestOfN {
  /** Runs with at least two finished, checked paths (with one, there is nothing to rerank). */
  runs: number;
  /** Mean number of finished paths per such run. */
  meanN: number | null;
  /** Share of runs where the path chosen by the aggregated score is correct. */
  accuracy: Record<PathAggregation, number | null>;
  /** Share of runs with any correct path: the ceiling of reranking. */
  oracle: number | null;
  /** Expected accuracy of picking a path at random: the floor. */
  random: number | null;
}

export function bestOfN(paths: readonly ScoredPath[]): BestOfN {
  const byRun = new Map<number, ScoredPath[]>();
  for (const p of paths) {
    if (!p.terminal || p.outcome === null) continue;
    const list = byRun.get(p.runId) ?? [];
    list.push(p);
    byRun.set(p.runId, list);
  }
  const runs = [...byRun.values()].filter((list) => list.length >= 2);
  const share = (count: number) => (runs.length ? round(count / runs.length) : null);
  const accuracy = Object.fromEntries(
    AGGREGATIONS.map((how) => {
      let right = 0;
      for (const list of runs) {
        let best = list[0]!;
        let bestScore = aggregate(best.steps.map((s) => s.score), how);
        for (const p of list.slice(1)) {
          const score = aggregate(p.steps.map((s) => s.score), how);
          if (score > bestScore) [best, bestScore] = [p, score];
        }
        if (best.outcome === 'correct') right++;
      }
      return [how, share(right)];
    }),
  ) as Record<PathAggregation, number | null>;
  const oracle = runs.filter((list) => list.some((p) => p.outcome === 'correct')).length;
  const random = runs.reduce((sum, list) => sum + list.filter((p) => p.outcome === 'correct').length / list.length, 0);
  return {
    runs: runs.length,
    meanN: runs.length ? round(runs.reduce((n, list) => n + list.length, 0) / runs.length) : null,
    accuracy,
    oracle: share(oracle),
    random: share(random),
  };
}

/** Thresholds tried when tuning: 0.00, 0.01, ..., 1.00 (PRM scores are probabilities). */
const THRESHOLD_GRID = Array.from({ length: 101 }, (_, i) => i / 100);

/** The threshold with the best ProcessBench F1 on these paths (the lowest among equals), and that F1. */
export function tuneThreshold(paths: readonly ScoredPath[]): { threshold: number; f1: number | null } {
  let best = { threshold: 0.5, f1: null as number | null };
  for (const threshold of THRESHOLD_GRID) {
    const { f1 } = processBench(paths, threshold);
    if (f1 !== null && (best.f1 === null || f1 > best.f1)) best = { threshold, f1 };
  }
  return best;
}
