/**
 * Long chains of thought as trees: the names shared by the engine, the contract and the studio.
 * Tags are the Thought Anchors taxonomy; relations are LCoT2Tree's four.
 */
import { z } from 'zod';

export const STEP_TAGS = [
  'problem_setup',
  'plan_generation',
  'fact_retrieval',
  'active_computation',
  'result_consolidation',
  'uncertainty_management',
  'self_checking',
  'final_answer_emission',
] as const;
export const StepTag = z.enum(STEP_TAGS);
export type StepTag = z.infer<typeof StepTag>;

export const STEP_RELATIONS = ['continue', 'explore', 'backtrack', 'verify'] as const;
export const StepRelation = z.enum(STEP_RELATIONS);
export type StepRelation = z.infer<typeof StepRelation>;

export const SEGMENTER_NAMES = ['paragraph', 'sentence', 'discourse'] as const;
export const SegmenterName = z.enum(SEGMENTER_NAMES);
export type SegmenterName = z.infer<typeof SegmenterName>;

/** Record fields an import may rename (`--field reasoning=my_column`). */
export const LONG_COT_FIELDS = ['problem', 'reasoning', 'answer', 'gold', 'messages', 'generations', 'response'] as const;
export const LongCotField = z.enum(LONG_COT_FIELDS);
export type LongCotField = z.infer<typeof LongCotField>;

export const LongCotImportOptions = z.object({
  segment: SegmenterName.default('discourse'),
  fields: z.partialRecord(LongCotField, z.string().min(1).max(200)).default({}),
});
export type LongCotImportOptions = z.infer<typeof LongCotImportOptions>;
