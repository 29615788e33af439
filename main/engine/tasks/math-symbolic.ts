/**
 * Symbolic equality of two single LaTeX expressions, through the Cortex compute engine (it parses
 * LaTeX, including implicit multiplication, mixed numbers, radicals, pi and e).
 *
 * Two expressions are equal when the engine says so, or when they agree numerically: without
 * unknowns, as numbers; with unknowns, at several random points (a probabilistic identity test,
 * which is what `sympy.simplify(a - b) == 0` decides for the polynomial and radical answers of
 * MATH, and which never hangs on a hard simplification). Inputs that could make the engine slow
 * (very long, towers of powers, huge exponents) are refused up front: the caller then falls back
 * to comparing text, as PRM800K's grader does with its BAD_SUBSTRINGS.
 */
import { ComputeEngine } from '@cortex-js/compute-engine';

type Expr = ReturnType<ComputeEngine['parse']>;

let engine: ComputeEngine | null = null;
function computeEngine(): ComputeEngine {
  // The engine gives up an evaluation after its timeLimit (2 s by default) instead of hanging.
  engine ??= new ComputeEngine();
  return engine;
}

/** Longest LaTeX answer handed to the engine; MATH answers are far shorter. */
const MAX_LATEX_LENGTH = 400;
/** A power of a power, or an exponent of four digits or more, can take the engine minutes. */
const PATHOLOGICAL = [/\^\s*\{[^{}]*\^/, /\^\s*\d+\s*\^/, /\^\s*\{?\s*-?\d{4,}/, /!\s*!/, /\d{60,}/];

export function isSafeForSymbolic(latex: string): boolean {
  return latex.length <= MAX_LATEX_LENGTH && !PATHOLOGICAL.some((re) => re.test(latex));
}

/** The parsed expression, or null when the engine cannot read it. */
export function parseLatex(latex: string): Expr | null {
  if (!latex.trim() || !isSafeForSymbolic(latex)) return null;
  try {
    const expr = computeEngine().parse(latex);
    return expr.isValid ? expr : null;
  } catch {
    return null;
  }
}

/** Digits a decimal literal carries; Math-Verify rounds to 6 places when a side is a decimal. */
const DECIMAL_PLACES = 6;
const hasDecimalLiteral = (latex: string) => /\d\.\d/.test(latex);

interface Complex {
  re: number;
  im: number;
}

function numericValue(expr: Expr): Complex | null {
  try {
    const n = expr.N();
    const re = n.re;
    const im = n.im;
    if (typeof re !== 'number' || Number.isNaN(re)) return null;
    return { re, im: typeof im === 'number' && !Number.isNaN(im) ? im : 0 };
  } catch {
    return null;
  }
}

function close(a: number, b: number, decimals: boolean): boolean {
  if (a === b) return true; // infinities too
  if (!Number.isFinite(a) || !Number.isFinite(b)) return false;
  if (decimals) return Math.abs(a - b) <= 0.5 * 10 ** -DECIMAL_PLACES + 1e-12 * Math.max(1, Math.abs(a));
  return Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(a), Math.abs(b));
}

function sameNumber(a: Complex, b: Complex, decimals: boolean): boolean {
  return close(a.re, b.re, decimals) && close(a.im, b.im, decimals);
}

/** Fixed points (no randomness: a verdict must not change between runs), away from 0, 1 and poles at small integers. */
const PROBE_POINTS = [0.7319, 1.4142, 2.2361, 0.5772, 1.618];

/**
 * Values of `expr` at the probe points with each unknown set to a different point, or null when
 * the expression does not evaluate to numbers there.
 */
function valuesAtProbes(expr: Expr, unknowns: readonly string[]): Complex[] | null {
  const ce = computeEngine();
  const values: Complex[] = [];
  for (let round = 0; round < PROBE_POINTS.length; round++) {
    const substitution: Record<string, Expr> = {};
    unknowns.forEach((name, i) => {
      substitution[name] = ce.number(PROBE_POINTS[(round + i * 2) % PROBE_POINTS.length]! + i * 0.1);
    });
    const value = numericValue(expr.subs(substitution));
    if (value === null) return null;
    values.push(value);
  }
  return values;
}

function unknownsOf(...exprs: Expr[]): string[] {
  return [...new Set(exprs.flatMap((e) => [...e.unknowns]))].sort();
}

/** Whether two LaTeX expressions denote the same value (or the same function of their unknowns). */
export function symbolicEqual(latexA: string, latexB: string): boolean {
  return neverThrows(() => symbolicEqualUnsafe(latexA, latexB));
}

/** The engine can throw on input it half-understands; an answer it cannot compare is not equal. */
function neverThrows(compare: () => boolean): boolean {
  try {
    return compare();
  } catch {
    return false;
  }
}

function symbolicEqualUnsafe(latexA: string, latexB: string): boolean {
  const a = parseLatex(latexA);
  const b = parseLatex(latexB);
  if (!a || !b) return false;
  if (a.isSame(b)) return true;
  const decimals = hasDecimalLiteral(latexA) || hasDecimalLiteral(latexB);
  const unknowns = unknownsOf(a, b);
  if (unknowns.length === 0) {
    const x = numericValue(a);
    const y = numericValue(b);
    return x !== null && y !== null && sameNumber(x, y, decimals);
  }
  const xs = valuesAtProbes(a, unknowns);
  const ys = valuesAtProbes(b, unknowns);
  if (!xs || !ys) return false;
  return xs.every((x, i) => sameNumber(x, ys[i]!, decimals));
}

/**
 * Whether `a` is a constant multiple of `b` as functions of their unknowns (for equations and
 * inequalities written in different forms: `2x+4y-3=0` and `y=-x/2+3/4`). `sign` restricts the
 * constant to positive (an inequality keeps its direction) or allows either.
 */
export function proportional(latexA: string, latexB: string, sign: 'positive' | 'any'): boolean {
  return neverThrows(() => proportionalUnsafe(latexA, latexB, sign));
}

function proportionalUnsafe(latexA: string, latexB: string, sign: 'positive' | 'any'): boolean {
  const a = parseLatex(latexA);
  const b = parseLatex(latexB);
  if (!a || !b) return false;
  const unknowns = unknownsOf(a, b);
  const xs = unknowns.length ? valuesAtProbes(a, unknowns) : [numericValue(a)];
  const ys = unknowns.length ? valuesAtProbes(b, unknowns) : [numericValue(b)];
  if (!xs || !ys || xs.some((x) => x === null) || ys.some((y) => y === null)) return false;
  let ratio: number | null = null;
  for (let i = 0; i < xs.length; i++) {
    const x = xs[i]!;
    const y = ys[i]!;
    if (Math.abs(x.im) > 1e-12 || Math.abs(y.im) > 1e-12) return false;
    if (close(x.re, 0, false) && close(y.re, 0, false)) continue;
    if (close(y.re, 0, false)) return false;
    const r = x.re / y.re;
    if (ratio === null) ratio = r;
    else if (!close(r, ratio, false)) return false;
  }
  if (ratio === null) return true; // both identically zero
  return sign === 'any' ? ratio !== 0 : ratio > 0;
}
