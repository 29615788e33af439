/** Explains the current colour mode: rating swatches or a numeric scale with its domain. */
import { fmtNum } from '../lib/format';
import { colourDomain, RATING_COLOURS, scaleColour, type ColourMode } from '../model/colour';
import type { RunModel } from '../model/run-model';

export function Legend({ mode, model }: { mode: ColourMode; model: RunModel }) {
  if (mode === 'label' || mode === 'exact') {
    return (
      <div className="legend" aria-label="Colour legend">
        {(['-1', '0', '1'] as const).map((r) => (
          <span key={r} className="legend-item">
            <i className="swatch" style={{ background: RATING_COLOURS[r] }} />
            {r === '1' ? '+1' : r === '-1' ? '−1' : '0'}
          </span>
        ))}
        <span className="legend-item">
          <i className="swatch swatch-none" />
          {mode === 'label' ? 'unrated' : 'unknown'}
        </span>
        {mode === 'label' && (
          <span className="legend-item">
            <i className="swatch swatch-muted" style={{ borderColor: RATING_COLOURS['1'] }} />
            others only
          </span>
        )}
      </div>
    );
  }
  const domain = colourDomain(model.ranges()[mode]);
  if (!domain) return <div className="legend legend-empty">no {mode}s in this run</div>;
  const stops = Array.from({ length: 6 }, (_, i) => scaleColour(i / 5)).join(', ');
  return (
    <div className="legend" aria-label="Colour legend">
      <span className="legend-num">{fmtNum(domain[0], 2)}</span>
      <i className="scale" style={{ background: `linear-gradient(90deg, ${stops})` }} />
      <span className="legend-num">{fmtNum(domain[1], 2)}</span>
    </div>
  );
}
