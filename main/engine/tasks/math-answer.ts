/**
 * Final answers of word problems: where they are (GSM8K `#### 18`, MATH `\boxed{...}`, PRM800K's
 * `# Answer` step, "The answer is ..."), and whether two of them mean the same thing as the MATH
 * graders judge it (math-equivalence.ts: normalisation, then symbolic equality), never raw string
 * equality.
 */
import { extractBoxed } from './math-boxed';
import { answersEquivalent } from './math-equivalence';
import { cleanAnswer } from './math-normalize';

export { extractBoxed };

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
  // PRM800K's final step: "# Answer" on its own line, then the answer.
  /^\s*#\s*Answer\s*\n\s*(.+?)\s*$/is,
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

/** A canonical text form of an answer (what is compared before any mathematics): grader noise gone, no spaces. */
export function normalizeAnswer(raw: string): string {
  return cleanAnswer(raw).replace(/\s+/g, '');
}

/** Whether answer `a` (a model's) is right against `b` (the gold one); see math-equivalence.ts. */
export function answersEqual(a: string, b: string): boolean {
  return answersEquivalent(a, b);
}
