/**
 * One PRM evaluation: score the runs' steps with the scorer (resumable, step-scores.ts), read the
 * reference labels (reference.ts), turn every root-to-leaf path into a scored, labeled path, and
 * compute the metrics (metrics.ts) at a given threshold or one tuned on a held-out share of the
 * runs. The result is stored under the scorer's name so evaluations compare side by side.
 */
import type { Rating } from '../../../common/domain';
import { defaultProviders } from '../providers';
import type { Policy, Scorer } from '../providers/types';
import type { Store } from '../store/store';
import { hash32 } from '../tasks/random';
import { getTask } from '../tasks/registry';
import { bestOfN, prmScore, processBench, rocAuc, stepCounts, tuneThreshold, type BestOfN, type PrmScore, type ProcessBenchMetrics, type ScoredPath } from './metrics';
import { referenceLabels, type Reference, type ReferenceChoice } from './reference';
import { scoreRuns, type ScoreProgress } from './step-scores';

export interface EvalOptions extends ScoreProgress {
  /** A scorer name as `metacot search --scorer` takes it. */
  scorer: string;
  /** Runs to evaluate; every finished run when left out. */
  runIds?: readonly number[];
  reference?: ReferenceChoice;
  /** The score below which a step counts as wrong (default 0.5). */
  threshold?: number;
  /** Tune the threshold on this share of the runs (by a hash of the run id) and report the rest. */
  tuneOn?: number;
  /** For scorers that roll out a policy: the policy to use (default: none). */
  policy?: string;
}

export interface EvalResult {
  id: number;
  scorer: string;
  reference: Reference;
  runs: number;
  paths: number;
  steps: number;
  labeledSteps: number;
  threshold: { value: number; tuned: { fraction: number; runs: number; f1: number | null } | null };
  processBench: ProcessBenchMetrics;
  stepLevel: { auc: number | null } & PrmScore;
  prmBench: { overall: PrmScore; byClass: Record<string, PrmScore> } | null;
  bestOfN: BestOfN;
}

/** Thrown for an evaluation that cannot run as asked; the message says why. */
export class EvalInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'EvalInputError';
  }
}

function finishedRuns(store: Store): number[] {
  return store.runs.idsWithStatus(['done', 'cancelled', 'interrupted']);
}

/** A policy for scorers that need none; one that does gets a clear error instead of a silent guess. */
function noPolicy(scorer: string): Policy {
  return {
    name: 'none',
    propose: () => Promise.reject(new EvalInputError(`scorer ${scorer} rolls out a policy; name one with --policy`)),
  };
}

interface RunMeta {
  modifiedLeafSeq?: number;
  classification?: string;
}

function prmBenchMeta(config: Record<string, unknown>): RunMeta {
  const b = config.benchmark as Record<string, unknown> | undefined;
  if (!b || b.name !== 'prmbench' || typeof b.classification !== 'string' || typeof b.modifiedLeafSeq !== 'number') return {};
  return { modifiedLeafSeq: b.modifiedLeafSeq, classification: b.classification };
}

/** Every root-to-leaf path of the runs, with its steps' scores and reference labels. */
function scoredPaths(store: Store, runIds: readonly number[], scores: Map<number, number>, labels: Map<number, Rating>): ScoredPath[] {
  const out: ScoredPath[] = [];
  for (const runId of runIds) {
    const run = store.runs.get(runId);
    const meta = prmBenchMeta(run.config);
    const nodes = store.nodes.forRun(runId);
    const byId = new Map(nodes.map((n) => [n.id, n]));
    const hasChild = new Set(nodes.map((n) => n.parentId).filter((id): id is number => id !== null));
    for (const leaf of nodes) {
      if (leaf.parentId === null || hasChild.has(leaf.id)) continue;
      const line = [];
      for (let n = leaf; n.parentId !== null; n = byId.get(n.parentId)!) line.push(n);
      line.reverse();
      out.push({
        runId,
        leafNodeId: leaf.id,
        steps: line.map((n) => ({ nodeId: n.id, reference: labels.get(n.id) ?? null, score: scores.get(n.id)! })),
        outcome: leaf.isTerminal ? leaf.outcome : null,
        terminal: leaf.isTerminal,
        ...(meta.modifiedLeafSeq === leaf.seq ? { errorClass: meta.classification } : {}),
      });
    }
  }
  return out;
}

/** Each labeled step once, however many paths pass through it. */
function distinctSteps(paths: readonly ScoredPath[]) {
  const seen = new Map<number, ScoredPath['steps'][number]>();
  for (const p of paths) for (const s of p.steps) seen.set(s.nodeId, s);
  return [...seen.values()];
}

