/** Review: agreement statistics, disagreements and adjudication, quality-control gold labels. */
import { z } from 'zod';
import { AnnotatorId, Id, Rating, TaskName } from '../domain';
import { method } from './define';

const Counts = z.object({ '-1': z.number().int(), '0': z.number().int(), '1': z.number().int() });
const Scope = z.object({ task: TaskName.optional(), runId: Id.optional() });

export const AgreementReport = z.object({
  scope: Scope,
  items: z.number().int(),
  multiplyLabeled: z.number().int(),
  annotators: z.array(z.string()),
  pairwiseCohen: z.array(z.object({ a: z.string(), b: z.string(), items: z.number().int(), kappa: z.number().nullable() })),
  fleissKappa: z.number().nullable(),
  krippendorffAlphaNominal: z.number().nullable(),
  krippendorffAlphaInterval: z.number().nullable(),
  labelCounts: Counts,
  perAnnotator: z.array(
    z.object({
      annotator: z.string(),
      labeled: z.number().int(),
      counts: Counts,
      goldItems: z.number().int(),
      goldAccuracy: z.number().nullable(),
      secondsPerStep: z.number().nullable(),
    }),
  ),
});
export type AgreementReport = z.infer<typeof AgreementReport>;

export const reviewMethods = {
  agreement: method(
    Scope.default({}),
    z.object({ overall: AgreementReport, byTask: z.array(AgreementReport) }),
    "Cohen's kappa per pair, Fleiss' kappa, Krippendorff's alpha, label balance, gold accuracy and pace, overall and per task.",
  ),
  listDisagreements: method(
    Scope.extend({ limit: z.number().int().min(1).max(1000).default(200) }).default({ limit: 200 }),
    z.object({
      items: z.array(
        z.object({
          nodeId: Id,
          runId: Id,
          /** The step's number in its tree, as the studio shows it (#seq). */
          seq: z.number().int().nonnegative(),
          stepText: z.string(),
          labels: z.array(z.object({ annotator: z.string(), rating: Rating })),
          adjudicated: Rating.nullable(),
        }),
      ),
    }),
    'Steps where annotators disagree, with any adjudicated label.',
  ),
  adjudicate: method(
    z.object({ nodeId: Id, reviewer: AnnotatorId, rating: Rating.nullable(), note: z.string().max(20_000).default('') }),
    z.object({ nodeId: Id, rating: Rating.nullable() }),
    "Sets (or clears) a reviewer's final label for a step, which exports use when asked.",
  ),
  setGold: method(
    z.object({ nodeId: Id, setBy: AnnotatorId, rating: Rating.nullable() }),
    z.object({ nodeId: Id, rating: Rating.nullable() }),
    'Marks a step as a quality-control question with a gold label (or clears it).',
  ),
  reviewLabels: method(
    z.object({ runId: Id }),
    z.object({
      gold: z.array(z.object({ nodeId: Id, rating: Rating, setBy: z.string() })),
      adjudications: z.array(z.object({ nodeId: Id, rating: Rating, reviewer: z.string(), note: z.string() })),
    }),
    "A run's quality-control gold labels and adjudicated final labels (what the studio shows on a step).",
  ),
  goldFromExactLabels: method(
    z.object({ runId: Id }),
    z.object({ runId: Id, goldSteps: z.number().int() }),
    "Uses a run's exact solver labels (countdown, game24) as its gold labels.",
  ),
};
