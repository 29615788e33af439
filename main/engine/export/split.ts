/**
 * Train/test assignment by problem: a seeded hash of the problem's task and prompt, so every
 * path, tree and run of one problem lands on the same side, in every export and every database
 * holding that problem.
 */
import { createHash } from 'node:crypto';
import type { ExportSplit } from '../../../common/contract/export';

export type SplitName = 'train' | 'test';

/** A number in [0, 1) fixed by seed, task and prompt. */
export function problemHash(seed: number, task: string, prompt: string): number {
  const digest = createHash('sha256').update(`${seed}\u0000${task}\u0000${prompt}`).digest();
  return digest.readUIntBE(0, 6) / 2 ** 48;
}

export function splitOf(problem: { task: string; prompt: string }, split: ExportSplit): SplitName {
  if (split.testFraction <= 0) return 'train';
  if (split.testFraction >= 1) return 'test';
  return problemHash(split.seed, problem.task, problem.prompt) < split.testFraction ? 'test' : 'train';
}
