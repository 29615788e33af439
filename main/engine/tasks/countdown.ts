/**
 * Countdown in the Stream of Search setting: integers only, exact division, larger-first
 * subtraction, every number used once. Includes the seeded problem generator.
 */
import { z } from 'zod';
import type { NewProblem } from '../../../common/domain';
import { createNumbersTask, formatStateLine } from './numbers-task';
import { rat } from './rational';
import { Random } from './random';

export const countdownTask = createNumbersTask('countdown', { fractions: false });

export const CountdownGenOptions = z
  .object({
    /** Difficulty: how many numbers a puzzle starts with. */
    numbers: z.number().int().min(3, 'use 3 to 6 numbers').max(6, 'use 3 to 6 numbers').default(4),
    numberMin: z.number().int().min(1).max(1000).default(1),
    numberMax: z.number().int().min(1).max(1000).default(50),
    targetMin: z.number().int().min(1).max(100_000).default(10),
    targetMax: z.number().int().min(1).max(100_000).default(100),
    seed: z.number().int().default(0),
  })
  .refine((o) => o.numberMin <= o.numberMax, { message: 'numberMin must not exceed numberMax', path: ['numberMin'] })
  .refine((o) => o.targetMin <= o.targetMax, { message: 'targetMin must not exceed targetMax', path: ['targetMin'] });
export type CountdownGenOptions = z.input<typeof CountdownGenOptions>;

export function countdownProblem(numbers: readonly number[], target: number): NewProblem {
  return {
    task: 'countdown',
    prompt: formatStateLine(numbers, target),
    goldAnswer: String(target),
    metadata: { numbers: [...numbers], target },
  };
}

const ATTEMPTS_PER_PROBLEM = 5000;

/**
 * `size` distinct solvable puzzles: numbers drawn uniformly from the range, the target drawn
 * uniformly from its range and kept only when the exact solver can reach it.
 */
export function generateCountdownProblems(size: number, options: CountdownGenOptions = {}): NewProblem[] {
  const o = CountdownGenOptions.parse(options);
  if (!Number.isInteger(size) || size < 0) throw new RangeError(`problem count must be a whole number, got ${size}`);
  const random = new Random(o.seed);
  const seen = new Set<string>();
  const problems: NewProblem[] = [];
  while (problems.length < size) {
    let found = false;
    for (let attempt = 0; attempt < ATTEMPTS_PER_PROBLEM && !found; attempt++) {
      const numbers = Array.from({ length: o.numbers }, () => random.int(o.numberMin, o.numberMax));
      const target = random.int(o.targetMin, o.targetMax);
      const key = `${target}:${[...numbers].sort((a, b) => a - b).join(',')}`;
      if (seen.has(key)) continue;
      if (!countdownTask.solver(target).solvable(numbers.map((n) => rat(n)))) continue;
      seen.add(key);
      problems.push(countdownProblem(numbers, target));
      found = true;
    }
    if (!found) {
      throw new RangeError(
        `found no new solvable countdown puzzle with ${o.numbers} numbers in [${o.numberMin}, ${o.numberMax}] ` +
          `and a target in [${o.targetMin}, ${o.targetMax}] after ${ATTEMPTS_PER_PROBLEM} tries`,
      );
    }
  }
  return problems;
}
