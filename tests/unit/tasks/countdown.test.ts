import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import type { Problem } from '../../../common/domain';
import { countdownProblem, countdownTask, generateCountdownProblems } from '../../../main/engine/tasks/countdown';
import { rat } from '../../../main/engine/tasks/rational';
import type { NumbersState } from '../../../main/engine/tasks/numbers-game';

function problem(numbers: number[], target: number): Problem {
  return { id: 1, createdAt: '', goldAnswer: null, metadata: {}, ...countdownProblem(numbers, target) } as Problem;
}

function apply(state: NumbersState, ...steps: string[]): NumbersState {
  for (const step of steps) {
    const r = countdownTask.applyStep(state, step);
    if (!r.valid) throw new Error(r.reason);
    state = r.state;
  }
  return state;
}

/** Brute force by a different route: every value of every binary expression over a partition. */
function bruteValues(nums: number[]): Set<number> {
  if (nums.length === 1) return new Set(nums);
  const out = new Set<number>();
  const n = nums.length;
  for (let mask = 1; mask < (1 << n) - 1; mask++) {
    if (!(mask & 1)) continue; // each unordered split once
    const left = nums.filter((_, i) => mask & (1 << i));
    const right = nums.filter((_, i) => !(mask & (1 << i)));
    for (const a of bruteValues(left)) {
      for (const b of bruteValues(right)) {
        out.add(a + b);
        out.add(a * b);
        out.add(Math.abs(a - b));
        const [big, small] = a >= b ? [a, b] : [b, a];
        if (small !== 0 && big % small === 0) out.add(big / small);
      }
    }
  }
  return out;
}

