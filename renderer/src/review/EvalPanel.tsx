/**
 * The review screen's PRM tab: evaluate a scorer against gold, human or exact step labels and
 * compare stored evaluations side by side (the figures of `metacot eval-prm`: ProcessBench F1,
 * PRMBench PRMScore per error class, ROC AUC, Best-of-N). Scoring resumes from stored step scores,
 * so a long evaluation interrupted by closing the window costs nothing twice.
 */
import { useCallback, useEffect, useState } from 'react';
import type { StoredPrmEvaluation } from '../../../common/contract/eval';
import { useClient, useStudioEvents } from '../shell/events';
import { useToaster } from '../ui/toasts';
import './eval-panel.css';

const REFERENCES = ['auto', 'gold', 'human', 'exact'] as const;
type ReferenceChoice = (typeof REFERENCES)[number];

const pct = (x: number | null | undefined) => (x === null || x === undefined ? '–' : `${(x * 100).toFixed(1)}%`);
const num = (x: number | null | undefined) => (x === null || x === undefined ? '–' : x.toFixed(3));

function Tile({ label, value, hint }: { label: string; value: string; hint: string }) {
  return (
    <div className="agr-tile">
      <span className="agr-tile-label">{label}</span>
      <span className={`agr-tile-value${value === '–' ? ' is-undefined' : ''}`}>{value}</span>
      <span className="agr-tile-hint">{hint}</span>
    </div>
  );
}

function EvaluationDetail({ e }: { e: StoredPrmEvaluation }) {
  const m = e.metrics;
  const pb = m.processBench;
  const threshold = m.threshold.tuned
    ? `${m.threshold.value}, tuned on ${m.threshold.tuned.runs} runs (${pct(m.threshold.tuned.fraction)})`
    : String(m.threshold.value);
  return (
    <div className="agr-detail" data-testid="eval-detail">
      <div className="agr-head">
        <h2>{e.scorer}</h2>
        <span className="muted small">
          against {m.reference} labels · {m.runs.toLocaleString()} runs · {m.paths.toLocaleString()} paths ·{' '}
          {m.labeledSteps.toLocaleString()} of {m.steps.toLocaleString()} steps labeled · threshold {threshold}
        </span>
      </div>
      <div className="agr-tiles">
        <Tile label="ProcessBench F1" value={pct(pb.f1)} hint="harmonic mean of the two accuracies" />
        <Tile label="Erroneous paths" value={pct(pb.errorAccuracy)} hint={`first error found exactly, of ${pb.erroneous.toLocaleString()}`} />
        <Tile label="Correct paths" value={pct(pb.correctAccuracy)} hint={`no error flagged, of ${pb.correct.toLocaleString()}`} />
        <Tile label="Step ROC AUC" value={num(m.stepLevel.auc)} hint={`PRMScore ${num(m.stepLevel.prmScore)} at the threshold`} />
      </div>
      <div className="agr-row">
        <section className="agr-card">
          <h3>Best-of-N</h3>
          {m.bestOfN.runs ? (
            <table className="annot-table">
              <tbody>
                {(['min', 'last', 'product'] as const).map((how) => (
                  <tr key={how}>
                    <td>{how} of step scores</td>
                    <td className="num">{pct(m.bestOfN.accuracy[how])}</td>
                  </tr>
                ))}
                <tr>
                  <td className="muted">random pick · any correct</td>
                  <td className="num muted">
                    {pct(m.bestOfN.random)} · {pct(m.bestOfN.oracle)}
                  </td>
                </tr>
              </tbody>
            </table>
          ) : (
            <p className="muted small">No run has two or more finished, checked paths to rerank.</p>
          )}
          {m.bestOfN.runs > 0 && (
            <p className="muted small">
              {m.bestOfN.runs.toLocaleString()} runs, {num(m.bestOfN.meanN)} finished paths each on average
            </p>
          )}
        </section>
        <section className="agr-card">
          <h3>PRMBench PRMScore</h3>
          {m.prmBench ? (
            <table className="annot-table" data-testid="prmbench-classes">
              <thead>
                <tr>
                  <th>error class</th>
                  <th className="num">PRMScore</th>
                  <th className="num">F1</th>
                  <th className="num">negative F1</th>
                </tr>
              </thead>
              <tbody>
                {Object.entries(m.prmBench.byClass).map(([c, s]) => (
                  <tr key={c}>
                    <td>{c}</td>
                    <td className="num">{num(s.prmScore)}</td>
                    <td className="num">{num(s.f1)}</td>
                    <td className="num">{num(s.negativeF1)}</td>
                  </tr>
                ))}
                <tr className="eval-total">
                  <td>all classes</td>
                  <td className="num">{num(m.prmBench.overall.prmScore)}</td>
                  <td className="num">{num(m.prmBench.overall.f1)}</td>
                  <td className="num">{num(m.prmBench.overall.negativeF1)}</td>
                </tr>
              </tbody>
            </table>
          ) : (
            <p className="muted small">No PRMBench runs here (metacot import --format prmbench).</p>
          )}
        </section>
      </div>
    </div>
  );
}

