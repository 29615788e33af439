/**
 * The selected step's review state in the inspector: its quality-control gold label (set or
 * clear it), the adjudicated final label if a reviewer set one, and a button that makes the run's
 * exact solver labels its gold.
 */
import { useState } from 'react';
import type { Rating } from '../../../common/domain';
import { fmtRating, plural } from '../lib/format';
import { useClient } from '../shell/events';
import { useToaster } from '../ui/toasts';
import type { ReviewLabels } from './useReviewLabels';

interface Props {
  runId: number;
  nodeId: number;
  isRoot: boolean;
  annotator: string;
  /** Steps of this run with an exact label (0: the button is not offered). */
  exactSteps: number;
  review: ReviewLabels;
}

export function QualityPanel({ runId, nodeId, isRoot, annotator, exactSteps, review }: Props) {
  const client = useClient();
  const toast = useToaster();
  const [busy, setBusy] = useState(false);
  const gold = review.gold.get(nodeId);
  const final = review.adjudications.get(nodeId);

  const setGold = (rating: Rating | null) => {
    setBusy(true);
    client.api
      .setGold({ nodeId, setBy: annotator, rating })
      .then(
        () => toast.info(rating === null ? 'Gold label cleared' : `Gold label ${fmtRating(rating)} set`),
        (e: unknown) => toast.error(e, 'Could not set the gold label'),
      )
      .finally(() => {
        setBusy(false);
        review.reload();
      });
  };
  const exactAsGold = () => {
    setBusy(true);
    client.api
      .goldFromExactLabels({ runId })
      .then(
        (r) => toast.info(`Exact labels are now gold: ${plural(r.goldSteps, 'step')} of run #${runId}`),
        (e: unknown) => toast.error(e, 'Could not use the exact labels as gold'),
      )
      .finally(() => {
        setBusy(false);
        review.reload();
      });
  };

  return (
    <div className="quality" data-testid="quality">
      {!isRoot && (
        <div className="quality-row" role="group" aria-label="Gold label for quality control">
          <span className="field-label" title="Quality-control question: annotators' accuracy is measured against it">
            Gold
          </span>
          {([-1, 0, 1] as const).map((r) => (
            <button
              key={r}
              className={`gold-button r${r}${gold?.rating === r ? ' is-active' : ''}`}
              aria-pressed={gold?.rating === r}
              disabled={busy}
              onClick={() => setGold(gold?.rating === r ? null : r)}
              title={gold?.rating === r ? 'Clear the gold label' : `Mark as gold ${fmtRating(r)}`}
            >
              {fmtRating(r)}
            </button>
          ))}
          <span className="muted small">{gold ? `set by ${gold.setBy}` : 'not a gold step'}</span>
        </div>
      )}
      {final && (
        <div className="quality-row" data-testid="final-label">
          <span className="field-label">Final</span>
          <span className={`chip rating r${final.rating}`}>{fmtRating(final.rating)}</span>
          <span className="muted small">adjudicated by {final.reviewer}</span>
          {final.note && <span className="quality-note" title={final.note}>{final.note}</span>}
        </div>
      )}
      <div className="quality-row">
        <span className="muted small">
          {review.gold.size ? `${review.gold.size.toLocaleString()} gold steps in this run` : 'No gold steps in this run'}
        </span>
        <span className="spacer" />
        {exactSteps > 0 && (
          <button className="button small" disabled={busy} onClick={exactAsGold} title="Use the solver's exact labels as this run's gold labels">
            Exact labels → gold
          </button>
        )}
      </div>
    </div>
  );
}
