/** Agreement statistics against published worked examples. */
import { expect, test } from 'vitest';
import { cohensKappa, fleissKappa, krippendorffAlpha, summarizeAgreement } from '../../../main/engine/labels/agreement';

test("Cohen's kappa: 50 items, 20 yes/yes, 5 yes/no, 10 no/yes, 15 no/no gives 0.4", () => {
  const pairs: [number, number][] = [
    ...Array<[number, number]>(20).fill([1, 1]),
    ...Array<[number, number]>(5).fill([1, 0]),
    ...Array<[number, number]>(10).fill([0, 1]),
    ...Array<[number, number]>(15).fill([0, 0]),
  ];
  expect(cohensKappa(pairs)).toBeCloseTo(0.4, 10);
  expect(cohensKappa([[1, 1], [0, 0]])).toBe(1);
  expect(cohensKappa([])).toBeNull();
});

test("Fleiss' kappa: 10 subjects, 14 raters, 5 categories gives 0.210", () => {
  const table = [
    [0, 0, 0, 0, 14],
    [0, 2, 6, 4, 2],
    [0, 0, 3, 5, 6],
    [0, 3, 9, 2, 0],
    [2, 2, 8, 1, 1],
    [7, 7, 0, 0, 0],
    [3, 2, 6, 3, 0],
    [2, 5, 3, 2, 2],
    [6, 5, 2, 1, 0],
    [0, 2, 2, 3, 7],
  ];
  expect(fleissKappa(table)).toBeCloseTo(0.21, 3);
});

test("Krippendorff's alpha: the 4-coder, 12-unit example with missing data (nominal .743, interval .849)", () => {
  const NA = null;
  const coders = [
    [1, 2, 3, 3, 2, 1, 4, 1, 2, NA, NA, NA],
    [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, NA, 3],
    [NA, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, NA],
    [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, NA],
  ];
  const units = coders[0]!.map((_, u) => coders.map((c) => c[u]).filter((x): x is number => x !== null));
  expect(krippendorffAlpha(units, 'nominal')).toBeCloseTo(0.743, 3);
  expect(krippendorffAlpha(units, 'interval')).toBeCloseTo(0.849, 3);
});

test('summary over studio ratings: pairs, Fleiss and alpha together', () => {
  const ratings = new Map([
    ['n1', new Map([['ann', 1], ['bob', 1], ['cy', 1]])],
    ['n2', new Map([['ann', -1], ['bob', -1], ['cy', 0]])],
    ['n3', new Map([['ann', 0], ['bob', 1]])],
    ['n4', new Map([['ann', 1]])],
  ]);
  const s = summarizeAgreement(ratings);
  expect(s.annotators).toEqual(['ann', 'bob', 'cy']);
  expect(s.items).toBe(4);
  expect(s.multiplyLabeled).toBe(3);
  expect(s.pairwiseCohen.map((p) => [p.a, p.b, p.items])).toEqual([
    ['ann', 'bob', 3],
    ['ann', 'cy', 2],
    ['bob', 'cy', 2],
  ]);
  expect(s.krippendorffAlphaNominal).toBeGreaterThan(0);
  expect(s.krippendorffAlphaNominal).toBeLessThan(1);
});
