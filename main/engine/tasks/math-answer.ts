/**
 * Final answers of word problems: where they are (GSM8K `#### 18`, MATH `\boxed{...}`, "The answer
 * is ..."), and whether two of them mean the same thing after normalisation (numbers, fractions,
 * spacing, LaTeX noise, units where stripping them is safe), never raw string equality.
 */

/** Content of the last `\boxed{...}` / `\fbox{...}` (braces matched), or `\boxed 5`; null if none. */
export function extractBoxed(text: string): string | null {
  const boxed = text.lastIndexOf('\\boxed');
  const at = Math.max(boxed, text.lastIndexOf('\\fbox'));
  if (at < 0) return null;
  let i = at + (at === boxed ? '\\boxed'.length : '\\fbox'.length);
  while (text[i] === ' ') i++;
  if (text[i] !== '{') {
    const m = /^\s*([^\s$]+)/.exec(text.slice(i));
    return m ? m[1]! : null;
  }
  let depth = 0;
  for (let j = i; j < text.length; j++) {
    if (text[j] === '{') depth++;
    else if (text[j] === '}' && --depth === 0) return text.slice(i + 1, j).trim();
  }
  return null; // unbalanced braces: no readable answer
}

/** The gold answer in a dataset's answer field: after `#### ` (GSM8K), in `\boxed{}` (MATH), or the text itself. */
export function extractGoldAnswer(text: string): string | null {
  const hashes = /####\s*(.+?)\s*$/s.exec(text);
  if (hashes) return hashes[1]!.trim();
  const boxed = extractBoxed(text);
  if (boxed !== null) return boxed;
  const plain = text.trim();
  return plain ? plain : null;
}

const STATED_ANSWER = [
  /####\s*(.+?)\s*$/s,
  /(?:final answer|the answer)\s*(?:is|:|=)\s*:?\s*(.+?)\s*$/is,
  /^\s*answer\s*:\s*(.+?)\s*$/is,
];

/** The final answer a solution step states, or null if the step states none. */
export function extractStatedAnswer(step: string): string | null {
  const boxed = extractBoxed(step);
  if (boxed !== null) return boxed;
  for (const re of STATED_ANSWER) {
    const m = re.exec(step);
    if (m && m[1]!.trim()) return m[1]!.trim().replace(/\.$/, '');
  }
  return null;
}

/** A canonical text form of an answer, for comparison. */
export function normalizeAnswer(raw: string): string {
  let s = raw.trim();
  const boxed = extractBoxed(s);
  if (boxed !== null) s = boxed;
  s = s
    .replace(/\\\(|\\\)|\\\[|\\\]/g, '')
    .replace(/\\left|\\right|\\!|\\,|\\;|\\:|\\ |~/g, '')
    .replace(/\\[dt]frac/g, '\\frac')
    .replace(/\^\s*\{\s*\\circ\s*\}|\^\s*\\circ|°/g, '')
    .replace(/\\?%/g, '')
    .replace(/\\(?:text|textbf|mathrm|mbox|textrm)\s*\{([^{}]*)\}/g, ' $1 ')
    .replace(/\\?\$/g, '')
    .replace(/\\frac\s*\{([^{}]*)\}\s*\{([^{}]*)\}/g, '($1)/($2)')
    .replace(/\\frac\s*(\d)\s*(\d)/g, '$1/$2')
    .replace(/(\d),(?=\d{3}(?!\d))/g, '$1')
    .trim()
    .replace(/^[a-zA-Z]\s*=\s*/, '')
    .replace(/\.$/, '');
  // Units after a number ("18 dollars", "5 cm") go; "2x" or "3 + x" stay, being part of the math.
  const withUnits = /^(-?\d+(?:\.\d+)?(?:\s*\/\s*\d+)?)\s+[a-zA-Z][a-zA-Z.\s]*$/.exec(s);
  if (withUnits) s = withUnits[1]!;
  s = s.replace(/\s+/g, '').toLowerCase();
  s = s.replace(/\((-?\d+(?:\.\d+)?)\)/g, '$1');
  return s.replace(/^(-?\d+)\.0+$/, '$1');
}

/** The value of a normalised answer that is a plain number or fraction, else null. */
function numericValue(s: string): number | null {
  if (/^[-+]?\d+(?:\.\d+)?$|^[-+]?\.\d+$/.test(s)) return Number(s);
  const frac = /^([-+]?\d+(?:\.\d+)?)\/(\d+(?:\.\d+)?)$/.exec(s);
  if (frac && Number(frac[2]) !== 0) return Number(frac[1]) / Number(frac[2]);
  return null;
}

export function answersEqual(a: string, b: string): boolean {
  const na = normalizeAnswer(a);
  const nb = normalizeAnswer(b);
  if (na === nb) return na !== '';
  const x = numericValue(na);
  const y = numericValue(nb);
  if (x === null || y === null) return false;
  return Math.abs(x - y) <= 1e-6 * Math.max(1, Math.abs(x), Math.abs(y));
}
