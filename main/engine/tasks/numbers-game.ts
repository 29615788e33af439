/**
 * The rules Countdown and Game of 24 share: combine two of the numbers left with + - * /, until
 * one number is left; it must equal the target. Steps use the Stream of Search syntax (`a+b=c`,
 * `a*b=c`, larger first `b-a=c`, `b/a=c`), and Tree of Thoughts' `10 - 4 = 6 (left: 5 6 6)` and
 * `Answer: (5 * (10 - 4)) - 6 = 24` are read too.
 */
import type { StepResult } from './types';
import {
  add,
  compare,
  div,
  equals,
  format,
  isInteger,
  isSafe,
  matches,
  mul,
  parseNumber,
  rat,
  sub,
  type ParsedNumber,
  type Rational,
} from './rational';

export interface NumbersRules {
  /** Game of 24 lets intermediates be fractions (8/3); Countdown allows only exact integer division. */
  fractions: boolean;
}

export interface NumbersState {
  readonly target: number;
  /** The numbers left, in Stream of Search order: untouched ones first, each new result appended. */
  readonly numbers: readonly Rational[];
  /** The puzzle's starting numbers, which a whole-expression answer must use exactly once each. */
  readonly initial: readonly Rational[];
  /** Set by an `Answer: <expression>` step, which finishes the path at once. */
  readonly answered: boolean;
}

type Op = '+' | '-' | '*' | '/';

/** One arithmetic move on two numbers, with its operands in the order it is written. */
interface Move {
  op: Op;
  x: Rational;
  y: Rational;
  result: Rational;
}

export function initialNumbersState(numbers: readonly number[], target: number): NumbersState {
  const values = numbers.map((n) => rat(n));
  return { target, numbers: values, initial: values, answered: false };
}

/** `24:[4, 27]`: the Stream of Search rendering of a state. */
export function describeNumbers(state: NumbersState): string {
  return `${state.target}:[${state.numbers.map(format).join(', ')}]`;
}

/**
 * The moves on a pair (a before b in the list), in Stream of Search's order: a+b, a*b, then the
 * larger-first subtraction and division. With fractions, division goes both ways.
 */
function moves(a: Rational, b: Rational, rules: NumbersRules): Move[] {
  const out: Move[] = [
    { op: '+', x: a, y: b, result: add(a, b) },
    { op: '*', x: a, y: b, result: mul(a, b) },
  ];
  const [big, small] = compare(a, b) >= 0 ? [a, b] : [b, a];
  out.push({ op: '-', x: big, y: small, result: sub(big, small) });
  if (rules.fractions) {
    if (small.n !== 0) out.push({ op: '/', x: big, y: small, result: div(big, small) });
    if (big.n !== 0 && !equals(big, small)) out.push({ op: '/', x: small, y: big, result: div(small, big) });
  } else if (small.n !== 0 && isInteger(big) && isInteger(small) && big.n % small.n === 0) {
    out.push({ op: '/', x: big, y: small, result: div(big, small) });
  }
  return out.filter((m) => isSafe(m.result));
}

const operand = (x: Rational): string => (isInteger(x) ? String(x.n) : `(${format(x)})`);
const moveText = (m: Move): string => `${operand(m.x)}${m.op}${operand(m.y)}=${format(m.result)}`;

function withoutPair(numbers: readonly Rational[], i: number, j: number, result: Rational): Rational[] {
  const rest = numbers.filter((_, k) => k !== i && k !== j);
  rest.push(result);
  return rest;
}

export function isNumbersTerminal(state: NumbersState): boolean {
  return state.answered || state.numbers.length <= 1;
}

export function isNumbersCorrect(state: NumbersState): boolean {
  const [only] = state.numbers;
  return state.numbers.length === 1 && only !== undefined && equals(only, rat(state.target));
}

/** Every legal move from a state, canonically written and without duplicates, in a stable order. */
export function legalNumbersSteps(state: NumbersState, rules: NumbersRules): string[] {
  if (isNumbersTerminal(state)) return [];
  const seen = new Set<string>();
  const { numbers } = state;
  for (let i = 0; i < numbers.length; i++) {
    for (let j = i + 1; j < numbers.length; j++) {
      for (const m of moves(numbers[i]!, numbers[j]!, rules)) seen.add(moveText(m));
    }
  }
  return [...seen];
}

const UNICODE_OPS: [RegExp, string][] = [
  [/[×xX∗·]/g, '*'],
  [/÷/g, '/'],
  [/[−–—]/g, '-'],
];

function normalizeOps(text: string): string {
  return UNICODE_OPS.reduce((s, [re, to]) => s.replace(re, to), text);
}

