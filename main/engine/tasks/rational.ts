/**
 * Exact fractions for the numbers games. Countdown only ever holds integers (its division must be
 * exact); Game of 24 allows fractional intermediates such as 8/3, which floats would get wrong.
 * Values stay small (a handful of numbers under a few thousand), so plain doubles hold numerator
 * and denominator exactly; results beyond 2^53 are refused by the callers.
 */
export interface Rational {
  /** Numerator; carries the sign. */
  readonly n: number;
  /** Denominator, always positive; gcd(n, d) = 1. */
  readonly d: number;
}

function gcd(a: number, b: number): number {
  a = Math.abs(a);
  b = Math.abs(b);
  while (b) [a, b] = [b, a % b];
  return a;
}

export function rat(n: number, d = 1): Rational {
  if (d === 0) throw new RangeError('zero denominator');
  if (d < 0) (n = -n), (d = -d);
  const g = gcd(n, d) || 1;
  return { n: n / g, d: d / g };
}

export const isInteger = (x: Rational): boolean => x.d === 1;
export const equals = (x: Rational, y: Rational): boolean => x.n === y.n && x.d === y.d;
export const compare = (x: Rational, y: Rational): number => x.n * y.d - y.n * x.d;
export const toNumber = (x: Rational): number => x.n / x.d;
export const isSafe = (x: Rational): boolean => Number.isSafeInteger(x.n) && Number.isSafeInteger(x.d);

export const add = (x: Rational, y: Rational): Rational =>
  x.d === 1 && y.d === 1 ? { n: x.n + y.n, d: 1 } : rat(x.n * y.d + y.n * x.d, x.d * y.d);
export const sub = (x: Rational, y: Rational): Rational =>
  x.d === 1 && y.d === 1 ? { n: x.n - y.n, d: 1 } : rat(x.n * y.d - y.n * x.d, x.d * y.d);
export const mul = (x: Rational, y: Rational): Rational =>
  x.d === 1 && y.d === 1 ? { n: x.n * y.n, d: 1 } : rat(x.n * y.n, x.d * y.d);
/** x / y; y must not be zero. */
export const div = (x: Rational, y: Rational): Rational => rat(x.n * y.d, x.d * y.n);

/** `24`, `-3` or `8/3`. */
export function format(x: Rational): string {
  return x.d === 1 ? String(x.n) : `${x.n}/${x.d}`;
}

/** A number as a model may write it: `24`, `-6`, `8/3`, `(8/3)`, `2.67`. */
export interface ParsedNumber {
  value: Rational;
  /** A decimal such as 2.67 stands for whichever nearby number it rounds (8/3), not exactly 267/100. */
  approximate: boolean;
}

const NUMBER_RE = /^\(?\s*(-?\d+(?:\.\d+)?)\s*(?:\/\s*(\d+)\s*)?\)?$/;

export function parseNumber(text: string): ParsedNumber | null {
  const m = NUMBER_RE.exec(text.trim());
  if (!m) return null;
  const [, whole = '', den] = m;
  if (text.trim().startsWith('(') !== text.trim().endsWith(')')) return null;
  const dot = whole.indexOf('.');
  let value: Rational;
  let approximate = false;
  if (dot >= 0) {
    if (den !== undefined) return null;
    const digits = whole.length - dot - 1;
    value = rat(Number(whole.replace('.', '')), 10 ** digits);
    approximate = true;
  } else {
    const d = den === undefined ? 1 : Number(den);
    if (d === 0) return null;
    value = rat(Number(whole), d);
  }
  return isSafe(value) ? { value, approximate } : null;
}

/** Whether a number as written stands for an exact value: equal, or a decimal within rounding of it. */
export function matches(written: ParsedNumber, exact: Rational): boolean {
  if (equals(written.value, exact)) return true;
  return written.approximate && Math.abs(toNumber(written.value) - toNumber(exact)) < 0.01;
}
