/** The review screens' pure logic: number formats, the kappa matrix, the queue pick, accept-all batches. */
import { describe, expect, test } from 'vitest';
import type { AutoLabel } from '../../../common/contract/suggest';
import { acceptableOnPath, sourcesOnPath } from '../../../renderer/src/review/accept-path';
import { nextRule, pickQueueItem, QUEUE_RULES } from '../../../renderer/src/review/queue';
import { balance, fmt3, fmtPace, fmtPct, kappaBand, kappaColour, kappaMatrix } from '../../../renderer/src/review/stats-view';

describe('numbers', () => {
  test('three decimals, a real minus, a dash for undefined', () => {
    expect(fmt3(0.41234)).toBe('0.412');
    expect(fmt3(1)).toBe('1.000');
    expect(fmt3(-0.25)).toBe('−0.250');
    expect(fmt3(-0.0001)).toBe('0.000');
    expect(fmt3(null)).toBe('—');
    expect(fmt3(Number.NaN)).toBe('—');
    expect(fmtPct(0.5)).toBe('50.0%');
    expect(fmtPct(null)).toBe('—');
    expect(fmtPace(12.345)).toBe('12.3 s');
    expect(fmtPace(150)).toBe('2.5 min');
    expect(fmtPace(null)).toBe('—');
  });

  test("Landis and Koch's bands and heat colours by sign", () => {
    expect([-0.1, 0.1, 0.3, 0.5, 0.7, 0.9].map(kappaBand)).toEqual(['poor', 'slight', 'fair', 'moderate', 'substantial', 'almost perfect']);
    expect(kappaBand(null)).toBe('undefined');
    expect(kappaColour(null)).toBe('transparent');
    expect(kappaColour(0.8)).toMatch(/^rgba\(47, 138, 79/);
    expect(kappaColour(-0.8)).toMatch(/^rgba\(179, 64, 58/);
    // Stronger agreement, stronger colour; values beyond ±1 are clamped.
    const alpha = (c: string) => Number(/, ([\d.]+)\)$/.exec(c)![1]);
    expect(alpha(kappaColour(0.9))).toBeGreaterThan(alpha(kappaColour(0.2)));
    expect(kappaColour(3)).toBe(kappaColour(1));
  });

  test('label balance shares', () => {
    expect(balance({ '-1': 1, '0': 1, '1': 2 })).toEqual([
      { rating: -1, count: 1, share: 0.25 },
      { rating: 0, count: 1, share: 0.25 },
      { rating: 1, count: 2, share: 0.5 },
    ]);
    expect(balance({ '-1': 0, '0': 0, '1': 0 }).map((r) => r.share)).toEqual([0, 0, 0]);
  });
});

test('the kappa matrix is symmetric, sorted, with the diagonal and missing pairs marked', () => {
  const { annotators, cells } = kappaMatrix({
    annotators: ['cy', 'ann', 'bob'],
    pairwiseCohen: [
      { a: 'ann', b: 'bob', items: 10, kappa: 0.5 },
      { a: 'bob', b: 'cy', items: 4, kappa: null },
    ],
  });
  expect(annotators).toEqual(['ann', 'bob', 'cy']);
  expect(cells[0]![0]).toEqual({ kind: 'self' });
  expect(cells[0]![1]).toEqual({ kind: 'pair', kappa: 0.5, items: 10 });
  expect(cells[1]![0]).toEqual({ kind: 'pair', kappa: 0.5, items: 10 });
  expect(cells[2]![1]).toEqual({ kind: 'pair', kappa: null, items: 4 });
  expect(cells[0]![2]).toEqual({ kind: 'none' });
});

describe('queue', () => {
  const items = [
    { nodeId: 5, runId: 1, priority: 0 },
    { nodeId: 6, runId: 1, priority: 0.1 },
    { nodeId: 9, runId: 2, priority: 0.2 },
  ];
  test('skips the selected step and steps this screen knows are done, never other runs’', () => {
    expect(pickQueueItem(items, { runId: 1, selected: null, skip: () => false })).toEqual(items[0]);
    expect(pickQueueItem(items, { runId: 1, selected: 5, skip: () => false })).toEqual(items[1]);
    expect(pickQueueItem(items, { runId: 1, selected: 5, skip: (id) => id === 6 })).toEqual(items[2]);
    // In run 2 the skip test (this run's model) does not apply to run 1's steps.
    expect(pickQueueItem(items, { runId: 2, selected: null, skip: () => true })).toEqual(items[0]);
    expect(pickQueueItem(items, { runId: 2, selected: null, skip: (id) => id === 9 })).toEqual(items[0]);
    expect(pickQueueItem([], { runId: 1, selected: null, skip: () => false })).toBeNull();
  });
  test('rules cycle', () => {
    expect(QUEUE_RULES.map(nextRule)).toEqual(['uncertainty', 'scorer-vs-mc', 'annotator-disagreement', 'order']);
  });
});

describe('accept all on a path', () => {
  const label = (nodeId: number, source: AutoLabel['source'], l: -1 | 0 | 1 | null): AutoLabel => ({
    nodeId,
    source,
    label: l,
    value: null,
    rollouts: null,
    model: null,
  });
  const suggestions = new Map<number, AutoLabel[]>([
    [1, [label(1, 'exact', -1), label(1, 'mc', 1)]],
    [2, [label(2, 'exact', 1)]],
    [3, [label(3, 'scorer', null)]],
  ]);
  test('steps with a usable suggestion of the source that I have not rated', () => {
    expect(acceptableOnPath([1, 2, 3], suggestions, 'exact', () => false)).toEqual([1, 2]);
    expect(acceptableOnPath([1, 2, 3], suggestions, 'exact', (id) => id === 1)).toEqual([2]);
    expect(acceptableOnPath([1, 2, 3], suggestions, 'scorer', () => false)).toEqual([]);
    expect(sourcesOnPath([1, 2, 3], suggestions)).toEqual(['exact', 'mc']);
    expect(sourcesOnPath([3], suggestions)).toEqual([]);
  });
});