/** Splits `x op y` at an operator outside parentheses where both sides read as numbers. */
function splitBinary(lhs: string): { x: ParsedNumber; op: Op; y: ParsedNumber } | null {
  let depth = 0;
  // Parentheses count from the first character (a step may open with one, as in `(5/3)/9`);
  // an operator there is a sign, not the split.
  for (let k = 0; k < lhs.length; k++) {
    const c = lhs[k]!;
    if (c === '(') depth++;
    else if (c === ')') depth--;
    else if (k > 0 && depth === 0 && '+-*/'.includes(c)) {
      const x = parseNumber(lhs.slice(0, k));
      const y = parseNumber(lhs.slice(k + 1));
      if (x && y) return { x, op: c as Op, y };
    }
  }
  return null;
}

/** Index of a number left that the written number stands for (exact match first), skipping `skip`. */
function findNumber(numbers: readonly Rational[], written: ParsedNumber, skip = -1): number {
  const exact = numbers.findIndex((n, k) => k !== skip && equals(n, written.value));
  return exact >= 0 ? exact : numbers.findIndex((n, k) => k !== skip && matches(written, n));
}

function sameMultiset(written: ParsedNumber[], exact: readonly Rational[]): boolean {
  if (written.length !== exact.length) return false;
  const left = [...exact];
  for (const w of written) {
    const k = findNumber(left, w);
    if (k < 0) return false;
    left.splice(k, 1);
  }
  return true;
}

const invalid = (reason: string): StepResult<NumbersState> => ({ valid: false, reason });

/**
 * Applies one step. Anything that is not a well-formed, legal, correctly computed move is
 * `valid: false` with the reason, never an exception.
 */
export function applyNumbersStep(state: NumbersState, stepText: string, rules: NumbersRules): StepResult<NumbersState> {
  if (isNumbersTerminal(state)) return invalid('the path is already finished');
  let text = normalizeOps(stepText.trim());
  if (/^answer\s*:/i.test(text)) return applyAnswer(state, text.replace(/^answer\s*:/i, ''), rules);

  let left: ParsedNumber[] | null = null;
  const leftMatch = /\(\s*left\s*:([^)]*)\)\s*$/i.exec(text);
  if (leftMatch) {
    const items = leftMatch[1]!.trim().split(/[\s,]+/).filter(Boolean);
    const parsed = items.map(parseNumber);
    if (parsed.some((p) => p === null)) return invalid(`cannot read the numbers left: "${leftMatch[1]!.trim()}"`);
    left = parsed as ParsedNumber[];
    text = text.slice(0, leftMatch.index).trim();
  }

  const eq = text.split('=');
  if (eq.length !== 2) return invalid(`expected one operation like "9*3=27", got "${stepText.trim()}"`);
  const parts = splitBinary(eq[0]!.trim());
  const written = parseNumber(eq[1]!);
  if (!parts || !written) return invalid(`expected one operation like "9*3=27", got "${stepText.trim()}"`);
  const { x, op, y } = parts;

  const i = findNumber(state.numbers, x);
  const j = i < 0 ? -1 : findNumber(state.numbers, y, i);
  if (i < 0 || j < 0) {
    const missing = i < 0 ? x : y;
    return invalid(`${format(missing.value)} is not among the numbers left (${state.numbers.map(format).join(', ')})`);
  }
  const a = state.numbers[i]!;
  const b = state.numbers[j]!;
  let result: Rational;
  switch (op) {
    case '+':
      result = add(a, b);
      break;
    case '*':
      result = mul(a, b);
      break;
    case '-':
      if (compare(a, b) < 0) return invalid(`subtraction takes the smaller number from the larger: write ${format(b)}-${format(a)}`);
      result = sub(a, b);
      break;
    case '/':
      if (b.n === 0) return invalid('division by zero');
      result = div(a, b);
      if (!rules.fractions && !isInteger(result)) return invalid(`${format(a)}/${format(b)} is not exact`);
      break;
  }
  if (!isSafe(result)) return invalid('the result is too large');
  if (!matches(written, result)) {
    return invalid(`${format(a)}${op}${format(b)} is ${format(result)}, not ${format(written.value)}`);
  }
  const numbers = withoutPair(state.numbers, i, j, result);
  if (left && !sameMultiset(left, numbers)) {
    return invalid(`the numbers left are ${numbers.map(format).join(' ')}, not ${left.map((l) => format(l.value)).join(' ')}`);
  }
  return { valid: true, state: { ...state, numbers } };
}

