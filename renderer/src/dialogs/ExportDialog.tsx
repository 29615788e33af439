/**
 * Export: format, where labels come from, which trees, split, pruned subtrees, output folder.
 * "Preview" counts what would be written (previewExport); "Export" writes it (exportData).
 * The folder is on the machine running the engine (the same machine in the desktop app).
 */
import { useMemo, useState } from 'react';
import {
  EXPORT_FORMATS,
  type ExportFormat,
  type ExportOptionsInput,
  type ExportSummary,
  type LabelSource,
} from '../../../common/contract/export';
import { useClient } from '../shell/events';
import { formatOptionsFor, RL_DEFAULTS, RlFields, TRACE_DEFAULTS, TraceFields, type RlChoices, type TraceChoices } from './ExportFormatOptions';
import { ExportSample } from './ExportSample';
import { Modal } from '../ui/Modal';
import { plural } from '../lib/format';
import { useSubmit } from '../ui/useSubmit';

const FORMAT_HELP: Record<ExportFormat, string> = {
  trl: 'TRL stepwise supervision (prompt, completions, labels) for PRMTrainer',
  prm800k: 'PRM800K-style JSONL: one spine per tree with step ratings',
  'math-shepherd': 'Math-Shepherd: steps with +/- tags',
  trace: 'Meta-CoT search traces (Stream of Search) for SFT',
  preference: 'Preference pairs from branch ratings and preferred branches',
  rl: 'RL post-training prompts with verifiable answers (TRL GRPO, verl, OpenRLHF)',
  transcript: 'Long-CoT transcripts: clean (abandoned branches removed), or tagged steps',
};

type LabelKind = 'majority' | 'me' | 'adjudicated' | 'exact' | 'mc';

