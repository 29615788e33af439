/**
 * The answer checker against the reference graders, pair by pair. Each row of
 * fixtures/math-equivalence-pairs.json carries the verdict of its source:
 *   - "prm800k grader.py (run)": OpenAI PRM800K's grading/grader.py (+ math_normalize.py) at commit
 *     00811d6, run on the pair with sympy 1.11.1 and pylatexenc 2.10 (`grade_answer(given, gold)`);
 *   - "math-verify tests/test_all.py::<test>": a pair and verdict from Hugging Face Math-Verify's
 *     own test table (answer-to-answer cases);
 *   - "issue #15": the verdicts the issue lists.
 * Every row also carries `prm800k`, the PRM800K grader's verdict on it, for a second figure.
 * The checker follows Math-Verify where the two graders part (symbolic equality over PRM800K's
 * integer and unreduced-fraction rules, unordered lists); those rows are listed below with why.
 */
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { expect, test } from 'vitest';
import { answersEqual } from '../../../main/engine/tasks/math-answer';
import { cleanAnswer } from '../../../main/engine/tasks/math-normalize';

interface Pair {
  gold: string;
  given: string;
  verdict: boolean;
  source: string;
  prm800k: boolean;
}

const pairs: Pair[] = JSON.parse(readFileSync(new URL('./fixtures/math-equivalence-pairs.json', import.meta.url), 'utf8'));

/** Rows where the checker deliberately differs from the PRM800K grader's verdict, and why. */
const KNOWN_DIFFERENCES: Record<string, string> = {
  '\\frac{1}{2} | \\frac{2}{4}': 'PRM800K refuses unreduced fractions; Math-Verify and this checker compare values',
  '\\frac{2}{3} | \\frac{4}{6}': 'unreduced fraction, as above',
  '2 | \\sqrt{4}': 'PRM800K wants an integer gold matched by an integer string; compared as values here',
  '10^{10} | 10000000000': 'integer rule, and PRM800K does not evaluate "^{"',
  '2^{10} | 1024': 'PRM800K does not evaluate "^{" (its guard against slow sympy); the engine does, under a time limit',
  '3^5 | 243': 'integer rule, as above',
  '100 | 10^2': 'integer rule, as above',
  '\\sqrt{2} | 2^{1/2}': 'PRM800K does not evaluate "^{"',
  '\\sqrt{5} | 5^{0.5}': 'PRM800K does not evaluate "^{"',
  '\\frac{x+1}{2} | \\frac{x}{2}+\\frac{1}{2}': 'latex2text leaves "x/2+1/2" unparenthesised for sympy; equal as expressions',
  '(-\\infty, -2) \\cup (2, \\infty) | (2, \\infty) \\cup (-\\infty, -2)': 'a union is a set: order does not matter (issue #15)',
  '1,2,3 | 3,2,1': 'a bare list is unordered (issue #15, Math-Verify parses it as a set)',
  '-2, 3 | 3, -2': 'unordered list, as above',
  '1, -1 | \\pm 1': '\\pm gives both values, as in Math-Verify',
  'y = 2x+3 | y=3+2x': 'PRM800K strips "y =" on one side only after normalising; the equations are the same',
  'i | \\sqrt{-1}': 'the same complex number; PRM800K treats "i" as text',
};

const key = (p: Pair) => `${p.gold} | ${p.given}`;

test('the pair table is large enough and every row names its source', () => {
  expect(pairs.length).toBeGreaterThanOrEqual(200);
  for (const p of pairs) expect(p.source, key(p)).toMatch(/^(prm800k grader\.py \(run\)|math-verify tests\/test_all\.py::\w+|issue #15)/);
  for (const k of Object.keys(KNOWN_DIFFERENCES)) expect(pairs.some((p) => key(p) === k), k).toBe(true);
});

test('verdicts agree with each row\'s reference grader except the documented differences', () => {
  const disagreements: string[] = [];
  for (const p of pairs) {
    const verdict = answersEqual(p.given, p.gold);
    if (verdict !== p.verdict) disagreements.push(key(p));
  }
  expect(disagreements.sort()).toEqual(Object.keys(KNOWN_DIFFERENCES).sort());
  // The README reports these figures.
  const bySource = (prefix: string) => pairs.filter((p) => p.source.startsWith(prefix));
  const agreeing = (rows: Pair[]) => rows.filter((p) => answersEqual(p.given, p.gold) === p.verdict).length;
  expect(agreeing(bySource('math-verify'))).toBe(bySource('math-verify').length);
  expect(agreeing(bySource('issue #15'))).toBe(bySource('issue #15').length);
  expect(pairs.length - disagreements.length).toBe(228);
  expect(pairs.filter((p) => answersEqual(p.given, p.gold) === p.prm800k).length).toBe(195);
});

test('a pathological answer is refused quickly instead of hanging', () => {
  const started = performance.now();
  expect(answersEqual('2^{2^{2^{2^{2^{10}}}}}', '2^{2^{2^{2^{2^{11}}}}}')).toBe(false);
  expect(answersEqual('9'.repeat(5000), '9'.repeat(4999))).toBe(false);
  expect(answersEqual(`(${'1+'.repeat(3000)}1)`, '3001')).toBe(false);
  // The checker's own budget is far below this; the bound tells a hang (the symbolic engine
  // expanding a tower) from a slow machine.
  expect(performance.now() - started).toBeLessThan(30_000);
});

test('any answer text gives a verdict, never an exception; an answer equals itself unless nothing is left of it', () => {
  const pieces = ['1', '2', '0.5', 'x', 'y', '\\pi', 'e', '+', '-', '*', '/', '^', '=', '<', ',', '(', ')', '[', ']', '{', '}', '\\{', '\\}',
    '\\frac', '\\sqrt', '\\text{', '\\cup', '\\pm', '\\%', '$', ' ', '\\left(', '\\right)', '\\boxed{', 'A', '^\\circ', '&', '\\\\'];
  const answer = fc.array(fc.constantFrom(...pieces), { maxLength: 14 }).map((p) => p.join(''));
  fc.assert(
    fc.property(answer, answer, (a, b) => {
      expect(typeof answersEqual(a, b)).toBe('boolean');
      // Equal to itself exactly when something is left after normalisation.
      expect(answersEqual(a, a)).toBe(cleanAnswer(a) !== '');
    }),
    { numRuns: 300, seed: 15 },
  );
});