/** A whole-expression answer (`(5 * (10 - 4)) - 6 = 24`) over the puzzle's starting numbers. */
function applyAnswer(state: NumbersState, text: string, rules: NumbersRules): StepResult<NumbersState> {
  let expression = text.trim();
  let stated: ParsedNumber | null = null;
  const eq = expression.lastIndexOf('=');
  if (eq >= 0) {
    stated = parseNumber(expression.slice(eq + 1));
    if (!stated) return invalid(`cannot read the value after "=" in "${text.trim()}"`);
    expression = expression.slice(0, eq);
  }
  const parsed = evaluate(expression);
  if ('error' in parsed) return invalid(`cannot read the answer expression: ${parsed.error}`);
  if (!rules.fractions && !parsed.integral) return invalid('the answer divides inexactly');
  if (!sameMultiset(parsed.literals, state.initial)) {
    return invalid(`the answer must use each of ${state.initial.map(format).join(', ')} exactly once`);
  }
  if (stated && !matches(stated, parsed.value)) {
    return invalid(`the expression is ${format(parsed.value)}, not ${format(stated.value)}`);
  }
  return { valid: true, state: { ...state, numbers: [parsed.value], answered: true } };
}

type Evaluation = { value: Rational; literals: ParsedNumber[]; integral: boolean } | { error: string };

/** A small recursive-descent evaluator for + - * / and parentheses over exact fractions. */
function evaluate(source: string): Evaluation {
  const tokens = source.match(/\d+(?:\.\d+)?|[-+*/()]|\S/g) ?? [];
  let pos = 0;
  const literals: ParsedNumber[] = [];
  let integral = true;
  const fail = (error: string): never => {
    throw new Error(error);
  };
  const expr = (): Rational => {
    let v = term();
    while (tokens[pos] === '+' || tokens[pos] === '-') v = tokens[pos++] === '+' ? add(v, term()) : sub(v, term());
    return v;
  };
  const term = (): Rational => {
    let v = factor();
    while (tokens[pos] === '*' || tokens[pos] === '/') {
      if (tokens[pos++] === '*') v = mul(v, factor());
      else {
        const d = factor();
        if (d.n === 0) fail('division by zero');
        v = div(v, d);
        if (!isInteger(v)) integral = false;
      }
    }
    return v;
  };
  const factor = (): Rational => {
    const t = tokens[pos++];
    if (t === undefined) return fail('unexpected end');
    if (t === '(') {
      const v = expr();
      if (tokens[pos++] !== ')') fail('missing ")"');
      return v;
    }
    const n = parseNumber(t);
    if (!n) return fail(`unexpected "${t}"`);
    literals.push(n);
    return n.value;
  };
  try {
    const value = expr();
    if (pos < tokens.length) fail(`unexpected "${tokens[pos]}"`);
    if (!isSafe(value)) fail('the value is too large');
    return { value, literals, integral };
  } catch (error) {
    return { error: (error as Error).message };
  }
}

/**
 * Exact, memoised reachability: can the numbers left still make the target? States are keyed by
 * their sorted multiset, so the many orders that reach the same numbers are solved once.
 */
export class NumbersSolver {
  private readonly memo = new Map<string, boolean>();
  private readonly target: Rational;

  constructor(
    target: number,
    private readonly rules: NumbersRules,
    private readonly maxMemo = 1_000_000,
  ) {
    this.target = rat(target);
  }

  solvable(numbers: readonly Rational[]): boolean {
    if (numbers.length === 0) return false;
    if (numbers.length === 1) return equals(numbers[0]!, this.target);
    if (numbers.length === 2) return moves(numbers[0]!, numbers[1]!, this.rules).some((m) => equals(m.result, this.target));
    const key = numbers
      .map(format)
      .sort()
      .join(',');
    const known = this.memo.get(key);
    if (known !== undefined) return known;
    let found = false;
    search: for (let i = 0; i < numbers.length; i++) {
      for (let j = i + 1; j < numbers.length; j++) {
        for (const m of moves(numbers[i]!, numbers[j]!, this.rules)) {
          if (this.solvable(withoutPair(numbers, i, j, m.result))) {
            found = true;
            break search;
          }
        }
      }
    }
    if (this.memo.size >= this.maxMemo) this.memo.clear();
    this.memo.set(key, found);
    return found;
  }

  /** One solution as canonical steps, or null. */
  solve(numbers: readonly Rational[]): string[] | null {
    if (numbers.length === 1) return equals(numbers[0]!, this.target) ? [] : null;
    for (let i = 0; i < numbers.length; i++) {
      for (let j = i + 1; j < numbers.length; j++) {
        for (const m of moves(numbers[i]!, numbers[j]!, this.rules)) {
          const next = withoutPair(numbers, i, j, m.result);
          if (this.solvable(next)) return [moveText(m), ...this.solve(next)!];
        }
      }
    }
    return null;
  }
}

/** Moves applied blindly, for the generator: every pairwise combination of a state. */
export function successorNumbers(numbers: readonly Rational[], rules: NumbersRules): Rational[][] {
  const out: Rational[][] = [];
  for (let i = 0; i < numbers.length; i++) {
    for (let j = i + 1; j < numbers.length; j++) {
      for (const m of moves(numbers[i]!, numbers[j]!, rules)) out.push(withoutPair(numbers, i, j, m.result));
    }
  }
  return out;
}
