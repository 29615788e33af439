/**
 * Text-level normalisation of a final answer before it is compared, following what the reference
 * graders strip (PRM800K's `math_normalize.py` and `grader.py`, Math-Verify's LaTeX cleanup):
 * delimiters and `\boxed{}`, spacing commands, `\left`/`\right`, `\dfrac`, degrees, percent, dollar
 * signs, thousands separators, and units. A unit is dropped only where that is safe: a `\text{...}`
 * after the math (`15\mbox{ cm}^2`), or a word from PRM800K's unit list after a plain number
 * (`5 cm`, `3 hours`). `5 dollars` keeps its word, as PRM800K's grader does.
 */
import { extractBoxed } from './math-boxed';

const TEXT_COMMANDS = 'text|textbf|textnormal|textrm|textit|mbox|mathrm|mathbf|operatorname';

/** PRM800K grader.py's unit list (plus metric spellings), singular; plurals are matched too. */
const UNIT_WORDS = [
  'degree', 'cm', 'centimeter', 'meter', 'metre', 'km', 'kilometer', 'mile', 'second', 'minute', 'hour',
  'day', 'week', 'month', 'year', 'foot', 'feet', 'inch', 'inches', 'yard', 'unit', 'square unit',
  'square feet', 'square inch', 'square meter', 'sq unit', 'percent', 'percentage', 'pct',
];
const UNIT_AFTER_NUMBER = new RegExp(
  `^([-+]?(?:\\d+(?:\\.\\d+)?|\\.\\d+)(?:\\s*/\\s*\\d+)?)\\s*(?:${UNIT_WORDS.join('|')})(?:e?s)?(?:\\s*\\^\\s*\\{?\\d\\}?)?$`,
  'i',
);
/** A `\text{...}` of words (a unit) at the end, after some math. */
const TRAILING_TEXT_UNIT = new RegExp(
  `^(.*?[^\\s])\\s*\\\\(?:${TEXT_COMMANDS})\\s*\\{\\s*[a-zA-Z][a-zA-Z.\\s]*\\}(?:\\s*\\^\\s*\\{?\\d\\}?)?$`,
  's',
);

function stripDelimiters(s: string): string {
  let out = s.trim();
  for (;;) {
    const before = out;
    out = out
      .replace(/^\$+|\$+$/g, '')
      .replace(/^\\\(|\\\)$/g, '')
      .replace(/^\\\[|\\\]$/g, '')
      .trim();
    if (out === before) return out;
  }
}

/** A single number written with thousands separators (`7,425,000`, `1 000`) loses them. */
function stripThousands(s: string): string {
  if (/^[-+]?\d{1,3}(?:,\d{3})+(?:\.\d+)?$/.test(s)) return s.replace(/,/g, '');
  if (/^[-+]?\d{1,3}(?: \d{3})+(?:\.\d+)?$/.test(s)) return s.replace(/ /g, '');
  return s;
}

/**
 * The answer as clean LaTeX, ready to be split into parts and parsed: same meaning, none of the
 * notation the graders ignore. Letter case and `\text{}` around a whole answer are kept (a text
 * answer is compared as text by the caller).
 */
export function cleanAnswer(raw: string): string {
  let s = raw.trim();
  const boxed = extractBoxed(s);
  if (boxed !== null) s = boxed;
  s = stripDelimiters(s);
  s = s
    .replace(/\\(?:displaystyle|textstyle)/g, '')
    .replace(/\\left\s*\\?([([{|.])|\\right\s*\\?([)\]}|.])/g, (_, open, close) => (open ?? close ?? '').replace('.', ''))
    .replace(/\\left|\\right|\\big[lr]?|\\Big[lr]?/g, '')
    .replace(/\\!/g, '')
    .replace(/\\[,;:]|\\q?quad/g, ' ')
    .replace(/(?<!\\)\\ /g, ' ') // `\ ` is a space, `\\ ` a row break
    .replace(/~/g, ' ')
    .replace(/\\[dtc]frac/g, '\\frac')
    // `\frac12`, `\frac3{3}`, `\frac{1}2`: braces the one-character arguments, as math_normalize's _fix_fracs
    .replace(/\\frac\s*([0-9a-zA-Z])\s*([0-9a-zA-Z])/g, '\\frac{$1}{$2}')
    .replace(/\\frac\s*([0-9a-zA-Z])\s*\{/g, '\\frac{$1}{')
    .replace(/\\frac\s*(\{[^{}]*\})\s*([0-9a-zA-Z])/g, '\\frac$1{$2}')
    .replace(/\{,\}/g, '')
    .replace(/\^\s*\{\s*\\circ\s*\}|\^\s*\\circ|°|\\degree/g, '')
    .replace(/\\?%/g, '')
    .replace(/\\\$|\$/g, '')
    .replace(/\\text\s*\{\s*(and|or)\s*\}/g, ', ')
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/\.$/, '')
    .trim();
  s = s.replace(/^[a-zA-Z]\s*\\in(?![a-zA-Z])\s*/, ''); // `x \in [2, 5]` is the set [2, 5]
  const wrapped = textContent(s);
  if (wrapped !== null && /^[-+]?\.?\d/.test(wrapped)) s = wrapped; // `\text{8 feet}` is a number with a unit
  const unit = TRAILING_TEXT_UNIT.exec(s);
  if (unit) s = unit[1]!.trim();
  const word = UNIT_AFTER_NUMBER.exec(s);
  if (word) s = word[1]!;
  s = s.replace(/^\.(\d)/, '0.$1').replace(/([^\d])\.(\d)/g, '$10.$2');
  return stripThousands(s.trim());
}

/** The words of an answer written as `\text{...}` as a whole, or null. */
export function textContent(clean: string): string | null {
  const m = new RegExp(`^\\\\(?:${TEXT_COMMANDS})\\s*\\{([^{}]*)\\}$`).exec(clean);
  return m ? m[1]!.trim() : null;
}

/**
 * A multiple-choice letter: `A`, `(A)`, `\text{(A)}`, `\textbf{(B) }`, or a parenthesised letter
 * before the option's value as AMC solutions write it (`\textbf{(C) }12`, `(C) 12`); null otherwise.
 */
export function choiceLetter(clean: string): string | null {
  const inner = textContent(clean) ?? clean;
  const m = /^\(?\s*([A-E])\s*\)?$/.exec(inner.trim());
  if (m) return m[1]!;
  const lead = new RegExp(`^(?:\\\\(?:${TEXT_COMMANDS})\\s*\\{\\s*)?\\(([A-E])\\)`).exec(clean.trim());
  return lead ? lead[1]! : null;
}

/** Text compared as text: case, spacing and punctuation at the ends do not matter. */
export function canonicalText(s: string): string {
  return s
    .toLowerCase()
    .replace(/\s+/g, ' ')
    .replace(/^[\s.,;:]+|[\s.,;:]+$/g, '');
}
