/**
 * Inter-annotator agreement statistics over categorical labels: Cohen's kappa for a pair,
 * Fleiss' kappa and Krippendorff's alpha for any number of annotators. Pure functions over a
 * ratings table, checked against published textbook examples in the tests.
 */

/** One item's labels: annotator -> category. Missing annotators simply are not keys. */
export type RatingsByItem = Map<string, Map<string, number>>;

/** Cohen's kappa between two annotators over the items both labeled; null when undefined. */
export function cohensKappa(pairs: readonly (readonly [number, number])[]): number | null {
  const n = pairs.length;
  if (n === 0) return null;
  const categories = [...new Set(pairs.flat())];
  let observed = 0;
  const countA = new Map<number, number>();
  const countB = new Map<number, number>();
  for (const [a, b] of pairs) {
    if (a === b) observed++;
    countA.set(a, (countA.get(a) ?? 0) + 1);
    countB.set(b, (countB.get(b) ?? 0) + 1);
  }
  const po = observed / n;
  const pe = categories.reduce((s, c) => s + ((countA.get(c) ?? 0) / n) * ((countB.get(c) ?? 0) / n), 0);
  if (pe === 1) return po === 1 ? 1 : null;
  return (po - pe) / (1 - pe);
}

/**
 * Fleiss' kappa from a subjects × categories count table (each row: how many annotators put the
 * subject in each category). Rows may have different totals (>= 2); rows with fewer are skipped.
 */
export function fleissKappa(counts: readonly (readonly number[])[]): number | null {
  const rows = counts.filter((r) => r.reduce((a, b) => a + b, 0) >= 2);
  if (rows.length === 0) return null;
  const k = rows[0]!.length;
  const totals = new Array<number>(k).fill(0);
  let allRatings = 0;
  let pBarSum = 0;
  for (const row of rows) {
    const ni = row.reduce((a, b) => a + b, 0);
    allRatings += ni;
    row.forEach((c, j) => (totals[j]! += c));
    pBarSum += (row.reduce((s, c) => s + c * c, 0) - ni) / (ni * (ni - 1));
  }
  const pBar = pBarSum / rows.length;
  const pe = totals.reduce((s, t) => s + (t / allRatings) ** 2, 0);
  if (pe === 1) return pBar === 1 ? 1 : null;
  return (pBar - pe) / (1 - pe);
}

export type AlphaMetric = 'nominal' | 'interval';

/**
 * Krippendorff's alpha with missing data, from the coincidence matrix. Units with fewer than two
 * values are not pairable and are left out, as the coefficient defines.
 */
export function krippendorffAlpha(units: readonly (readonly number[])[], metric: AlphaMetric = 'nominal'): number | null {
  const pairable = units.filter((u) => u.length >= 2);
  const values = [...new Set(pairable.flat())].sort((a, b) => a - b);
  if (values.length === 0) return null;
  const index = new Map(values.map((v, i) => [v, i]));
  const v = values.length;
  const o: number[][] = Array.from({ length: v }, () => new Array<number>(v).fill(0));
  for (const unit of pairable) {
    const m = unit.length;
    for (let i = 0; i < m; i++) {
      for (let j = 0; j < m; j++) {
        if (i !== j) o[index.get(unit[i]!)!]![index.get(unit[j]!)!]! += 1 / (m - 1);
      }
    }
  }
  const nc = o.map((row) => row.reduce((a, b) => a + b, 0));
  const n = nc.reduce((a, b) => a + b, 0);
  if (n <= 1) return null;
  const delta = (c: number, k: number) =>
    metric === 'nominal' ? (c === k ? 0 : 1) : (values[c]! - values[k]!) ** 2;
  let observed = 0;
  let expected = 0;
  for (let c = 0; c < v; c++) {
    for (let k = 0; k < v; k++) {
      observed += o[c]![k]! * delta(c, k);
      expected += nc[c]! * nc[k]! * delta(c, k);
    }
  }
  if (expected === 0) return observed === 0 ? 1 : null;
  return 1 - ((n - 1) * observed) / expected;
}

export interface AgreementSummary {
  items: number;
  /** Items labeled by at least two annotators. */
  multiplyLabeled: number;
  annotators: string[];
  pairwiseCohen: { a: string; b: string; items: number; kappa: number | null }[];
  fleissKappa: number | null;
  krippendorffAlphaNominal: number | null;
  krippendorffAlphaInterval: number | null;
}

/** All agreement statistics for one set of items. */
export function summarizeAgreement(ratings: RatingsByItem, categories: readonly number[] = [-1, 0, 1]): AgreementSummary {
  const annotators = [...new Set([...ratings.values()].flatMap((m) => [...m.keys()]))].sort();
  const pairwiseCohen: AgreementSummary['pairwiseCohen'] = [];
  for (let i = 0; i < annotators.length; i++) {
    for (let j = i + 1; j < annotators.length; j++) {
      const a = annotators[i]!;
      const b = annotators[j]!;
      const pairs: [number, number][] = [];
      for (const byAnnotator of ratings.values()) {
        const ra = byAnnotator.get(a);
        const rb = byAnnotator.get(b);
        if (ra !== undefined && rb !== undefined) pairs.push([ra, rb]);
      }
      if (pairs.length > 0) pairwiseCohen.push({ a, b, items: pairs.length, kappa: cohensKappa(pairs) });
    }
  }
  const units = [...ratings.values()].map((m) => [...m.values()]);
  const counts = units.map((u) => categories.map((c) => u.filter((x) => x === c).length));
  return {
    items: ratings.size,
    multiplyLabeled: units.filter((u) => u.length >= 2).length,
    annotators,
    pairwiseCohen,
    fleissKappa: fleissKappa(counts),
    krippendorffAlphaNominal: krippendorffAlpha(units, 'nominal'),
    krippendorffAlphaInterval: krippendorffAlpha(units, 'interval'),
  };
}
