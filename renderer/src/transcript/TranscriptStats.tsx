/** The search a transcript hides, in numbers and two small plots: tokens per branch and tags. */
import type { Transcript } from '../../../common/contract/transcript';
import { STEP_TAGS } from '../../../common/longcot';
import { TAG_COLOURS, TAG_LABELS } from './tags';

function Bars({ values, colours, labels, title }: { values: number[]; colours: string[]; labels: string[]; title: string }) {
  const max = Math.max(1, ...values);
  const width = 180;
  const bar = 9;
  return (
    <figure className="ts-plot">
      <figcaption>{title}</figcaption>
      <svg width={width + 90} height={values.length * (bar + 3)} role="img" aria-label={title}>
        {values.map((v, i) => (
          <g key={i} transform={`translate(0, ${i * (bar + 3)})`}>
            <text x={0} y={bar - 1} className="ts-plot-label">
              {labels[i]}
            </text>
            <rect x={62} y={0} width={Math.max(1, (v / max) * width)} height={bar} rx={2} fill={colours[i]} />
            <text x={66 + (v / max) * width} y={bar - 1} className="ts-plot-value">
              {v}
            </text>
          </g>
        ))}
      </svg>
    </figure>
  );
}

export function TranscriptStats({ transcript }: { transcript: Transcript }) {
  const s = transcript.stats;
  const leaves = transcript.steps.filter((step) => !transcript.steps.some((c) => c.parentId === step.nodeId));
  const tags = STEP_TAGS.filter((t) => s.tags[t]);
  const outcome = s.finalOutcome === null ? '' : s.finalOutcome === 'correct' ? ' ✓' : ' ✗';
  return (
    <div className="ts-stats" data-testid="transcript-stats">
      <dl>
        <div><dt>attempts</dt><dd>{s.attempts}</dd></div>
        <div><dt>backtracks</dt><dd>{s.backtracks}</dd></div>
        <div><dt>checks</dt><dd>{s.verifications}</dd></div>
        <div><dt>depth</dt><dd>{s.depth}</dd></div>
        <div title="Failed-Step Fraction: share of steps in abandoned branches"><dt>FSF</dt><dd>{s.failedStepFraction.toFixed(2)}</dd></div>
        <div><dt>answer</dt><dd className={s.finalOutcome ?? ''}>{s.finalAnswer ?? '—'}{outcome}</dd></div>
      </dl>
      <div className="ts-plots">
        <Bars
          title="tokens per branch (est.)"
          values={s.tokensPerBranch}
          labels={leaves.map((l, i) => `${l.abandoned ? 'abandoned' : 'final'} ${i + 1}`)}
          colours={leaves.map((l) => (l.abandoned ? 'var(--faint)' : 'var(--accent)'))}
        />
        <Bars title="steps per tag" values={tags.map((t) => s.tags[t]!)} labels={tags.map((t) => TAG_LABELS[t])} colours={tags.map((t) => TAG_COLOURS[t])} />
      </div>
    </div>
  );
}
