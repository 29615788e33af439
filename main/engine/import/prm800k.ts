/**
 * PRM800K labeled solutions as trees: the problem is the root, each step's completions are
 * siblings, and the solution continues with `completions[chosen_completion]` (or the labeler's
 * `human_completion`). Every rating becomes an annotation by the record's labeler, so a team can
 * review or extend the existing labels in the studio.
 */
import { z } from 'zod';
import type { ImportMapping } from '../../../common/contract/export';
import { AnnotatorId, FinishReason, TaskName } from '../../../common/domain';
import { checkedProblem } from './problems';
import { ImportLineError, jsonObject, type ImportItem, type ImportNode, type ImportParser, type ImportRecord } from './types';

const RatingValue = z.union([z.literal(-1), z.literal(0), z.literal(1)]).nullable().optional();

const Completion = z.object({
  text: z.string(),
  rating: RatingValue,
  flagged: z.boolean().nullable().optional(),
});

const Step = z.object({
  completions: z.array(Completion).nullable(),
  human_completion: z.union([z.string(), Completion.partial({ rating: true })]).nullable().optional(),
  chosen_completion: z.number().int().min(0).nullable().optional(),
});

export const Prm800kRecord = z.object({
  labeler: z.string().nullable().optional(),
  timestamp: z.string().nullable().optional(),
  generation: z.number().int().nullable().optional(),
  is_quality_control_question: z.boolean().nullable().optional(),
  is_initial_screening_question: z.boolean().nullable().optional(),
  question: z.object({
    problem: z.string().min(1, 'the problem text is empty'),
    ground_truth_solution: z.string().nullable().optional(),
    ground_truth_answer: z.string().nullable().optional(),
    pre_generated_steps: z.array(z.string()).nullable().optional(),
    pre_generated_answer: z.string().nullable().optional(),
    pre_generated_verifier_score: z.number().nullable().optional(),
  }),
  label: z.object({
    steps: z.array(Step),
    total_time: z.number().nullable().optional(),
    finish_reason: z.string().nullable().optional(),
  }),
  /** Written by the studio's own export: the task of the problem. */
  meta: z.object({ task: TaskName.optional() }).optional(),
});

function firstIssue(error: z.ZodError): string {
  const issue = error.issues[0]!;
  return `${issue.path.join('.') || 'record'}: ${issue.message}`;
}

export function prm800kTree(record: ImportRecord, mapping: ImportMapping, fileName: string): ImportItem {
  const parsed = Prm800kRecord.safeParse(jsonObject(record));
  if (!parsed.success) throw new ImportLineError(firstIssue(parsed.error));
  const r = parsed.data;
  const labeler = AnnotatorId.safeParse(r.labeler ?? 'prm800k');
  if (!labeler.success) throw new ImportLineError(`labeler "${r.labeler}": ${labeler.error.issues[0]!.message}`);
  const annotator = labeler.data;
  const finish = r.label.finish_reason == null ? null : FinishReason.safeParse(r.label.finish_reason);
  if (finish && !finish.success) {
    throw new ImportLineError(`label.finish_reason "${r.label.finish_reason}" is not one of solution, found_error, bad_problem, give_up`);
  }

  const nodes: ImportNode[] = [{ parent: null, stepText: '' }];
  let at = 0;
  let spineEnd = 0;
  let spineLength = 0;
  /** Nodes written from a labeler's own step, so an export gives them back as `human_completion`. */
  const humanCompletions: number[] = [];
  r.label.steps.forEach((step, k) => {
    if (at < 0) return;
    const completions = step.completions ?? [];
    const chosen = step.chosen_completion ?? null;
    if (chosen !== null && chosen >= completions.length) {
      throw new ImportLineError(`label.steps.${k}.chosen_completion is ${chosen} but the step has ${completions.length} completions`);
    }
    const first = nodes.length;
    for (const c of completions) {
      nodes.push({
        parent: at,
        stepText: c.text,
        labels: [{ annotator, rating: c.rating ?? null, flagged: c.flagged ?? false }],
      });
    }
    let next = chosen === null ? -1 : first + chosen;
    const human = step.human_completion;
    if (human !== null && human !== undefined) {
      const h = typeof human === 'string' ? { text: human, rating: 1 as const, flagged: false } : human;
      if (typeof h.text !== 'string') throw new ImportLineError(`label.steps.${k}.human_completion has no text`);
      nodes.push({
        parent: at,
        stepText: h.text,
        // Labelers wrote their own step when every completion was wrong; PRM800K counts it +1.
        labels: [{ annotator, rating: h.rating ?? 1, flagged: h.flagged ?? false, note: 'human completion' }],
      });
      humanCompletions.push(nodes.length - 1);
      if (chosen === null) next = nodes.length - 1;
    }
    at = next;
    if (next >= 0) (spineEnd = next), (spineLength += 1);
  });
  if (nodes.length === 1) throw new ImportLineError('label.steps holds no step');
  // The verifier scored the whole pre-generated solution: the value of its last step, when the
  // labeled spine is that whole solution.
  const score = r.question.pre_generated_verifier_score;
  const solution = r.question.pre_generated_steps;
  if (score != null && spineEnd > 0 && solution && solution.length === spineLength) nodes[spineEnd]!.score = score;

  const q = r.question;
  return {
    kind: 'tree',
    tree: {
      problem: checkedProblem({
        task: mapping.task ?? r.meta?.task ?? 'math',
        prompt: q.problem,
        goldAnswer: q.ground_truth_answer ?? null,
        metadata: { source: 'PRM800K', ...(q.ground_truth_solution ? { reference: q.ground_truth_solution } : {}) },
      }),
      algorithm: 'best-of-n',
      policy: 'import:prm800k',
      config: {
        import: {
          format: 'prm800k',
          file: fileName,
          line: record.line,
          labeler: r.labeler ?? null,
          timestamp: r.timestamp ?? null,
          generation: r.generation ?? null,
          total_time: r.label.total_time ?? null,
          is_initial_screening_question: r.is_initial_screening_question ?? false,
          pre_generated_steps: q.pre_generated_steps ?? null,
          pre_generated_answer: q.pre_generated_answer ?? null,
          pre_generated_verifier_score: q.pre_generated_verifier_score ?? null,
          human_completion_seqs: humanCompletions,
          spine_end_seq: spineEnd,
        },
      },
      finishReason: finish?.success ? finish.data : null,
      qualityControl: r.is_quality_control_question ?? false,
      nodes,
    },
  };
}

export function prm800kParser(mapping: ImportMapping, fileName: string): ImportParser {
  return { push: (record) => [prm800kTree(record, mapping, fileName)], finish: () => [] };
}
