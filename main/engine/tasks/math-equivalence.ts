/**
 * Whether a final answer means the same as the gold one, as the MATH graders judge it (PRM800K's
 * grader.py, Hugging Face's Math-Verify): after normalisation (math-normalize.ts), an answer is a
 * multiple-choice letter, a text answer, a relation (`x = 5`, `x \geq 2`), a union of intervals, a
 * tuple or interval (order and brackets matter), a set or bare list (order does not; `a \pm b` is
 * the set of both), or one expression, compared symbolically (math-symbolic.ts).
 */
import { canonicalText, choiceLetter, cleanAnswer, textContent } from './math-normalize';
import { proportional, symbolicEqual } from './math-symbolic';

const OPEN = '([{';
const CLOSE = ')]}';

/** Splits `s` at each top-level occurrence of one of `separators` (outside brackets and braces). */
function splitTopLevel(s: string, separators: RegExp): { parts: string[]; seps: string[] } {
  const parts: string[] = [];
  const seps: string[] = [];
  let depth = 0;
  let start = 0;
  const sticky = new RegExp(separators.source, 'y');
  for (let i = 0; i < s.length; i++) {
    const ch = s[i]!;
    if (ch === '\\' && (s[i + 1] === '{' || s[i + 1] === '}')) {
      depth += s[i + 1] === '{' ? 1 : -1;
      i++;
      continue;
    }
    if (OPEN.includes(ch)) depth++;
    else if (CLOSE.includes(ch)) depth--;
    else if (depth === 0) {
      sticky.lastIndex = i;
      const m = sticky.exec(s);
      if (m && m[0].length > 0) {
        parts.push(s.slice(start, i).trim());
        seps.push(m[0].trim());
        i += m[0].length - 1;
        start = i + 1;
      }
    }
  }
  parts.push(s.slice(start).trim());
  return { parts, seps };
}

const RELATION = /\\leq?|\\geq?|\\neq?|\\lt|\\gt|\\approx|<=|>=|!=|=|<|>/;

type Op = '=' | '<' | '<=' | '>' | '>=' | '!=';
function opOf(sep: string): Op | 'approx' {
  switch (sep) {
    case '\\le': case '\\leq': case '<=': return '<=';
    case '\\ge': case '\\geq': case '>=': return '>=';
    case '\\lt': case '<': return '<';
    case '\\gt': case '>': return '>';
    case '\\ne': case '\\neq': case '!=': return '!=';
    case '\\approx': return 'approx';
    default: return '=';
  }
}

interface Relation {
  parts: string[];
  ops: Op[];
}

/**
 * The relation an answer states, or null. A chain `x = 5+5+1 = 11 \approx 11.0` keeps its parts up
 * to the first `\approx` after an `=` (the approximation is commentary); a lone `\approx` counts as `=`.
 */
function relationOf(s: string): Relation | null {
  // `\left<` and `\langle` never reach here; `<` inside `\{ \}` or brackets is not top level.
  const { parts, seps } = splitTopLevel(s, RELATION);
  if (seps.length === 0 || parts.some((p) => !p)) return null;
  const ops = seps.map(opOf);
  const cut = ops.indexOf('approx');
  if (cut > 0 && ops.slice(0, cut).includes('=')) return { parts: parts.slice(0, cut + 1), ops: ops.slice(0, cut) as Op[] };
  return { parts, ops: ops.map((op) => (op === 'approx' ? '=' : op)) };
}

const LONE_SYMBOL = /^(?:[a-zA-Z]|\\[a-zA-Z]+)(?:_\{?[a-zA-Z0-9]+\}?)?(?:\([a-z]\))?$/;

/** `x = 5` stands for 5 beside a bare answer; `7 = 11a+c` or `2x + z = 1` stand for nothing. */
function valueOfEquation(rel: Relation): string | null {
  if (rel.ops.some((op) => op !== '=')) return null;
  const named = rel.parts.slice(0, -1).some((p) => LONE_SYMBOL.test(p));
  return named ? rel.parts[rel.parts.length - 1]! : null;
}

/** `a < b` as `b - a > 0`: every inequality read as "expression op 0" with op among >, >=, !=. */
function asComparisonWithZero(lhs: string, op: Op, rhs: string): { expr: string; op: Op } {
  if (op === '<' || op === '<=') return { expr: `(${rhs})-(${lhs})`, op: op === '<' ? '>' : '>=' };
  return { expr: `(${lhs})-(${rhs})`, op };
}

function sameRelation(a: Relation, b: Relation): boolean {
  const equationA = a.ops.every((op) => op === '=');
  const equationB = b.ops.every((op) => op === '=');
  if (equationA !== equationB) return false;
  if (equationA) {
    const [l1, r1] = [a.parts[0]!, a.parts[a.parts.length - 1]!];
    const [l2, r2] = [b.parts[0]!, b.parts[b.parts.length - 1]!];
    if (sameValue(l1, l2) && sameValue(r1, r2)) return true;
    return proportional(`(${l1})-(${r1})`, `(${l2})-(${r2})`, 'any');
  }
  if (a.ops.length !== 1 || b.ops.length !== 1) {
    return a.ops.join() === b.ops.join() && a.parts.every((p, i) => sameValue(p, b.parts[i]!));
  }
  const x = asComparisonWithZero(a.parts[0]!, a.ops[0]!, a.parts[1]!);
  const y = asComparisonWithZero(b.parts[0]!, b.ops[0]!, b.parts[1]!);
  return x.op === y.op && proportional(x.expr, y.expr, x.op === '!=' ? 'any' : 'positive');
}

