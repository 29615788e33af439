/**
 * Segmenters: cut a transcript into steps. A segmenter only chooses cut positions, so the steps
 * always concatenate back to the exact text (every character, whitespace included, belongs to
 * exactly one step). Cuts never fall inside LaTeX math ($...$, $$...$$, \(...\), \[...\]).
 *
 * Adding a segmenter: write a function `(text) => cut positions` below and name it in SEGMENTERS.
 */
import type { SegmenterName } from '../../../common/longcot';
import { THOUGHT_MARKER } from './lexicon';

export { SEGMENTER_NAMES, type SegmenterName } from '../../../common/longcot';

/** Pieces shorter than this (non-space characters) are merged into the next one by `sentence`. */
export const MIN_SENTENCE_CHARS = 16;
/** `discourse` starts a new step at a marker only once the running step has this many characters. */
export const MIN_THOUGHT_CHARS = 120;

const MATH = /\$\$[\s\S]*?\$\$|\\\[[\s\S]*?\\\]|\\\([\s\S]*?\\\)|\$[^$\n]+?\$/g;
const PARAGRAPH_BREAK = /\n[ \t]*\n\s*/g;
const SENTENCE_END = /[.?!]+["')\]*_]*\s+|\n[ \t]*\n\s*/g;

/** Sorted [start, end) spans of LaTeX math, where no cut may fall. */
function mathSpans(text: string): number[] {
  const spans: number[] = [];
  if (!text.includes('$') && !text.includes('\\')) return spans;
  MATH.lastIndex = 0;
  for (let m = MATH.exec(text); m; m = MATH.exec(text)) spans.push(m.index, m.index + m[0].length);
  return spans;
}

/** Positions just after each match of `re` (exclusive of 0 and the end), outside math. */
function cutsAfter(text: string, re: RegExp): number[] {
  const spans = mathSpans(text);
  const cuts: number[] = [];
  let s = 0;
  re.lastIndex = 0;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    const at = m.index + m[0].length;
    if (at >= text.length) break;
    while (s < spans.length && spans[s + 1]! <= m.index) s += 2;
    if (s < spans.length && spans[s]! < at && m.index < spans[s + 1]!) continue;
    cuts.push(at);
  }
  return cuts;
}

function nonSpaceLength(text: string, from: number, to: number): number {
  let n = 0;
  for (let i = from; i < to; i++) {
    const c = text.charCodeAt(i);
    if (c !== 32 && c !== 10 && c !== 9 && c !== 13) n++;
  }
  return n;
}

function paragraphCuts(text: string): number[] {
  return cutsAfter(text, PARAGRAPH_BREAK);
}

/** Sentence ends; a piece with fewer than MIN_SENTENCE_CHARS visible characters joins the next. */
function sentenceCuts(text: string): number[] {
  const raw = cutsAfter(text, SENTENCE_END);
  const cuts: number[] = [];
  let start = 0;
  for (const at of raw) {
    if (nonSpaceLength(text, start, at) < MIN_SENTENCE_CHARS) continue;
    cuts.push(at);
    start = at;
  }
  // The last piece is too short: it joins the one before.
  if (cuts.length && nonSpaceLength(text, cuts.at(-1)!, text.length) < MIN_SENTENCE_CHARS) cuts.pop();
  return cuts;
}

/** A new step where a thought marker opens a sentence, once the running step is long enough. */
function discourseCuts(text: string): number[] {
  const cuts: number[] = [];
  let start = 0;
  for (const at of cutsAfter(text, SENTENCE_END)) {
    if (at - start < MIN_THOUGHT_CHARS) continue;
    if (!THOUGHT_MARKER.test(text.slice(at, at + 48))) continue;
    cuts.push(at);
    start = at;
  }
  return cuts;
}

const SEGMENTERS: Record<SegmenterName, (text: string) => number[]> = {
  paragraph: paragraphCuts,
  sentence: sentenceCuts,
  discourse: discourseCuts,
};

/** The steps of a text: non-empty pieces whose concatenation is exactly `text`. */
export function segment(text: string, segmenter: SegmenterName): string[] {
  if (text === '') return [];
  const pieces: string[] = [];
  let start = 0;
  for (const at of SEGMENTERS[segmenter](text)) {
    // A piece of only whitespace (a blank line opening the answer) joins the step after it.
    if (at <= start || at >= text.length || text.slice(start, at).trim() === '') continue;
    pieces.push(text.slice(start, at));
    start = at;
  }
  pieces.push(text.slice(start));
  return pieces;
}
