/**
 * Under the selected step's suggestions: which source "accept all on this path" takes, how many
 * steps it would label, and the button (its key is shown on it).
 */
import type { AutoLabel } from '../../../common/contract/suggest';
import { Kbd, useKeyTitle } from '../ui/Kbd';
import './review.css';

export function AcceptPathBar({
  sources,
  source,
  pending,
  onSource,
  onAccept,
}: {
  /** Sources with usable suggestions on the path. */
  sources: AutoLabel['source'][];
  source: AutoLabel['source'];
  /** Path steps the chosen source would label (unrated by me). */
  pending: number;
  onSource(s: AutoLabel['source']): void;
  onAccept(): void;
}) {
  const keyTitle = useKeyTitle();
  if (!sources.length) return null;
  const shown = sources.includes(source) ? source : sources[0]!;
  return (
    <div className="accept-path" data-testid="accept-path">
      <span className="field-label">Path</span>
      <select aria-label="Suggestion source to accept" value={shown} onChange={(e) => onSource(e.target.value as AutoLabel['source'])}>
        {sources.map((s) => (
          <option key={s} value={s}>
            {s}
          </option>
        ))}
      </select>
      <span className="muted small">{pending ? `${pending} to accept` : 'all rated'}</span>
      <span className="spacer" />
      <button
        className="button small"
        disabled={pending === 0}
        onClick={onAccept}
        title={keyTitle('Take every suggestion of this source on the path to here as your label (one undo takes them back)', 'acceptPath')}
      >
        Accept all on path <Kbd action="acceptPath" />
      </button>
    </div>
  );
}
