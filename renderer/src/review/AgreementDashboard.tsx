/**
 * Agreement dashboard: a list of scopes (all tasks, each task, the open run) and, for the chosen
 * one, Fleiss' kappa and Krippendorff's alpha, Cohen's kappa for every annotator pair as a
 * heatmap, label balance as bars, and per annotator: progress, label mix, gold accuracy and pace.
 * Plain SVG and CSS; every number carries a test id so tests compare it with the engine's.
 */
import type { AgreementReport } from '../../../common/contract/review';
import { fmtRating, plural } from '../lib/format';
import { balance, fmt3, fmtPace, fmtPct, kappaBand, kappaColour, kappaMatrix, RATINGS } from './stats-view';

export interface ScopeReport {
  key: string;
  label: string;
  report: AgreementReport;
  /** Steps that could be labeled in this scope, where known (the open run): progress is "of" it. */
  labelable?: number;
}

export function ScopeList({ scopes, cursor, onPick }: { scopes: ScopeReport[]; cursor: number; onPick(i: number): void }) {
  return (
    <ul className="agr-scopes" aria-label="Scope">
      {scopes.map((s, i) => (
        <li key={s.key}>
          <button
            aria-pressed={i === cursor}
            className={`agr-scope${i === cursor ? ' is-cursor' : ''}`}
            onClick={() => onPick(i)}
            data-testid={`scope-${s.key}`}
          >
            <span className="agr-scope-name">{s.label}</span>
            <span className="agr-scope-nums">
              <span title="Fleiss' kappa">κ {fmt3(s.report.fleissKappa)}</span>
              <span title="Krippendorff's alpha (nominal)">α {fmt3(s.report.krippendorffAlphaNominal)}</span>
            </span>
            <span className="agr-scope-meta">
              {plural(s.report.items, 'step')} · {plural(s.report.annotators.length, 'annotator')}
            </span>
          </button>
        </li>
      ))}
    </ul>
  );
}

export function AgreementDetail({ scope }: { scope: ScopeReport }) {
  const r = scope.report;
  if (r.items === 0) {
    return (
      <section className="agr-detail">
        <h2>{scope.label}</h2>
        <div className="empty-state">No labels here yet. Agreement needs steps rated by two or more annotators.</div>
      </section>
    );
  }
  return (
    <section className="agr-detail" data-testid="agreement-detail" data-scope={scope.key}>
      <header className="agr-head">
        <h2>{scope.label}</h2>
        <span className="muted">
          {plural(r.items, 'step')} labeled · {r.multiplyLabeled.toLocaleString()} by two or more · {plural(r.annotators.length, 'annotator')}
        </span>
      </header>
      <div className="agr-tiles">
        <Tile id="fleiss" label="Fleiss' kappa" value={r.fleissKappa} hint="all annotators, chance-corrected" />
        <Tile id="alpha-nominal" label="Krippendorff's alpha" value={r.krippendorffAlphaNominal} hint="nominal: −1, 0, +1 as categories" />
        <Tile id="alpha-interval" label="Krippendorff's alpha" value={r.krippendorffAlphaInterval} hint="interval: distances count" />
        <div className="agr-tile">
          <span className="agr-tile-label">Steps</span>
          <span className="agr-tile-value" data-testid="stat-items">
            {r.items.toLocaleString()}
          </span>
          <span className="agr-tile-hint">
            <span data-testid="stat-multiply">{r.multiplyLabeled.toLocaleString()}</span> with 2+ labels
          </span>
        </div>
      </div>
      <div className="agr-row">
        <div className="agr-card">
          <h3>Cohen's kappa per pair</h3>
          <KappaHeatmap report={r} />
        </div>
        <div className="agr-card agr-balance-card">
          <h3>Label balance</h3>
          <BalanceChart counts={r.labelCounts} />
        </div>
      </div>
      <div className="agr-card">
        <h3>Annotators</h3>
        <AnnotatorTable report={r} labelable={scope.labelable} />
      </div>
    </section>
  );
}

function Tile({ id, label, value, hint }: { id: string; label: string; value: number | null; hint: string }) {
  return (
    <div className="agr-tile" title={value === null ? 'Undefined: too few items, annotators or categories' : kappaBand(value)}>
      <span className="agr-tile-label">{label}</span>
      <span className={`agr-tile-value${value === null ? ' is-undefined' : ''}`} data-testid={`stat-${id}`}>
        {fmt3(value)}
      </span>
      <span className="agr-tile-hint">
        {hint}
        {value !== null && <span className="agr-band"> · {kappaBand(value)}</span>}
      </span>
    </div>
  );
}

