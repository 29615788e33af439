/**
 * PRMBench (Song et al., 2025): `{original_question, modified_question, original_process[],
 * modified_process[], modified_steps[], error_steps[], reason, classification, idx, question}` per
 * record, step numbers 1-based. The original and the modified process become two branches of one
 * tree that share the steps before the first modification. Following PRMBench's evaluation, every
 * step of the original is right (+1), and on the modified branch the steps in `error_steps` are
 * wrong (-1) and the others right (+1); the labels go in under the reference annotator `prmbench`
 * and as gold labels. The error class (`classification`) and `reason` are kept on the run.
 */
import { z } from 'zod';
import type { ImportMapping } from '../../../common/contract/export';
import type { Rating } from '../../../common/domain';
import { benchmarkTree, firstZodIssue, referenceLabel } from './reference-labels';
import { ImportLineError, jsonObject, type ImportItem, type ImportNode, type ImportParser, type ImportRecord } from './types';

export const PRMBENCH = 'prmbench';

const StepNumbers = z.array(z.number().int().min(1, 'step numbers start at 1'));

export const PrmBenchRecord = z
  .object({
    idx: z.union([z.string(), z.number()]).optional(),
    original_question: z.string().optional(),
    modified_question: z.string().trim().min(1, 'the modified question is empty'),
    question: z.string().optional(),
    original_process: z.array(z.string()).min(1, 'original_process is empty'),
    modified_process: z.array(z.string()).min(1, 'modified_process is empty'),
    modified_steps: StepNumbers.default([]),
    error_steps: StepNumbers,
    reason: z.string().optional(),
    classification: z.string().trim().min(1, 'classification is empty'),
  })
  .refine((r) => r.error_steps.every((s) => s <= r.modified_process.length), {
    message: 'an error step is past the end of modified_process',
    path: ['error_steps'],
  })
  .refine((r) => r.modified_steps.every((s) => s <= r.modified_process.length), {
    message: 'a modified step is past the end of modified_process',
    path: ['modified_steps'],
  });

/** Steps both processes start with, stopping at the first step PRMBench lists as modified. */
function sharedPrefix(original: string[], modified: string[], modifiedSteps: number[]): number {
  const firstModified = modifiedSteps.length ? Math.min(...modifiedSteps) - 1 : Infinity;
  let k = 0;
  while (k < original.length && k < modified.length && k < firstModified && original[k] === modified[k]) k++;
  return k;
}

export function prmBenchTree(record: ImportRecord, mapping: ImportMapping, fileName: string): ImportItem {
  const parsed = PrmBenchRecord.safeParse(jsonObject(record));
  if (!parsed.success) throw new ImportLineError(firstZodIssue(parsed.error));
  const r = parsed.data;
  const errors = new Set(r.error_steps.map((s) => s - 1));
  const shared = sharedPrefix(r.original_process, r.modified_process, r.modified_steps);
  if (shared === r.modified_process.length && shared === r.original_process.length) {
    throw new ImportLineError('original_process and modified_process are the same steps');
  }
  if ([...errors].some((k) => k < shared)) {
    throw new ImportLineError(`error_steps lists a step the original process shares (steps 1-${shared} are identical)`);
  }

  const nodes: ImportNode[] = [{ parent: null, stepText: '' }];
  const ratings = new Map<number, Rating>();
  const addStep = (parent: number, text: string, rating: Rating, terminal: boolean): number => {
    const index = nodes.length;
    nodes.push({ parent, stepText: text, valid: true, isTerminal: terminal, outcome: null, labels: referenceLabel(PRMBENCH, rating) });
    ratings.set(index, rating);
    return index;
  };
  let fork = 0;
  for (let k = 0; k < shared; k++) {
    fork = addStep(fork, r.modified_process[k]!, 1, k === r.modified_process.length - 1 || k === r.original_process.length - 1);
  }
  /** Adds the steps after the fork; returns the branch's last node (its seq in the run). */
  const branch = (steps: string[], rating: (k: number) => Rating): number => {
    let at = fork;
    for (let k = shared; k < steps.length; k++) at = addStep(at, steps[k]!, rating(k), k === steps.length - 1);
    return at;
  };
  const originalLeaf = branch(r.original_process, () => 1);
  const modifiedLeaf = branch(r.modified_process, (k) => (errors.has(k) ? -1 : 1));

  const original = r.original_question ?? r.question;
  return benchmarkTree({
    benchmark: PRMBENCH,
    source: 'PRMBench',
    prompt: r.modified_question,
    mapping,
    policy: 'import:prmbench',
    config: {
      import: { format: PRMBENCH, file: fileName, line: record.line, idx: r.idx ?? null },
      benchmark: {
        name: PRMBENCH,
        classification: r.classification,
        reason: r.reason ?? null,
        errorSteps: r.error_steps,
        modifiedSteps: r.modified_steps,
        sharedSteps: shared,
        // Node seqs of the two paths' last steps: eval-prm scores the modified path per error class.
        originalLeafSeq: originalLeaf,
        modifiedLeafSeq: modifiedLeaf,
        ...(original !== undefined && original !== r.modified_question ? { originalQuestion: original } : {}),
      },
    },
    nodes,
    ratings,
  });
}

export function prmBenchParser(mapping: ImportMapping, fileName: string): ImportParser {
  return { push: (record) => [prmBenchTree(record, mapping, fileName)], finish: () => [] };
}
