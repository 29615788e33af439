/**
 * Branch ratings (1-5 scores and "preferred" marks on leaves) as one view per leaf: one
 * annotator's, or pooled over annotators (mean score; preferred when most raters say so).
 */
import type { LabelSource } from '../../../common/contract/export';
import type { ExportTree } from './tree';

export interface BranchView {
  /** Mean score, null when nobody scored the branch. */
  score: number | null;
  preferred: boolean;
}

export function branchViews(tree: ExportTree, source: LabelSource): Map<number, BranchView> {
  const pooled = new Map<number, { sum: number; scored: number; preferred: number; raters: number }>();
  for (const b of tree.source.branchRatings) {
    if (source.kind === 'annotator' && b.annotator !== source.annotator) continue;
    const i = tree.indexOf(b.leafNodeId);
    if (i === undefined || tree.included[i] !== 1) continue;
    const p = pooled.get(i) ?? { sum: 0, scored: 0, preferred: 0, raters: 0 };
    if (b.score !== null) (p.sum += b.score), (p.scored += 1);
    if (b.preferred) p.preferred += 1;
    p.raters += 1;
    pooled.set(i, p);
  }
  const out = new Map<number, BranchView>();
  for (const [i, p] of pooled) {
    out.set(i, { score: p.scored ? p.sum / p.scored : null, preferred: p.preferred * 2 > p.raters });
  }
  return out;
}
