/**
 * The active-learning queue as the `n` key uses it: the rules in words, which queued step to go
 * to, and why a rule came back empty.
 */
import type { z } from 'zod';
import type { QueueRule as QueueRuleSchema } from '../../../common/contract/suggest';

export type QueueRule = z.infer<typeof QueueRuleSchema>;
export const QUEUE_RULES: QueueRule[] = ['order', 'uncertainty', 'scorer-vs-mc', 'annotator-disagreement'];

export const RULE_LABELS: Record<QueueRule, string> = {
  order: 'order',
  uncertainty: 'uncertainty',
  'scorer-vs-mc': 'scorer vs MC',
  'annotator-disagreement': 'disagreement',
};

export const RULE_HELP: Record<QueueRule, string> = {
  order: 'Next unlabeled step in this tree, then the next run',
  uncertainty: 'Steps whose scorer probability is closest to 0.5, across runs',
  'scorer-vs-mc': 'Steps where the scorer and the Monte-Carlo estimate differ most, across runs',
  'annotator-disagreement': 'Steps other annotators rated differently, across runs',
};

/** Why a rule found nothing: what it needs that is missing. */
export const RULE_EMPTY: Record<QueueRule, string> = {
  order: 'every step has your label',
  uncertainty: 'no unlabeled step has a scorer label (Auto-label → scorer)',
  'scorer-vs-mc': 'no unlabeled step has both scorer and Monte-Carlo labels',
  'annotator-disagreement': 'no unlabeled step where other annotators disagree',
};

export function nextRule(rule: QueueRule): QueueRule {
  return QUEUE_RULES[(QUEUE_RULES.indexOf(rule) + 1) % QUEUE_RULES.length]!;
}

export interface QueueItem {
  nodeId: number;
  runId: number;
  priority: number;
}

/**
 * The first queued step worth going to: not the one already selected (pressing `n` again moves
 * on), and, in the open run, not one the screen already knows is rated or out of reach (a label
 * still on its way to the server, a step inside a pruned subtree).
 */
export function pickQueueItem(
  items: QueueItem[],
  here: { runId: number; selected: number | null; skip(nodeId: number): boolean },
): QueueItem | null {
  for (const item of items) {
    if (item.nodeId === here.selected) continue;
    if (item.runId === here.runId && here.skip(item.nodeId)) continue;
    return item;
  }
  return null;
}
