/** Paging long model text: pages within the limit, cut at paragraph or line breaks, nothing lost. */
import { expect, test } from 'vitest';
import { pageStarts, TEXT_LIMIT } from '../../../renderer/src/lib/pages';

const pages = (text: string, limit?: number) => {
  const starts = pageStarts(text, limit);
  return starts.map((s, i) => text.slice(s, starts[i + 1] ?? text.length));
};

test('short texts are one page', () => {
  expect(pageStarts('hello')).toEqual([0]);
  expect(pageStarts('x'.repeat(TEXT_LIMIT))).toEqual([0]);
});

test('pages join back into the text, each within the limit, cut after a paragraph break when there is one', () => {
  const paragraph = 'Since $a \\neq b$, the sum is $\\frac{1}{2}$.\n\n';
  const text = paragraph.repeat(2000);
  const split = pages(text);
  expect(split.join('')).toBe(text);
  expect(split.length).toBeGreaterThan(1);
  for (const p of split) expect(p.length).toBeLessThanOrEqual(TEXT_LIMIT);
  for (const p of split.slice(0, -1)) expect(p.endsWith('\n\n') || p.endsWith('\n')).toBe(true);
});

test('a 5 MB step pages whole; a text with no breaks is cut hard', () => {
  const text = 'word '.repeat(1_048_576);
  const split = pages(text);
  expect(split.join('')).toBe(text);
  expect(split.length).toBeGreaterThanOrEqual(Math.ceil(text.length / TEXT_LIMIT));
  const hard = pages('9'.repeat(45_000));
  expect(hard.map((p) => p.length)).toEqual([20_000, 20_000, 5_000]);
});