function KappaHeatmap({ report }: { report: AgreementReport }) {
  const { annotators, cells } = kappaMatrix(report);
  if (annotators.length < 2) return <p className="muted">One annotator so far: no pairs to compare.</p>;
  return (
    <>
      <div className="heatmap-scroll">
        <table className="heatmap" data-testid="kappa-matrix">
          <thead>
            <tr>
              <th />
              {annotators.map((a) => (
                <th key={a} scope="col" title={a}>
                  {a}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {annotators.map((a, i) => (
              <tr key={a}>
                <th scope="row" title={a}>
                  {a}
                </th>
                {cells[i]!.map((c, j) => {
                  const b = annotators[j]!;
                  if (c.kind === 'self') return <td key={b} className="heat-self" />;
                  if (c.kind === 'none') {
                    return (
                      <td key={b} className="heat-none" title={`${a} and ${b} share no steps`} data-testid={`kappa-${a}-${b}`}>
                        —
                      </td>
                    );
                  }
                  return (
                    <td
                      key={b}
                      style={{ background: kappaColour(c.kappa) }}
                      title={`${a} vs ${b}: κ ${fmt3(c.kappa)} (${kappaBand(c.kappa)}) over ${c.items} shared steps`}
                      data-testid={`kappa-${a}-${b}`}
                    >
                      <span className="heat-value">{fmt3(c.kappa)}</span>
                      <span className="heat-items">n={c.items}</span>
                    </td>
                  );
                })}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <div className="heat-legend" aria-hidden>
        <span>−1</span>
        <span className="heat-ramp" />
        <span>+1</span>
        <span className="muted">· &lt;0 poor · .2 slight · .4 fair · .6 moderate · .8 substantial · &gt;.8 almost perfect</span>
      </div>
    </>
  );
}

const RATING_CLASS: Record<string, string> = { '-1': 'bar-bad', '0': 'bar-neutral', '1': 'bar-good' };

/** Horizontal bars, one per rating: count and share. */
function BalanceChart({ counts }: { counts: AgreementReport['labelCounts'] }) {
  const rows = balance(counts);
  const rowH = 22;
  const labelW = 28;
  const barW = 200;
  return (
    <svg className="balance-chart" viewBox={`0 0 ${labelW + barW + 92} ${rows.length * rowH}`} role="img" aria-label="Label balance">
      {rows.map((row, i) => (
        <g key={row.rating} transform={`translate(0 ${i * rowH})`} data-testid={`balance-${row.rating}`} data-count={row.count}>
          <text x={labelW - 6} y={rowH / 2 + 4} textAnchor="end" className="chart-label">
            {fmtRating(row.rating)}
          </text>
          <rect x={labelW} y={4} width={barW} height={rowH - 8} rx={3} className="bar-track" />
          <rect x={labelW} y={4} width={Math.max(row.count ? 2 : 0, row.share * barW)} height={rowH - 8} rx={3} className={RATING_CLASS[String(row.rating)]} />
          <text x={labelW + barW + 8} y={rowH / 2 + 4} className="chart-value">
            {row.count.toLocaleString()} · {fmtPct(row.share)}
          </text>
        </g>
      ))}
    </svg>
  );
}

function AnnotatorTable({ report, labelable }: { report: AgreementReport; labelable: number | undefined }) {
  const most = Math.max(1, ...report.perAnnotator.map((p) => p.labeled));
  const full = labelable ?? most;
  return (
    <table className="annot-table" data-testid="annotator-table">
      <thead>
        <tr>
          <th>Annotator</th>
          <th>Labeled{labelable !== undefined ? ` (of ${labelable.toLocaleString()})` : ''}</th>
          <th>Mix −1 / 0 / +1</th>
          <th className="num">Gold steps</th>
          <th className="num">Gold accuracy</th>
          <th className="num">Time / step</th>
        </tr>
      </thead>
      <tbody>
        {report.perAnnotator.map((p) => (
          <tr key={p.annotator} data-testid={`annot-${p.annotator}`}>
            <td className="annot-name">{p.annotator}</td>
            <td>
              <div className="progress-cell">
                <span className="meter" aria-hidden>
                  <i style={{ width: `${Math.min(100, (p.labeled / Math.max(1, full)) * 100)}%` }} />
                </span>
                <span className="num" data-testid={`annot-${p.annotator}-labeled`}>
                  {p.labeled.toLocaleString()}
                </span>
              </div>
            </td>
            <td>
              <MixBar counts={p.counts} />
            </td>
            <td className="num" data-testid={`annot-${p.annotator}-gold-items`}>
              {p.goldItems.toLocaleString()}
            </td>
            <td className="num" data-testid={`annot-${p.annotator}-gold`}>
              {fmt3(p.goldAccuracy)}
            </td>
            <td className="num" data-testid={`annot-${p.annotator}-pace`}>
              {fmtPace(p.secondsPerStep)}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function MixBar({ counts }: { counts: AgreementReport['labelCounts'] }) {
  const rows = balance(counts);
  const title = rows.map((r) => `${fmtRating(r.rating)}: ${r.count}`).join(' · ');
  return (
    <span className="mix-bar" title={title}>
      {RATINGS.map((rating, i) => {
        const share = rows[i]!.share;
        return share > 0 ? <i key={rating} className={RATING_CLASS[String(rating)]} style={{ flexGrow: share }} /> : null;
      })}
    </span>
  );
}
