import { expect, test } from 'vitest';
import type { Problem } from '../../../common/domain';
import { createMathTask, mathTask } from '../../../main/engine/tasks/math';
import {
  answersEqual,
  extractBoxed,
  extractGoldAnswer,
  extractStatedAnswer,
} from '../../../main/engine/tasks/math-answer';

const problem = (goldAnswer: string | null): Problem => ({
  id: 1,
  task: 'math',
  prompt: 'Janet has 16 eggs...',
  goldAnswer,
  metadata: {},
  createdAt: '',
});

test('gold answers: GSM8K ####, MATH \\boxed{} with nested braces, plain text', () => {
  expect(extractGoldAnswer('She sells 16-3-4=<<16-3-4=9>>9 eggs.\n#### 18')).toBe('18');
  expect(extractGoldAnswer('So the answer is $\\boxed{\\frac{1}{2}}$.')).toBe('\\frac{1}{2}');
  expect(extractBoxed('\\boxed{a} then \\boxed{\\sqrt{2}+1}')).toBe('\\sqrt{2}+1');
  expect(extractBoxed('\\boxed 5')).toBe('5');
  expect(extractBoxed('\\boxed{unclosed')).toBeNull();
  expect(extractGoldAnswer('  42 ')).toBe('42');
});

test('stated answers end a path; other steps do not', () => {
  expect(extractStatedAnswer('The answer is 18.')).toBe('18');
  expect(extractStatedAnswer('#### 1,000')).toBe('1,000');
  expect(extractStatedAnswer('Final answer: $\\frac{3}{4}$')).toBe('$\\frac{3}{4}$');
  expect(extractStatedAnswer('Answer: 7 dollars')).toBe('7 dollars');
  expect(extractStatedAnswer('So 16 - 3 - 4 = 9 eggs are left.')).toBeNull();
});

test('answers compare after normalisation, not as raw strings', () => {
  const same: [string, string][] = [
    ['18', '18.0'],
    ['1,000', '1000'],
    ['$18', '18'],
    ['\\$18.00', '18'],
    ['\\frac{1}{2}', '0.5'],
    ['\\dfrac{1}{2}', '1/2'],
    ['\\left( 3, 4 \\right)', '(3,4)'],
    ['90^\\circ', '90'],
    ['x = 5', '5'],
    ['\\text{5 cm}', '5'],
    ['\\boxed{7}', '7'],
    ['50\\%', '50'],
    ['\\frac12', '1/2'],
    ['x \\in [2, 5]', '[2,5]'],
    ['\\textbf{(C) }12', 'C'],
    ['(B) 7', '\\text{(B)}'],
    ['3\\text{ inches}', '3'],
  ];
  for (const [a, b] of same) expect(answersEqual(a, b), `${a} vs ${b}`).toBe(true);
  const different: [string, string][] = [
    ['18', '19'],
    ['2x', '2'],
    ['\\sqrt{2}', '2'],
    ['1/2', '1/3'],
    ['', ''],
    ['18 dollars', '18'], // a word PRM800K's grader does not strip as a unit
    ['\\textbf{(C) }12', 'D'],
    ['x \\in [2, 5]', '(2,5)'],
  ];
  for (const [a, b] of different) expect(answersEqual(a, b), `${a} vs ${b}`).toBe(false);
});

test('the math task: free-text steps, terminal at a stated answer, outcome against gold', () => {
  const s0 = mathTask.initialState(problem('18'));
  const s1 = mathTask.applyStep(s0, 'She has 16 - 3 - 4 = 9 eggs left.');
  expect(s1.valid && !mathTask.isTerminal(s1.state)).toBe(true);
  const s2 = mathTask.applyStep(s0, 'She makes 9 * 2 = $18. The answer is 18');
  expect(s2.valid).toBe(true);
  if (!s2.valid) return;
  expect(mathTask.isTerminal(s2.state)).toBe(true);
  expect(mathTask.outcome(s2.state, problem('18'))).toBe('correct');
  expect(mathTask.outcome(s2.state, problem('#### 20'.replace('#### ', '')))).toBe('incorrect');
  expect(mathTask.outcome(s2.state, problem(null))).toBeNull();
  expect(mathTask.applyStep(s0, '   ').valid).toBe(false);
  expect(mathTask.applyStep(s2.state, 'more').valid).toBe(false);
  expect(mathTask.describe(s2.state)).toBe('answer: 18');
  expect(createMathTask({ stepDelimiter: '\n\n' }).prompt(problem('1'))).toBe('Janet has 16 eggs...\n\n');
});
