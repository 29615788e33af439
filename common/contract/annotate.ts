/** Labeling, pruning, branch ratings, finish reasons, guidelines, undo and redo. */
import { z } from 'zod';
import { AnnotatorId, Annotation, BranchRating, FinishReason, HistoryEntry, Id, Rating } from '../domain';
import { method } from './define';

const NOTE = z.string().max(20_000, 'note is at most 20,000 characters');
/** What an undo or redo appended: every history row, oldest first, and the last one (null: nothing to do). */
const REPLAYED = z.object({ entry: HistoryEntry.nullable(), entries: z.array(HistoryEntry) });

export const annotateMethods = {
  setLabel: method(
    z
      .object({
        nodeId: Id,
        annotator: AnnotatorId,
        rating: Rating.nullable().optional(),
        flagged: z.boolean().optional(),
        note: NOTE.optional(),
      })
      .refine((v) => v.rating !== undefined || v.flagged !== undefined || v.note !== undefined, {
        message: 'give at least one of rating, flagged, note',
      }),
    Annotation,
    "Sets this annotator's rating, flag or note on a step (fields left out stay as they are).",
  ),
  setPruned: method(
    z.object({ nodeId: Id, annotator: AnnotatorId, pruned: z.boolean() }),
    z.object({ nodeId: Id, pruned: z.boolean() }),
    'Prunes or unprunes the subtree under a node (a flag; nothing is deleted).',
  ),
  rateBranch: method(
    z
      .object({
        leafNodeId: Id,
        annotator: AnnotatorId,
        score: z.number().int().min(1).max(5).nullable().optional(),
        preferred: z.boolean().optional(),
        note: NOTE.optional(),
      })
      .refine((v) => v.score !== undefined || v.preferred !== undefined || v.note !== undefined, {
        message: 'give at least one of score, preferred, note',
      }),
    BranchRating,
    'Rates the branch ending at a leaf 1-5, or marks it preferred among its siblings.',
  ),
  setFinishReason: method(
    z.object({ runId: Id, annotator: AnnotatorId, reason: FinishReason.nullable() }),
    z.object({ runId: Id, reason: FinishReason.nullable() }),
    "Sets a tree's finish reason (solution, found_error, bad_problem, give_up).",
  ),
  undo: method(
    z.object({ annotator: AnnotatorId }),
    REPLAYED,
    "Reverts this annotator's latest action (labels, prunes, ratings, finish reasons); an accepted batch of suggestions is one action.",
  ),
  redo: method(
    z.object({ annotator: AnnotatorId }),
    REPLAYED,
    "Re-applies this annotator's latest undone action (a whole batch at once).",
  ),
  listHistory: method(
    z.object({ runId: Id, limit: z.number().int().min(1).max(1000).default(200) }),
    z.object({ entries: z.array(HistoryEntry) }),
    "A run's change history, newest first.",
  ),
  getGuidelines: method(z.object({}).default({}), z.object({ markdown: z.string() }), 'The labeling guidelines.'),
  setGuidelines: method(
    z.object({ markdown: z.string().max(1_000_000), annotator: AnnotatorId }),
    z.object({ markdown: z.string() }),
    'Replaces the labeling guidelines (Markdown).',
  ),
};
