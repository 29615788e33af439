/**
 * Agreement numbers as the dashboard shows them: three decimals, "—" where a statistic is
 * undefined, a kappa matrix per annotator pair, and colours for the heatmap. Pure, so it is
 * unit-tested apart from React.
 */
import type { AgreementReport } from '../../../common/contract/review';
import type { Rating } from '../../../common/domain';

/** "0.412", "−0.250" (a real minus, as ratings are shown), "—" for undefined. */
export function fmt3(v: number | null | undefined): string {
  if (v === null || v === undefined || !Number.isFinite(v)) return '—';
  const s = Math.abs(v).toFixed(3);
  return v < 0 && s !== '0.000' ? `−${s}` : s;
}

/** "83.3%" or "—". */
export function fmtPct(v: number | null | undefined): string {
  if (v === null || v === undefined || !Number.isFinite(v)) return '—';
  return `${(v * 100).toFixed(1)}%`;
}

/** Seconds per step: "12.4 s", "1.5 min", or "—". */
export function fmtPace(seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined || !Number.isFinite(seconds)) return '—';
  return seconds < 90 ? `${seconds.toFixed(1)} s` : `${(seconds / 60).toFixed(1)} min`;
}

export type KappaCell = { kind: 'self' } | { kind: 'none' } | { kind: 'pair'; kappa: number | null; items: number };

/** Symmetric matrix over the report's annotators: Cohen's kappa and shared items for each pair. */
export function kappaMatrix(report: Pick<AgreementReport, 'annotators' | 'pairwiseCohen'>): {
  annotators: string[];
  cells: KappaCell[][];
} {
  const annotators = [...report.annotators].sort((a, b) => a.localeCompare(b));
  const pairs = new Map<string, { kappa: number | null; items: number }>();
  for (const p of report.pairwiseCohen) {
    pairs.set(`${p.a}\u0000${p.b}`, p);
    pairs.set(`${p.b}\u0000${p.a}`, p);
  }
  const cells = annotators.map((a) =>
    annotators.map((b): KappaCell => {
      if (a === b) return { kind: 'self' };
      const p = pairs.get(`${a}\u0000${b}`);
      return p ? { kind: 'pair', kappa: p.kappa, items: p.items } : { kind: 'none' };
    }),
  );
  return { annotators, cells };
}

/**
 * Heatmap fill for a kappa: red below chance, grey at chance, green towards perfect agreement.
 * Alpha grows with |kappa| so weak values stay quiet on the dark background.
 */
export function kappaColour(kappa: number | null): string {
  if (kappa === null || !Number.isFinite(kappa)) return 'transparent';
  const k = Math.max(-1, Math.min(1, kappa));
  const alpha = (0.12 + 0.6 * Math.abs(k)).toFixed(2);
  return k >= 0 ? `rgba(47, 138, 79, ${alpha})` : `rgba(179, 64, 58, ${alpha})`;
}

/** Landis and Koch's words for a kappa, the usual way to read one. */
export function kappaBand(kappa: number | null): string {
  if (kappa === null || !Number.isFinite(kappa)) return 'undefined';
  if (kappa < 0) return 'poor';
  if (kappa <= 0.2) return 'slight';
  if (kappa <= 0.4) return 'fair';
  if (kappa <= 0.6) return 'moderate';
  if (kappa <= 0.8) return 'substantial';
  return 'almost perfect';
}

export const RATINGS: Rating[] = [-1, 0, 1];

/** Share of each rating among the counted labels (zeros when there are none). */
export function balance(counts: AgreementReport['labelCounts']): { rating: Rating; count: number; share: number }[] {
  const total = counts['-1'] + counts['0'] + counts['1'];
  return RATINGS.map((rating) => {
    const count = counts[String(rating) as '-1' | '0' | '1'];
    return { rating, count, share: total ? count / total : 0 };
  });
}
