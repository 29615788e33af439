/**
 * A rendered trace as lines that remember which node they speak about, so loss masks can be
 * computed per node (e.g. leave out incorrect branches) and written as character spans.
 */

export type TraceLineKind =
  /** The problem's state line (Stream of Search's first `Current State`), used as the prompt. */
  | 'start'
  /** A step being tried, and its outcome (`Generated Node`, `Dead End`, `Goal Reached`, ...). */
  | 'step'
  /** Moving elsewhere in the tree: a move, a backtrack, a `[BACK]` token, a sentence. */
  | 'move'
  /** `No solution found.` and the like. */
  | 'end'
  /** The appended `Solution:` block. */
  | 'answer';

export interface TraceLine {
  text: string;
  kind: TraceLineKind;
  /** The node the line is about (-1 for none). */
  node: number;
}

export const line = (text: string, kind: TraceLineKind, node = -1): TraceLine => ({ text, kind, node });

export function joinLines(lines: TraceLine[]): string {
  return lines.map((l) => l.text).join('\n');
}

/** Length in Unicode code points, the unit Python's `str` indexes by. */
export function codePoints(text: string): number {
  let n = 0;
  for (const _ of text) n++;
  return n;
}

/**
 * Character spans ([start, end), code points) of the kept lines in `lines.join('\n')`, offset by
 * `base`; adjacent kept lines merge into one span that includes the newline between them.
 */
export function lineSpans(lines: TraceLine[], keep: (l: TraceLine) => boolean, base = 0): [number, number][] {
  const spans: [number, number][] = [];
  let at = base;
  lines.forEach((l, k) => {
    const len = codePoints(l.text);
    if (keep(l)) {
      const last = spans[spans.length - 1];
      if (last && last[1] === at - 1) last[1] = at + len;
      else spans.push([at, at + len]);
    }
    at += len + (k < lines.length - 1 ? 1 : 0);
  });
  return spans;
}
