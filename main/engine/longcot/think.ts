/**
 * Where the reasoning and the final answer sit in a model's response. A response is read as
 * `prefix + reasoning + middle + answer + suffix`, exactly: the tags (`<think>`, `</think>`,
 * OpenThoughts' `<|begin_of_thought|>` ... `<|end_of_solution|>`) and anything before the
 * reasoning live in the wrapper, so the transcript can be written back character for character.
 */

export interface TranscriptParts {
  prefix: string;
  reasoning: string;
  middle: string;
  answer: string;
  suffix: string;
}

const THINK_TAGS: readonly [string, string][] = [
  ['<think>', '</think>'],
  ['<|begin_of_thought|>', '<|end_of_thought|>'],
];
const ANSWER_TAGS: readonly [string, string][] = [
  ['<|begin_of_solution|>', '<|end_of_solution|>'],
  ['<answer>', '</answer>'],
];

/** The answer after the reasoning, without its own tags (kept in middle and suffix). */
function splitAnswer(rest: string): { middle: string; answer: string; suffix: string } {
  for (const [open, close] of ANSWER_TAGS) {
    const o = rest.indexOf(open);
    if (o < 0) continue;
    const start = o + open.length;
    const c = rest.indexOf(close, start);
    const end = c < 0 ? rest.length : c;
    return { middle: rest.slice(0, start), answer: rest.slice(start, end), suffix: rest.slice(end) };
  }
  return { middle: '', answer: rest, suffix: '' };
}

/**
 * Splits a response holding its reasoning in think tags. A response with a closing tag but no
 * opening one (DeepSeek-R1's template puts `<think>` in the prompt) reasons up to the closing tag;
 * one whose reasoning never closes (cut off) is all reasoning. Null when there is no think tag.
 */
export function splitThink(text: string): TranscriptParts | null {
  for (const [open, close] of THINK_TAGS) {
    const o = text.indexOf(open);
    const from = o < 0 ? 0 : o + open.length;
    const c = text.indexOf(close, from);
    if (o < 0 && c < 0) continue;
    const prefix = text.slice(0, from);
    if (c < 0) return { prefix, reasoning: text.slice(from), middle: '', answer: '', suffix: '' };
    const rest = splitAnswer(text.slice(c + close.length));
    return { prefix, reasoning: text.slice(from, c), ...rest, middle: close + rest.middle };
  }
  return null;
}

/** Reasoning and answer given as two fields (`reasoning_content`, `deepseek_reasoning` ...). */
export function separateParts(reasoning: string, answer: string): TranscriptParts {
  return { prefix: '', reasoning, middle: '', answer, suffix: '' };
}

export function joinParts(p: TranscriptParts): string {
  return p.prefix + p.reasoning + p.middle + p.answer + p.suffix;
}