export function EvalPanel() {
  const client = useClient();
  const toast = useToaster();
  const [evaluations, setEvaluations] = useState<StoredPrmEvaluation[] | null>(null);
  const [selected, setSelected] = useState<number | null>(null);
  const [scorer, setScorer] = useState('countdown-prm');
  const [reference, setReference] = useState<ReferenceChoice>('auto');
  const [threshold, setThreshold] = useState('0.5');
  const [tune, setTune] = useState(false);
  const [busy, setBusy] = useState(false);
  const [progress, setProgress] = useState<{ done: number; total: number } | null>(null);
  useStudioEvents((name, payload) => {
    if (name === 'prmEvalProgress' && busy) setProgress(payload as { done: number; total: number });
  });

  const reload = useCallback(() => {
    client.api.listPrmEvaluations({}).then(
      (r) => setEvaluations(r.evaluations),
      (e: unknown) => toast.error(e, 'Could not list PRM evaluations'),
    );
  }, [client, toast]);
  useEffect(reload, [reload]);

  const run = () => {
    const t = Number(threshold);
    if (!tune && !(t >= 0 && t <= 1)) {
      toast.error(new Error('The threshold is a number from 0 to 1'), 'Cannot evaluate');
      return;
    }
    setBusy(true);
    setProgress(null);
    client.api
      .evaluatePrm({ scorer, reference, ...(tune ? { tuneOn: 0.3 } : { threshold: t }) })
      .then(
        (e) => {
          setSelected(e.id);
          toast.info(`Evaluated ${e.scorer}: ProcessBench F1 ${pct(e.metrics.processBench.f1)}`);
        },
        (e: unknown) => toast.error(e, `Could not evaluate ${scorer}`),
      )
      .finally(() => {
        setBusy(false);
        reload();
      });
  };

  const shown = evaluations?.find((e) => e.id === selected) ?? evaluations?.[0] ?? null;
  return (
    <div className="eval-panel" data-testid="eval-panel">
      <aside className="eval-side">
        <form
          className="agr-card eval-form"
          onSubmit={(e) => {
            e.preventDefault();
            if (!busy) run();
          }}
        >
          <h3>Evaluate a scorer</h3>
          <label className="field">
            <span className="field-label">Scorer</span>
            <input value={scorer} onChange={(e) => setScorer(e.target.value)} placeholder="countdown-prm, onnx:DIR, vllm-prm:URL#model" spellCheck={false} />
          </label>
          <label className="field">
            <span className="field-label">Against</span>
            <select value={reference} onChange={(e) => setReference(e.target.value as ReferenceChoice)}>
              {REFERENCES.map((r) => (
                <option key={r} value={r}>
                  {r === 'auto' ? 'auto (gold, else exact, else people)' : r === 'human' ? 'people (majority)' : `${r} labels`}
                </option>
              ))}
            </select>
          </label>
          <div className="eval-threshold">
            <label className="field">
              <span className="field-label">Threshold</span>
              <input value={threshold} onChange={(e) => setThreshold(e.target.value)} disabled={tune} inputMode="decimal" />
            </label>
            <label className="eval-check">
              <input type="checkbox" checked={tune} onChange={(e) => setTune(e.target.checked)} /> tune on 30% of the runs
            </label>
          </div>
          <button className="button primary" type="submit" disabled={busy || !scorer.trim()}>
            {busy ? (progress ? `Scoring steps… ${progress.done.toLocaleString()} / ${progress.total.toLocaleString()}` : 'Scoring steps…') : 'Evaluate'}
          </button>
          <p className="muted small">Step scores are kept per scorer: a second evaluation only scores what is new.</p>
        </form>
        <section className="agr-card eval-list">
          <h3>Stored evaluations</h3>
          {!evaluations ? (
            <p className="muted small">Loading…</p>
          ) : evaluations.length === 0 ? (
            <p className="muted small">None yet.</p>
          ) : (
            <table className="annot-table" data-testid="eval-compare">
              <thead>
                <tr>
                  <th>scorer</th>
                  <th>vs</th>
                  <th className="num">F1</th>
                  <th className="num">AUC</th>
                  <th className="num">BoN</th>
                </tr>
              </thead>
              <tbody>
                {evaluations.map((e) => (
                  <tr
                    key={e.id}
                    className={`eval-row${shown?.id === e.id ? ' is-cursor' : ''}`}
                    onClick={() => setSelected(e.id)}
                    title={`#${e.id}, ${new Date(e.createdAt).toLocaleString()}, threshold ${e.threshold}`}
                  >
                    <td className="eval-scorer">{e.scorer}</td>
                    <td>{e.metrics.reference}</td>
                    <td className="num">{pct(e.metrics.processBench.f1)}</td>
                    <td className="num">{num(e.metrics.stepLevel.auc)}</td>
                    <td className="num">{pct(e.metrics.bestOfN.accuracy.min)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </section>
      </aside>
      {shown ? <EvaluationDetail e={shown} /> : <div className="empty-state">Evaluate a scorer to see how well it finds wrong steps.</div>}
    </div>
  );
}
