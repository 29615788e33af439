/**
 * Review reports over the store's review data (store/reviews.ts): agreement statistics, label
 * balance, gold accuracy and pace per annotator.
 */
import type { ReviewRepository, ReviewScope } from '../store/reviews';
import { summarizeAgreement, type AgreementSummary, type RatingsByItem } from './agreement';

export type { Disagreement } from '../store/reviews';
export type Scope = ReviewScope;

export interface AnnotatorReport {
  annotator: string;
  labeled: number;
  counts: { '-1': number; '0': number; '1': number };
  goldItems: number;
  goldAccuracy: number | null;
  secondsPerStep: number | null;
}

export interface AgreementReport extends AgreementSummary {
  scope: Scope;
  labelCounts: { '-1': number; '0': number; '1': number };
  perAnnotator: AnnotatorReport[];
}

/** Agreement, label balance, gold accuracy and pace per annotator, within a scope. */
export function agreementReport(reviews: ReviewRepository, scope: Scope, secondsByAnnotator: Map<string, number> = new Map()): AgreementReport {
  const rows = reviews.ratingsWithGold(scope);
  const ratings: RatingsByItem = new Map();
  const labelCounts = { '-1': 0, '0': 0, '1': 0 };
  const per = new Map<string, { labeled: number; counts: AnnotatorReport['counts']; gold: number; goldRight: number }>();
  for (const r of rows) {
    const item = ratings.get(String(r.nodeId)) ?? new Map<string, number>();
    item.set(r.annotator, r.rating);
    ratings.set(String(r.nodeId), item);
    labelCounts[String(r.rating) as '-1' | '0' | '1']++;
    const p = per.get(r.annotator) ?? { labeled: 0, counts: { '-1': 0, '0': 0, '1': 0 }, gold: 0, goldRight: 0 };
    p.labeled++;
    p.counts[String(r.rating) as '-1' | '0' | '1']++;
    if (r.gold !== null) {
      p.gold++;
      if (r.gold === r.rating) p.goldRight++;
    }
    per.set(r.annotator, p);
  }
  return {
    scope,
    ...summarizeAgreement(ratings),
    labelCounts,
    perAnnotator: [...per.entries()]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([annotator, p]) => {
        const seconds = secondsByAnnotator.get(annotator);
        return {
          annotator,
          labeled: p.labeled,
          counts: p.counts,
          goldItems: p.gold,
          goldAccuracy: p.gold > 0 ? p.goldRight / p.gold : null,
          secondsPerStep: seconds !== undefined && p.labeled > 0 ? seconds / p.labeled : null,
        };
      }),
  };
}