describe('countdown', () => {
  const p = problem([4, 9, 3], 24);

  test('prompt, initial state and describe use the Stream of Search form', () => {
    expect(p.prompt).toBe('24:[4, 9, 3]');
    expect(countdownTask.prompt(p)).toBe('24:[4, 9, 3]\n');
    const s = countdownTask.initialState(p);
    expect(countdownTask.describe(apply(s, '9*3=27'))).toBe('24:[4, 27]');
    expect(countdownTask.describe(apply(s, '9-3=6'))).toBe('24:[4, 6]');
  });

  test('a solving path ends terminal and correct, a wrong one terminal and incorrect', () => {
    const s = countdownTask.initialState(p);
    const win = apply(s, '9-3=6', '4*6=24');
    expect(countdownTask.isTerminal(win)).toBe(true);
    expect(countdownTask.outcome(win, p)).toBe('correct');
    const lose = apply(s, '9*3=27', '27-4=23');
    expect(countdownTask.isTerminal(lose)).toBe(true);
    expect(countdownTask.outcome(lose, p)).toBe('incorrect');
    expect(countdownTask.isTerminal(s)).toBe(false);
  });

  test('invalid steps are marked, never thrown', () => {
    const s = countdownTask.initialState(p);
    const cases: [string, RegExp][] = [
      ['9*3=26', /is 27, not 26/],
      ['3-9=-6', /smaller number from the larger/],
      ['9/4=2', /not exact/],
      ['5+4=9', /5 is not among/],
      ['4+4=8', /4 is not among/],
      ['hello', /expected one operation/],
      ['', /expected one operation/],
      ['9*3', /expected one operation/],
      ['9*3=27=27', /expected one operation/],
      ['3/0=0', /not among|division by zero/],
    ];
    for (const [step, why] of cases) {
      const r = countdownTask.applyStep(s, step);
      expect(r.valid, step).toBe(false);
      if (!r.valid) expect(r.reason, step).toMatch(why);
    }
    const done = apply(s, '9-3=6', '4*6=24');
    expect(countdownTask.applyStep(done, '24+1=25').valid).toBe(false);
  });

  test('spacing and unicode operators are read; duplicates are used once each', () => {
    const s = countdownTask.initialState(problem([3, 3, 8], 14));
    expect(countdownTask.describe(apply(s, ' 3 × 3 = 9 '))).toBe('14:[8, 9]');
    expect(countdownTask.describe(apply(s, '3+3=6'))).toBe('14:[8, 6]');
    expect(countdownTask.describe(apply(s, '8 − 3 = 5'))).toBe('14:[3, 5]');
  });

  test('legal steps follow Stream of Search order, deduplicated, and all apply', () => {
    const s = countdownTask.initialState(p);
    const steps = countdownTask.legalSteps!(s);
    expect(steps.slice(0, 4)).toEqual(['4+9=13', '4*9=36', '9-4=5', '4+3=7']);
    expect(steps).toContain('9/3=3');
    expect(steps).not.toContain('4/3=1');
    for (const step of steps) expect(countdownTask.applyStep(s, step).valid).toBe(true);
    expect(new Set(steps).size).toBe(steps.length);
    expect(countdownTask.legalSteps!(countdownTask.initialState(problem([2, 2, 2], 8)))).toEqual([
      '2+2=4',
      '2*2=4',
      '2-2=0',
      '2/2=1',
    ]);
  });

  test('exact labels: +1 while the target is reachable, -1 for dead ends', () => {
    const s = countdownTask.initialState(p);
    expect(countdownTask.exactLabel!(s, p)).toBe(1);
    expect(countdownTask.exactLabel!(apply(s, '9-3=6'), p)).toBe(1);
    expect(countdownTask.exactLabel!(apply(s, '4+9=13'), p)).toBe(-1);
    expect(countdownTask.exactLabel!(apply(s, '9-3=6', '4*6=24'), p)).toBe(1);
    expect(countdownTask.exactLabel!(apply(s, '9-3=6', '4+6=10'), p)).toBe(-1);
  });

  test('the solver agrees with brute force on small puzzles', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 13 }), { minLength: 1, maxLength: 4 }),
        fc.integer({ min: 0, max: 60 }),
        (nums, target) => {
          const solver = countdownTask.solver(target);
          expect(solver.solvable(nums.map((n) => rat(n)))).toBe(bruteValues(nums).has(target));
        },
      ),
      { numRuns: 300, seed: 7 },
    );
  });

  test('solutions the solver returns replay to the target', () => {
    for (const q of generateCountdownProblems(20, { seed: 3, numbers: 5 })) {
      const pr = { id: 1, createdAt: '', ...q } as Problem;
      const state = countdownTask.initialState(pr);
      const steps = countdownTask.solver(state.target).solve(state.numbers)!;
      expect(steps).toHaveLength(4);
      expect(countdownTask.outcome(apply(state, ...steps), pr)).toBe('correct');
    }
  });

  test('the generator is seeded, solvable, distinct and inside its ranges', () => {
    const a = generateCountdownProblems(30, { seed: 11, numbers: 4, targetMin: 20, targetMax: 60 });
    const b = generateCountdownProblems(30, { seed: 11, numbers: 4, targetMin: 20, targetMax: 60 });
    const c = generateCountdownProblems(30, { seed: 12, numbers: 4, targetMin: 20, targetMax: 60 });
    expect(a).toEqual(b);
    expect(a).not.toEqual(c);
    expect(new Set(a.map((q) => q.prompt)).size).toBe(30);
    for (const q of a) {
      const { numbers, target } = q.metadata as { numbers: number[]; target: number };
      expect(numbers).toHaveLength(4);
      expect(target).toBeGreaterThanOrEqual(20);
      expect(target).toBeLessThanOrEqual(60);
      expect(bruteValues(numbers).has(target)).toBe(true);
    }
    for (const n of [3, 6]) expect(generateCountdownProblems(2, { seed: 1, numbers: n })[0]!.metadata!.numbers).toHaveLength(n);
    expect(() => generateCountdownProblems(1, { numbers: 7 })).toThrow(/3 to 6/);
    expect(() => generateCountdownProblems(1, { targetMin: 50, targetMax: 10 })).toThrow(/targetMin/);
  });

  test('malformed problems fail with a message naming the problem', () => {
    const bad = { ...p, id: 42, prompt: 'make 24', metadata: { numbers: [1, 'x'], target: 24 } };
    expect(() => countdownTask.initialState(bad)).toThrow(/Problem 42/);
    const fromPrompt = { ...p, metadata: {} };
    expect(countdownTask.describe(countdownTask.initialState(fromPrompt))).toBe('24:[4, 9, 3]');
  });
});