export function ExportDialog({ onClose, runId, annotator }: { onClose(): void; runId: number | null; annotator: string }) {
  const client = useClient();
  const [format, setFormat] = useState<ExportFormat>('trl');
  const [labels, setLabels] = useState<LabelKind>('majority');
  const [scope, setScope] = useState<'run' | 'all'>(runId ? 'run' : 'all');
  const [labelStatus, setLabelStatus] = useState<'any' | 'labeled' | 'complete' | 'unlabeled'>('labeled');
  const [testFraction, setTestFraction] = useState('0');
  const [includePruned, setIncludePruned] = useState(false);
  const [trace, setTrace] = useState<TraceChoices>(TRACE_DEFAULTS);
  const [rl, setRl] = useState<RlChoices>(RL_DEFAULTS);
  const [outDir, setOutDir] = useState('');
  const [parquet, setParquet] = useState(false);
  const [overwrite, setOverwrite] = useState(false);
  const [summary, setSummary] = useState<{ kind: 'preview' | 'written'; value: ExportSummary } | null>(null);
  const { busy, error, submit } = useSubmit();

  const options = useMemo(() => {
    const source: LabelSource = labels === 'me' ? { kind: 'annotator', annotator } : { kind: labels };
    return {
      format,
      labels: source,
      filters: { labelStatus, ...(scope === 'run' && runId ? { runIds: [runId] } : {}) },
      split: { testFraction: Number(testFraction) || 0, seed: 0 },
      includePruned,
      ...formatOptionsFor(format, trace, rl),
    } as ExportOptionsInput;
  }, [format, labels, annotator, labelStatus, scope, runId, testFraction, includePruned, trace, rl]);
  // verl reads Parquet only; the request is refused without it.
  const needsParquet = format === 'rl' && rl.target === 'verl';

  const run = (kind: 'preview' | 'written') =>
    submit(
      async () => {
        const value =
          kind === 'preview'
            ? await client.api.previewExport(options)
            : await client.api.exportData({ ...options, outDir, parquet: parquet || needsParquet, overwrite });
        setSummary({ kind, value });
      },
      () => setSummary(null),
    );

  return (
    <Modal title="Export" onClose={onClose} wide>
      <form
        className="form"
        onSubmit={(e) => {
          e.preventDefault();
          void run('written');
        }}
      >
        <fieldset className="fieldset">
          <legend>Format</legend>
          <div className="segmented" role="radiogroup" aria-label="Format">
            {EXPORT_FORMATS.map((f) => (
              <button type="button" key={f} role="radio" aria-checked={format === f} className={format === f ? 'is-active' : ''} onClick={() => setFormat(f)}>
                {f}
              </button>
            ))}
          </div>
          <p className="muted small">{FORMAT_HELP[format]}</p>
        </fieldset>
        <fieldset className="fieldset">
          <legend>What</legend>
          <div className="field-row">
            <label className="field inline">
              <span className="field-label">Labels</span>
              <select value={labels} onChange={(e) => setLabels(e.target.value as LabelKind)}>
                <option value="majority">majority of annotators</option>
                <option value="me">mine ({annotator})</option>
                <option value="adjudicated">adjudicated</option>
                <option value="exact">exact (solver)</option>
                <option value="mc">Monte-Carlo from the tree</option>
              </select>
            </label>
            <label className="field inline">
              <span className="field-label">Trees</span>
              <select value={scope} onChange={(e) => setScope(e.target.value as 'run' | 'all')}>
                {runId && <option value="run">this run (#{runId})</option>}
                <option value="all">every run</option>
              </select>
            </label>
            <label className="field inline">
              <span className="field-label">Labeled</span>
              <select value={labelStatus} onChange={(e) => setLabelStatus(e.target.value as typeof labelStatus)}>
                <option value="any">any tree</option>
                <option value="labeled">at least one label</option>
                <option value="complete">fully labeled</option>
                <option value="unlabeled">unlabeled</option>
              </select>
            </label>
          </div>
          <div className="field-row">
            <label className="field inline">
              <span className="field-label">Test share</span>
              <input type="number" min={0} max={1} step={0.05} value={testFraction} onChange={(e) => setTestFraction(e.target.value)} />
            </label>
            <label className="check">
              <input type="checkbox" checked={includePruned} onChange={(e) => setIncludePruned(e.target.checked)} />
              include pruned subtrees
            </label>
          </div>
        </fieldset>
        {format === 'trace' && <TraceFields value={trace} onChange={setTrace} />}
        {format === 'rl' && <RlFields value={rl} onChange={setRl} />}
        <fieldset className="fieldset">
          <legend>Where</legend>
          <label className="field">
            <span className="field-label">Output folder (on the machine running the studio engine)</span>
            <input value={outDir} onChange={(e) => setOutDir(e.target.value)} placeholder="a folder path; under metacot serve, inside its --files folder" />
          </label>
          <div className="field-row">
            <label className="check">
              <input type="checkbox" checked={parquet || needsParquet} disabled={needsParquet} onChange={(e) => setParquet(e.target.checked)} />
              Parquet{needsParquet ? ' (verl reads Parquet)' : ''}
            </label>
            <label className="check">
              <input type="checkbox" checked={overwrite} onChange={(e) => setOverwrite(e.target.checked)} />
              replace an earlier export there
            </label>
          </div>
        </fieldset>
        {error && (
          <pre className="field-error" role="alert">
            {error}
          </pre>
        )}
        {summary && <SummaryView kind={summary.kind} summary={summary.value} />}
        {summary?.value.sample && <ExportSample sample={summary.value.sample} />}
        <div className="form-actions">
          <button type="button" className="button" onClick={onClose}>
            Close
          </button>
          <button type="button" className="button" disabled={busy} onClick={() => void run('preview')}>
            Preview
          </button>
          <button type="submit" className="button primary" disabled={busy || !outDir.trim()}>
            {busy ? 'Working…' : 'Export'}
          </button>
        </div>
      </form>
    </Modal>
  );
}

function SummaryView({ kind, summary }: { kind: 'preview' | 'written'; summary: ExportSummary }) {
  const counts = (c: Record<string, number>) =>
    Object.entries(c)
      .map(([k, v]) => `${k}: ${v.toLocaleString()}`)
      .join(' · ') || '—';
  return (
    <div className="export-summary" role="status" data-testid="export-summary">
      <strong>
        {kind === 'preview' ? 'Would write' : 'Wrote'} {plural(summary.records, 'record')}
      </strong>{' '}
      from {plural(summary.runs, 'run')} ({plural(summary.problems, 'problem')}) in {Math.round(summary.durationMs)} ms
      <div className="muted">labels — {counts(summary.labels)}</div>
      {Object.keys(summary.skipped).length > 0 && <div className="muted">left out — {counts(summary.skipped)}</div>}
      {summary.records === 0 && (
        <div className="notice notice-error" data-testid="export-empty">
          Nothing matched: the files hold no records. Check the label source (steps need labels of that kind) and the filters.
        </div>
      )}
      {summary.splits.map((s) => (
        <div key={s.split} className="muted">
          {s.split}: {plural(s.records, 'record')}, {plural(s.problems, 'problem')}
        </div>
      ))}
      {summary.files.length > 0 && (
        <ul className="file-list">
          {summary.files.map((f) => (
            <li key={f.path}>
              <code>{f.path}</code> <span className="muted">{(f.bytes / 1024).toFixed(1)} KiB</span>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