function prmBenchByClass(paths: readonly ScoredPath[], threshold: number): EvalResult['prmBench'] {
  const modified = paths.filter((p) => p.errorClass !== undefined);
  if (!modified.length) return null;
  const classes = [...new Set(modified.map((p) => p.errorClass!))].sort();
  return {
    overall: prmScore(stepCounts(modified.flatMap((p) => p.steps), threshold)),
    byClass: Object.fromEntries(classes.map((c) => [c, prmScore(stepCounts(modified.filter((p) => p.errorClass === c).flatMap((p) => p.steps), threshold))])),
  };
}

/** Whether a run falls in the tuning share: a fixed hash of its id, so a rerun splits the same way. */
const inTuningShare = (runId: number, fraction: number) => hash32(runId, 'eval-prm-tune') / 2 ** 32 < fraction;

export async function evaluatePrm(store: Store, options: EvalOptions): Promise<EvalResult> {
  if (options.tuneOn !== undefined && !(options.tuneOn > 0 && options.tuneOn < 1)) {
    throw new EvalInputError(`--tune-on is a fraction between 0 and 1 (exclusive), not ${options.tuneOn}`);
  }
  if (options.threshold !== undefined && !(options.threshold >= 0 && options.threshold <= 1)) {
    throw new EvalInputError(`--threshold is between 0 and 1, not ${options.threshold}`);
  }
  const runIds = options.runIds ?? finishedRuns(store);
  if (!runIds.length) throw new EvalInputError('no runs to evaluate');
  for (const id of runIds) store.runs.get(id); // a missing run is a clear error before any scoring

  const { reference, labels } = referenceLabels(store, runIds, options.reference ?? 'auto');
  if (!labels.size) throw new EvalInputError(`the runs have no ${reference} step labels to measure the scorer against`);

  const scorers = new Map<string, Scorer>();
  const scorerFor = async (taskName: string) => {
    let scorer = scorers.get(taskName);
    if (!scorer) {
      const task = getTask(taskName);
      const policy = options.policy ? await defaultProviders().createPolicy(options.policy, { task, seed: 0 }) : noPolicy(options.scorer);
      scorer = await defaultProviders().createScorer(options.scorer, { task, seed: 0, policy });
      scorers.set(taskName, scorer);
    }
    return scorer;
  };
  let scores: Map<number, number>;
  try {
    scores = await scoreRuns(store, options.scorer, runIds, scorerFor, options);
  } finally {
    for (const s of scorers.values()) await s.close?.();
  }

  const all = scoredPaths(store, runIds, scores, labels);
  let threshold = options.threshold ?? 0.5;
  let tuned: EvalResult['threshold']['tuned'] = null;
  let measured = all;
  if (options.tuneOn !== undefined) {
    const fraction = options.tuneOn;
    const tuning = all.filter((p) => inTuningShare(p.runId, fraction));
    measured = all.filter((p) => !inTuningShare(p.runId, fraction));
    if (!tuning.length || !measured.length) {
      throw new EvalInputError(`--tune-on ${fraction} leaves ${tuning.length ? 'no run to measure' : 'no run to tune on'}; use more runs or another fraction`);
    }
    const best = tuneThreshold(tuning);
    threshold = best.threshold;
    tuned = { fraction, runs: new Set(tuning.map((p) => p.runId)).size, f1: best.f1 };
  }
  const steps = distinctSteps(measured);
  const result: Omit<EvalResult, 'id'> = {
    scorer: options.scorer,
    reference,
    runs: new Set(measured.map((p) => p.runId)).size,
    paths: measured.length,
    steps: steps.length,
    labeledSteps: steps.filter((s) => s.reference !== null).length,
    threshold: { value: threshold, tuned },
    processBench: processBench(measured, threshold),
    stepLevel: { auc: rocAuc(steps), ...prmScore(stepCounts(steps, threshold)) },
    prmBench: prmBenchByClass(measured, threshold),
    bestOfN: bestOfN(measured),
  };
  const id = store.prmEvaluations.save({ scorer: options.scorer, reference, runFilter: options.runIds ?? 'finished', threshold, metrics: result });
  return { id, ...result };
}

export interface StoredEvaluation {
  id: number;
  scorer: string;
  reference: string;
  runFilter: 'finished' | number[];
  threshold: number;
  createdAt: string;
  metrics: Omit<EvalResult, 'id'>;
}

/** Stored evaluations, newest first: several PRMs side by side. */
export function listEvaluations(store: Store, limit = 50): StoredEvaluation[] {
  return store.prmEvaluations.list(limit) as StoredEvaluation[];
}

/** One stored evaluation by id. */
export function getEvaluation(store: Store, id: number): StoredEvaluation {
  const row = store.prmEvaluations.get(id);
  if (!row) throw new EvalInputError(`no stored PRM evaluation ${id}`);
  return row as StoredEvaluation;
}
