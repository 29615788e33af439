/** Automatic labels shown as suggestions, accepting them, and the active-learning queue. */
import { z } from 'zod';
import { AnnotatorId, Id, Rating } from '../domain';
import { method } from './define';

export const AutoSource = z.enum(['mc', 'first-error', 'exact', 'scorer', 'import']);
export const AutoLabel = z.object({
  nodeId: Id,
  source: AutoSource,
  label: Rating.nullable(),
  value: z.number().nullable(),
  rollouts: z.number().int().nullable(),
  model: z.string().nullable(),
});
export type AutoLabel = z.infer<typeof AutoLabel>;
export const QueueRule = z.enum(['order', 'uncertainty', 'scorer-vs-mc', 'annotator-disagreement']);

export const suggestMethods = {
  listAutoLabels: method(z.object({ runId: Id }), z.object({ labels: z.array(AutoLabel) }), "A run's automatic labels (suggestions), every source."),
  autolabel: method(
    z.object({
      runId: Id,
      method: z.enum(['mc', 'first-error', 'exact', 'scorer']),
      /** Policy for rollouts (default: the run's own policy). */
      policy: z.string().min(1).max(2000).optional(),
      /** Scorer for method "scorer" (default: the run's scorer). */
      scorer: z.string().min(1).max(2000).optional(),
      rollouts: z.number().int().min(1).max(256).default(8),
      nodeIds: z.array(Id).max(100_000).optional(),
    }),
    z.object({ labeled: z.number().int(), batches: z.number().int().optional() }),
    'Computes automatic labels for a run (Monte-Carlo, first-error search, exact, scorer); never touches human labels.',
  ),
  acceptSuggestions: method(
    z.object({ annotator: AnnotatorId, source: AutoSource, nodeIds: z.array(Id).min(1).max(10_000) }),
    z.object({ accepted: z.number().int(), skipped: z.number().int() }),
    "Copies a source's suggestions into this annotator's labels as one action (one undo takes all of them back); steps already rated are skipped.",
  ),
  nextToLabel: method(
    z.object({ annotator: AnnotatorId, rule: QueueRule.default('order'), runId: Id.optional(), limit: z.number().int().min(1).max(500).default(1) }),
    z.object({ items: z.array(z.object({ nodeId: Id, runId: Id, priority: z.number() })) }),
    'The next steps this annotator should label, by the chosen active-learning rule.',
  ),
};