interface List {
  open: string;
  close: string;
  items: string[];
}

/** An answer with several elements: `(1,2)`, `[0,1)`, `\{1,2\}`, `1, 2`, `1 \pm \sqrt{5}`; else null. */
function listOf(s: string): List | null {
  const pm = splitTopLevel(s, /\\pm/);
  if (pm.seps.length === 1 && pm.parts[1]) {
    const base = pm.parts[0] || '0';
    return { open: '', close: '', items: [`${base}+(${pm.parts[1]})`, `${base}-(${pm.parts[1]})`] };
  }
  let open = '';
  let close = '';
  let inner = s;
  const set = /^\\\{(.*)\\\}$/s.exec(s);
  if (set && splitTopLevel(`{${set[1]}}`, /,/).seps.length === 0) {
    [open, close, inner] = ['{', '}', set[1]!];
  } else if (/^[([]/.test(s) && /[)\]]$/.test(s) && splitTopLevel(s.slice(1, -1), /,/).parts.every(balanced)) {
    const wrapped = splitTopLevel(s, /,/);
    if (wrapped.seps.length === 0) [open, close, inner] = [s[0]!, s[s.length - 1]!, s.slice(1, -1)];
  }
  const items = splitTopLevel(inner, /,|\\text\{\s*(?:and|or)\s*\}|\s+(?:and|or)\s+/).parts;
  if (items.some((item) => !item)) return null;
  if (items.length === 1) {
    if (open === '{') return { open, close, items };
    return null; // `(5)` is just 5
  }
  return { open, close, items };
}

function balanced(s: string): boolean {
  let depth = 0;
  for (const ch of s) {
    if (OPEN.includes(ch)) depth++;
    else if (CLOSE.includes(ch) && --depth < 0) return false;
  }
  return depth === 0;
}

/** Every item of `a` matched to a distinct equal item of `b`. */
function sameMultiset(a: string[], b: string[]): boolean {
  if (a.length !== b.length) return false;
  const used = new Array<boolean>(b.length).fill(false);
  return a.every((x) => {
    const j = b.findIndex((y, k) => !used[k] && sameValue(x, y));
    if (j < 0) return false;
    used[j] = true;
    return true;
  });
}

function sameList(a: List, b: List): boolean {
  const ordered = (l: List) => l.open === '(' || l.open === '[';
  if (ordered(a) || ordered(b)) {
    return a.open === b.open && a.close === b.close && a.items.length === b.items.length && a.items.every((x, i) => sameValue(x, b.items[i]!));
  }
  return sameMultiset(a.items, b.items); // sets and bare lists: order does not matter
}

const compact = (s: string) => s.replace(/\s+/g, '');

/** Rows of cells of a `pmatrix`/`bmatrix`/`array` (brackets around it ignored), or null. */
function matrixOf(s: string): string[][] | null {
  const m = /^[([]?\s*\\begin\{([pbvBV]?matrix|array)\}(?:\{[^{}]*\})?(.*)\\end\{\1\}\s*[)\]]?$/s.exec(s);
  if (!m) return null;
  const rows = m[2]!.split(/\\\\/).map((row) => row.split('&').map((cell) => cell.trim()));
  while (rows.length && rows[rows.length - 1]!.every((cell) => !cell)) rows.pop();
  return rows;
}

function sameMatrix(a: string[][], b: string[][]): boolean {
  return a.length === b.length && a.every((row, i) => row.length === b[i]!.length && row.every((cell, j) => sameValue(cell, b[i]![j]!)));
}

/** Two cleaned answers denote the same mathematical object. */
function sameValue(a: string, b: string): boolean {
  if (compact(a) === compact(b)) return true;
  const matrixA = matrixOf(a);
  const matrixB = matrixOf(b);
  if (matrixA || matrixB) return !!matrixA && !!matrixB && sameMatrix(matrixA, matrixB);
  const unionA = splitTopLevel(a, /\\cup/);
  const unionB = splitTopLevel(b, /\\cup/);
  if (unionA.seps.length || unionB.seps.length) return sameMultiset(unionA.parts, unionB.parts);

  const relA = relationOf(a);
  const relB = relationOf(b);
  if (relA && relB) return sameRelation(relA, relB);
  if (relA || relB) {
    const value = relA ? valueOfEquation(relA) : valueOfEquation(relB!);
    return value !== null && sameValue(relA ? value : a, relB ? value : b);
  }

  const listA = listOf(a);
  const listB = listOf(b);
  if (listA && listB) return sameList(listA, listB);
  if (listA || listB) return false;
  return symbolicEqual(a, b);
}

/**
 * Whether the `given` answer is right against the `gold` one. Empty answers are never equal.
 * Multiple-choice letters compare as letters, `\text{}` answers as text (case and spacing aside),
 * everything else as mathematics.
 */
export function answersEquivalent(given: string, gold: string): boolean {
  const g = cleanAnswer(given);
  const t = cleanAnswer(gold);
  if (!g || !t) return false;
  if (g === t) return true;
  const letterG = choiceLetter(g);
  const letterT = choiceLetter(t);
  if (letterG !== null || letterT !== null) return letterG === letterT;
  const textG = textContent(g);
  const textT = textContent(t);
  if (textG !== null || textT !== null) return canonicalText(textG ?? g) === canonicalText(textT ?? t);
  return sameValue(g, t);
}
