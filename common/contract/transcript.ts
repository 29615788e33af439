/** Long chains of thought as trees: a run's transcript, structure edits, and search statistics. */
import { z } from 'zod';
import { AnnotatorId, Id, Outcome, TaskName } from '../domain';
import { SegmenterName, StepRelation, StepTag } from '../longcot';
import { method } from './define';

export const TranscriptStep = z.object({
  nodeId: Id,
  parentId: Id,
  /** Offset in reasoning + answer: the reading order. */
  start: z.number().int().nonnegative(),
  section: z.enum(['reasoning', 'answer']),
  text: z.string(),
  tag: StepTag,
  relation: StepRelation,
  /** `rules` for the rule-based reader, else the annotator who set the tag. */
  taggedBy: z.string(),
  answer: z.string().nullable(),
  outcome: Outcome.nullable(),
  abandoned: z.boolean(),
});
export type TranscriptStep = z.infer<typeof TranscriptStep>;

export const TranscriptStats = z.object({
  steps: z.number().int(),
  attempts: z.number().int(),
  backtracks: z.number().int(),
  verifications: z.number().int(),
  branches: z.number().int(),
  abandonedBranches: z.number().int(),
  depth: z.number().int(),
  tokensPerBranch: z.array(z.number().int()),
  abandonedSteps: z.number().int(),
  failedStepFraction: z.number(),
  statedAnswers: z.number().int(),
  correctAnswers: z.number().int(),
  finalAnswer: z.string().nullable(),
  finalOutcome: Outcome.nullable(),
  tags: z.partialRecord(StepTag, z.number().int()),
});
export type TranscriptStats = z.infer<typeof TranscriptStats>;

export const Transcript = z.object({
  runId: Id,
  rootId: Id,
  segmenter: SegmenterName,
  shape: z.string(),
  /** The response is prefix + reasoning steps + middle + answer steps + suffix, exactly. */
  prefix: z.string(),
  middle: z.string(),
  suffix: z.string(),
  gold: z.string().nullable(),
  steps: z.array(TranscriptStep),
  stats: TranscriptStats,
});
export type Transcript = z.infer<typeof Transcript>;

export const TranscriptEdit = z.discriminatedUnion('op', [
  /** Split a step at a cursor (characters into its text); the second part continues under the first. */
  z.object({ op: z.literal('split'), nodeId: Id, offset: z.number().int().min(1) }),
  /** Merge a step with the next one in reading order (same section); the next one's children follow. */
  z.object({ op: z.literal('merge'), nodeId: Id }),
  /** Move a step and its subtree under another parent: the root or a step written before it. */
  z.object({ op: z.literal('move'), nodeId: Id, parentId: Id }),
  /** Change a step's function tag and/or its relation. */
  z.object({ op: z.literal('tag'), nodeId: Id, tag: StepTag.optional(), relation: StepRelation.optional() }),
]);
export type TranscriptEdit = z.infer<typeof TranscriptEdit>;

export const CorpusStats = z.object({
  transcripts: z.number().int(),
  steps: z.number().int(),
  meanSteps: z.number(),
  meanAttempts: z.number(),
  meanBacktracks: z.number(),
  meanVerifications: z.number(),
  meanDepth: z.number(),
  meanTokensPerBranch: z.number(),
  failedStepFraction: z.number(),
  meanFailedStepFraction: z.number(),
  checked: z.number().int(),
  correct: z.number().int(),
  tags: z.partialRecord(StepTag, z.number().int()),
});
export type CorpusStats = z.infer<typeof CorpusStats>;

export const transcriptMethods = {
  getTranscript: method(
    z.object({ runId: Id }),
    z.object({ transcript: Transcript.nullable() }),
    "A long-CoT run's transcript: steps in reading order with tags, relations, answers and abandoned branches; null for searched runs.",
  ),
  editTranscript: method(
    z.object({ annotator: AnnotatorId, edit: TranscriptEdit }),
    z.object({ transcript: Transcript }),
    'Splits, merges, moves or retags a transcript step; undoable, in the history, seen live by other annotators.',
  ),
  transcriptStats: method(
    z.object({ runIds: z.array(Id).max(100_000).optional(), task: TaskName.optional() }).default({}),
    z.object({ corpus: CorpusStats, runs: z.array(z.object({ runId: Id, stats: TranscriptStats })) }),
    'Search statistics of transcript trees (attempts, backtracks, verifications, depth, tokens per branch, Failed-Step Fraction), per run and over the corpus.',
  ),
};
