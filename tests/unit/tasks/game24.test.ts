import { expect, test } from 'vitest';
import type { Problem } from '../../../common/domain';
import { game24Problem, game24Task, parseTot24Csv } from '../../../main/engine/tasks/game24';
import type { NumbersState } from '../../../main/engine/tasks/numbers-game';

const asProblem = (numbers: number[]): Problem => ({ id: 1, createdAt: '', ...game24Problem(numbers) }) as Problem;

function apply(state: NumbersState, ...steps: string[]): NumbersState {
  for (const step of steps) {
    const r = game24Task.applyStep(state, step);
    if (!r.valid) throw new Error(`${step}: ${r.reason}`);
    state = r.state;
  }
  return state;
}

test("Tree of Thoughts' step format is read and its 'left' list is checked", () => {
  const p = asProblem([4, 5, 6, 10]);
  const s = game24Task.initialState(p);
  const done = apply(s, '10 - 4 = 6 (left: 5 6 6)', '5 * 6 = 30 (left: 6 30)', '30 - 6 = 24 (left: 24)');
  expect(game24Task.outcome(done, p)).toBe('correct');
  const wrongLeft = game24Task.applyStep(s, '10 - 4 = 6 (left: 5 6 7)');
  expect(wrongLeft.valid).toBe(false);
  if (!wrongLeft.valid) expect(wrongLeft.reason).toMatch(/left are 5 6 6/);
  expect(game24Task.applyStep(s, '10 - 4 = 6 (left: five)').valid).toBe(false);
});

test('fractions are allowed along the way: 3 3 8 8 is solvable', () => {
  const p = asProblem([3, 3, 8, 8]);
  const s = game24Task.initialState(p);
  expect(game24Task.exactLabel!(s, p)).toBe(1);
  const done = apply(s, '8/3=8/3', '3-(8/3)=1/3', '8/(1/3)=24');
  expect(game24Task.describe(apply(s, '8/3=8/3'))).toBe('24:[3, 8, 8/3]');
  expect(game24Task.outcome(done, p)).toBe('correct');
  // A rounded decimal stands for the exact fraction, as ToT's models write it.
  const rounded = apply(s, '8 / 3 = 2.67 (left: 3 8 2.67)', '3 - 2.67 = 0.33 (left: 8 0.33)');
  expect(game24Task.describe(rounded)).toBe('24:[8, 1/3]');
  expect(game24Task.legalSteps!(s)).toContain('3/8=3/8');
});

test('a whole-expression answer is checked against the starting numbers', () => {
  const p = asProblem([4, 5, 6, 10]);
  const s = game24Task.initialState(p);
  const ok = apply(s, 'Answer: (5 * (10 - 4)) - 6 = 24');
  expect(game24Task.isTerminal(ok)).toBe(true);
  expect(game24Task.outcome(ok, p)).toBe('correct');
  expect(game24Task.applyStep(s, 'Answer: 5 * 10 - 4 - 6 = 24').valid).toBe(false); // 40, not 24
  expect(game24Task.applyStep(s, 'Answer: 4 * 6 = 24').valid).toBe(false); // skips 5 and 10
  expect(game24Task.applyStep(s, 'Answer: (5 * (10 - 4) - 6').valid).toBe(false);
  const wrong = apply(s, 'Answer: 4 + 5 + 6 + 10');
  expect(game24Task.outcome(wrong, p)).toBe('incorrect');
});

test('unsolvable puzzles are labelled -1 at the root', () => {
  const p = asProblem([1, 1, 1, 1]);
  expect(game24Task.exactLabel!(game24Task.initialState(p), p)).toBe(-1);
});

test("24.csv: Puzzles column, rank kept, bad rows named by line", () => {
  const csv = 'Rank,Puzzles,AMT (s),Solved rate,1-sigma Mean (s),1-sigma STD (s)\n1,1 1 4 6,4.4,99.20%,4.67,1.48\n2,"1 1 11 11",4.4,99.60%,4.68,1.45\n';
  const problems = parseTot24Csv(csv);
  expect(problems.map((q) => q.prompt)).toEqual(['24:[1, 1, 4, 6]', '24:[1, 1, 11, 11]']);
  expect(problems[0]!.metadata).toMatchObject({ rank: 1, solvedRate: '99.20%', numbers: [1, 1, 4, 6], target: 24 });
  expect(() => parseTot24Csv(csv + '3,1 x 4 6,1,1%,1,1\n')).toThrow(/line 4/);
  expect(() => parseTot24Csv('Rank,Numbers\n1,1 2 3 4')).toThrow(/Puzzles/);
});

test('every legal step game24 proposes, fractions included, is accepted back by applyStep', () => {
  const task = game24Task;
  const problem: Problem = { id: 1, task: 'game24', prompt: '24:[5, 3, 9, 1]', goldAnswer: '24', metadata: { numbers: [5, 3, 9, 1], target: 24 }, createdAt: '' };
  let frontier: NumbersState[] = [task.initialState(problem)];
  let checked = 0;
  for (let depth = 0; depth < 2; depth++) {
    const next: NumbersState[] = [];
    for (const state of frontier) {
      for (const step of task.legalSteps!(state)) {
        const applied = task.applyStep(state, step);
        expect(applied.valid, `${task.describe(state)} ${step}`).toBe(true);
        if (applied.valid) next.push(applied.state);
        checked++;
      }
    }
    frontier = next.slice(0, 60);
  }
  expect(checked).toBeGreaterThan(100);
});
