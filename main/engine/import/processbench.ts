/**
 * ProcessBench (Qwen, 2024): `{id, generator, problem, steps[], final_answer_correct, label}` per
 * record, `label` the 0-based index of the first wrong step or -1 when every step is right. Each
 * record becomes one linear tree: steps before the first error +1, the first error -1, later steps
 * unlabeled (ProcessBench says nothing about them), under the reference annotator `processbench`
 * and as gold labels. The final answer's correctness is the last step's outcome.
 */
import { z } from 'zod';
import type { ImportMapping } from '../../../common/contract/export';
import type { Rating } from '../../../common/domain';
import { benchmarkTree, firstZodIssue, referenceLabel } from './reference-labels';
import { ImportLineError, jsonObject, type ImportItem, type ImportNode, type ImportParser, type ImportRecord } from './types';

export const PROCESSBENCH = 'processbench';

export const ProcessBenchRecord = z
  .object({
    id: z.union([z.string(), z.number()]).optional(),
    generator: z.string().optional(),
    problem: z.string().trim().min(1, 'the problem text is empty'),
    steps: z.array(z.string()).min(1, 'steps is empty'),
    final_answer_correct: z.boolean().optional(),
    label: z.number().int().min(-1, 'label is the index of the first wrong step, or -1'),
  })
  .refine((r) => r.label < r.steps.length, { message: 'label points past the last step', path: ['label'] });

export function processBenchTree(record: ImportRecord, mapping: ImportMapping, fileName: string): ImportItem {
  const parsed = ProcessBenchRecord.safeParse(jsonObject(record));
  if (!parsed.success) throw new ImportLineError(firstZodIssue(parsed.error));
  const r = parsed.data;
  const ratings = new Map<number, Rating>();
  const last = r.steps.length;
  const nodes: ImportNode[] = [{ parent: null, stepText: '' }];
  r.steps.forEach((text, k) => {
    const rating: Rating | null = r.label === -1 || k < r.label ? 1 : k === r.label ? -1 : null;
    const index = nodes.length;
    if (rating !== null) ratings.set(index, rating);
    nodes.push({
      parent: index - 1,
      stepText: text,
      // The file says what each step is: the task's own rules must not end the path early.
      valid: true,
      isTerminal: k === last - 1,
      outcome: k === last - 1 && r.final_answer_correct !== undefined ? (r.final_answer_correct ? 'correct' : 'incorrect') : null,
      labels: rating === null ? [] : referenceLabel(PROCESSBENCH, rating),
    });
  });
  return benchmarkTree({
    benchmark: PROCESSBENCH,
    source: 'ProcessBench',
    prompt: r.problem,
    mapping,
    policy: r.generator ? `import:processbench:${r.generator}` : 'import:processbench',
    config: {
      import: { format: PROCESSBENCH, file: fileName, line: record.line, id: r.id ?? null, generator: r.generator ?? null },
      benchmark: { name: PROCESSBENCH, firstErrorStep: r.label, finalAnswerCorrect: r.final_answer_correct ?? null },
    },
    nodes,
    ratings,
  });
}

export function processBenchParser(mapping: ImportMapping, fileName: string): ImportParser {
  return { push: (record) => [processBenchTree(record, mapping, fileName)], finish: () => [] };
}
