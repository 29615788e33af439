/** Search statistics over every long-CoT transcript in the database, with two histograms. */
import { useEffect, useState } from 'react';
import type { MethodOutput } from '../../../common/contract';
import { useClient } from '../shell/events';
import { errorText } from '../ui/toasts';

type Stats = MethodOutput<'transcriptStats'>;

/** Counts of `values` in `bins` equal bins over [0, top]. */
function histogram(values: number[], bins: number, top: number): number[] {
  const counts = new Array<number>(bins).fill(0);
  for (const v of values) counts[Math.min(bins - 1, Math.floor((v / top) * bins))]! += 1;
  return counts;
}

function Histogram({ title, counts, labels }: { title: string; counts: number[]; labels: [string, string] }) {
  const max = Math.max(1, ...counts);
  const w = 16;
  const h = 44;
  return (
    <figure className="ts-plot">
      <figcaption>{title}</figcaption>
      <svg width={counts.length * (w + 2)} height={h + 12} role="img" aria-label={title}>
        {counts.map((c, i) => (
          <rect key={i} x={i * (w + 2)} y={h - (c / max) * h} width={w} height={Math.max(c ? 1 : 0, (c / max) * h)} rx={2} fill="var(--accent)">
            <title>{c}</title>
          </rect>
        ))}
        <text x={0} y={h + 11} className="ts-plot-label">
          {labels[0]}
        </text>
        <text x={counts.length * (w + 2)} y={h + 11} className="ts-plot-label" textAnchor="end">
          {labels[1]}
        </text>
      </svg>
    </figure>
  );
}

export function CorpusStats() {
  const client = useClient();
  const [stats, setStats] = useState<Stats | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    client.api.transcriptStats({}).then(setStats, (e: unknown) => setError(errorText(e).text));
  }, [client]);
  if (error) return <p className="ts-error">{error}</p>;
  if (!stats) return <p className="ts-loading">Reading every transcript…</p>;
  const c = stats.corpus;
  const maxAttempts = Math.max(1, ...stats.runs.map((r) => r.stats.attempts));
  return (
    <div className="ts-stats" data-testid="corpus-stats">
      <dl>
        <div><dt>transcripts</dt><dd>{c.transcripts.toLocaleString()}</dd></div>
        <div><dt>steps</dt><dd>{c.meanSteps.toFixed(1)}</dd></div>
        <div><dt>attempts</dt><dd>{c.meanAttempts.toFixed(2)}</dd></div>
        <div><dt>backtracks</dt><dd>{c.meanBacktracks.toFixed(2)}</dd></div>
        <div><dt>checks</dt><dd>{c.meanVerifications.toFixed(2)}</dd></div>
        <div title="Failed-Step Fraction over all steps"><dt>FSF</dt><dd>{c.failedStepFraction.toFixed(2)}</dd></div>
        <div><dt>correct</dt><dd>{c.checked ? `${c.correct}/${c.checked}` : '—'}</dd></div>
      </dl>
      <div className="ts-plots">
        <Histogram title="Failed-Step Fraction per transcript" counts={histogram(stats.runs.map((r) => r.stats.failedStepFraction), 10, 1)} labels={['0', '1']} />
        <Histogram
          title="attempts per transcript"
          counts={histogram(stats.runs.map((r) => r.stats.attempts - 1), Math.min(10, maxAttempts), maxAttempts)}
          labels={['1', String(maxAttempts)]}
        />
      </div>
    </div>
  );
}
