/**
 * PRM evaluation (`metacot eval-prm` and the review screen's PRM panel): run one, and list the
 * stored ones side by side. The figures are those of main/engine/eval/metrics.ts.
 */
import { z } from 'zod';
import { Id } from '../domain';
import { method } from './define';

const Share = z.number().nullable();

export const PrmScoreFigures = z.object({
  tp: z.number().int(),
  fp: z.number().int(),
  tn: z.number().int(),
  fn: z.number().int(),
  f1: Share,
  negativeF1: Share,
  prmScore: Share,
});

export const PrmEvaluationFigures = z.object({
  scorer: z.string(),
  reference: z.enum(['gold', 'human', 'exact']),
  runs: z.number().int(),
  paths: z.number().int(),
  steps: z.number().int(),
  labeledSteps: z.number().int(),
  threshold: z.object({
    value: z.number(),
    tuned: z.object({ fraction: z.number(), runs: z.number().int(), f1: Share }).nullable(),
  }),
  processBench: z.object({
    erroneous: z.number().int(),
    correct: z.number().int(),
    errorAccuracy: Share,
    correctAccuracy: Share,
    f1: Share,
  }),
  stepLevel: PrmScoreFigures.extend({ auc: Share }),
  prmBench: z.object({ overall: PrmScoreFigures, byClass: z.record(z.string(), PrmScoreFigures) }).nullable(),
  bestOfN: z.object({
    runs: z.number().int(),
    meanN: Share,
    accuracy: z.object({ min: Share, last: Share, product: Share }),
    oracle: Share,
    random: Share,
  }),
});
export type PrmEvaluationFigures = z.infer<typeof PrmEvaluationFigures>;

export const StoredPrmEvaluation = z.object({
  id: Id,
  scorer: z.string(),
  reference: z.string(),
  runFilter: z.union([z.literal('finished'), z.array(Id)]),
  threshold: z.number(),
  createdAt: z.string(),
  metrics: PrmEvaluationFigures,
});
export type StoredPrmEvaluation = z.infer<typeof StoredPrmEvaluation>;

export const evalMethods = {
  evaluatePrm: method(
    z.object({
      scorer: z.string().trim().min(1, 'name a scorer').max(2000),
      runIds: z.array(Id).min(1).max(100_000).optional(),
      reference: z.enum(['auto', 'gold', 'human', 'exact']).default('auto'),
      threshold: z.number().min(0).max(1).optional(),
      tuneOn: z.number().gt(0).lt(1).optional(),
    }),
    StoredPrmEvaluation,
    "Scores the runs' steps with a scorer (resuming from stored scores) and measures it: ProcessBench F1, PRMBench PRMScore, ROC AUC, Best-of-N.",
  ),
  listPrmEvaluations: method(
    z.object({ limit: z.number().int().min(1).max(500).default(50) }).default({ limit: 50 }),
    z.object({ evaluations: z.array(StoredPrmEvaluation) }),
    'Stored PRM evaluations, newest first, for comparing scorers side by side.',
  ),
};
