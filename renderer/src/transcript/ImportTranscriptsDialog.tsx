/**
 * Import long chains of thought from the studio: a JSONL file (chat messages, OpenThoughts, s1K,
 * OpenR1-Math ...) or a text/Markdown file with <think>...</think>, the segmenter, and record
 * fields under other names. The same request as `metacot import --format long-cot`; bad records
 * are listed by line and nothing is written unless the good ones are asked for.
 */
import { useState } from 'react';
import type { ImportSummary } from '../../../common/contract/export';
import { LONG_COT_FIELDS, SEGMENTER_NAMES, type LongCotField, type SegmenterName } from '../../../common/longcot';
import { useClient } from '../shell/events';
import { Modal } from '../ui/Modal';
import { useSubmit } from '../ui/useSubmit';

const SEGMENTER_HELP: Record<SegmenterName, string> = {
  paragraph: 'a step per paragraph (blank lines)',
  sentence: 'a step per sentence; very short ones join the next',
  discourse: 'a step per thought: a new one where "Wait", "Alternatively", "Let me verify" ... begins',
};

/** The overridable fields shown; messages/generations/response are rarely renamed. */
const plural = (n: number, what: string) => `${n.toLocaleString()} ${what}${n === 1 ? '' : 's'}`;

const SHOWN_FIELDS: LongCotField[] = ['problem', 'reasoning', 'answer', 'gold'];

export function ImportTranscriptsDialog({ onClose, onImported }: { onClose(): void; onImported(): void }) {
  const client = useClient();
  const [path, setPath] = useState('');
  const [segment, setSegment] = useState<SegmenterName>('discourse');
  const [fields, setFields] = useState<Partial<Record<LongCotField, string>>>({});
  const [partial, setPartial] = useState(false);
  const { busy, error, submit: run } = useSubmit();
  const [summary, setSummary] = useState<ImportSummary | null>(null);

  const submit = () =>
    run(
      async () => {
        const named = Object.fromEntries(Object.entries(fields).filter(([, v]) => v && v.trim()).map(([k, v]) => [k, v!.trim()]));
        const value = await client.api.importData({ format: 'long-cot', path: path.trim(), longCot: { segment, fields: named }, partial });
        setSummary(value);
        if (value.committed) onImported();
      },
      () => setSummary(null),
    );

  return (
    <Modal title="Import long chains of thought" onClose={onClose} wide>
      <form
        className="form"
        data-testid="import-transcripts"
        onSubmit={(e) => {
          e.preventDefault();
          void submit();
        }}
      >
        <label className="field">
          <span className="field-label">File</span>
          <input value={path} onChange={(e) => setPath(e.target.value)} placeholder="traces.jsonl, or a .md/.txt file with <think>…</think>" autoFocus />
          <span className="muted small">On the studio's machine; under serve, inside its files folder.</span>
        </label>
        <fieldset className="fieldset">
          <legend>Steps</legend>
          <div className="segmented" role="radiogroup" aria-label="Segmenter">
            {SEGMENTER_NAMES.map((s) => (
              <button type="button" key={s} role="radio" aria-checked={segment === s} className={segment === s ? 'is-active' : ''} onClick={() => setSegment(s)}>
                {s}
              </button>
            ))}
          </div>
          <p className="muted small">{SEGMENTER_HELP[segment]}</p>
        </fieldset>
        <fieldset className="fieldset">
          <legend>Fields under other names (optional)</legend>
          <div className="field-row">
            {SHOWN_FIELDS.map((f) => (
              <label className="field inline" key={f}>
                <span className="field-label">{f}</span>
                <input value={fields[f] ?? ''} onChange={(e) => setFields({ ...fields, [f]: e.target.value })} placeholder="auto" size={14} />
              </label>
            ))}
          </div>
          <p className="muted small">
            Read automatically: {LONG_COT_FIELDS.join(', ')} in chat messages/conversations, OpenThoughts, s1K and OpenR1-Math records.
          </p>
        </fieldset>
        <label className="field inline">
          <input type="checkbox" checked={partial} onChange={(e) => setPartial(e.target.checked)} /> import the good records and write the bad ones to a report
        </label>
        {error && (
          <pre className="field-error" role="alert">
            {error}
          </pre>
        )}
        {summary && (
          <div className="import-summary" data-testid="import-summary">
            {summary.committed ? (
              <p>
                Imported {plural(summary.runs, 'tree')} ({plural(summary.nodes, 'node')}) under {plural(summary.problems + summary.existingProblems, 'problem')} from{' '}
                {plural(summary.lines, 'line')}.
                {summary.errorCount > 0 && ` Skipped ${plural(summary.errorCount, 'bad record')} (report: ${summary.reportPath}).`}
              </p>
            ) : (
              <p className="field-error">Nothing was imported: {plural(summary.errorCount, 'bad record')}.</p>
            )}
            {summary.errors.length > 0 && (
              <ul className="import-errors">
                {summary.errors.slice(0, 20).map((e) => (
                  <li key={e.line}>
                    line {e.line}: {e.reason}
                  </li>
                ))}
              </ul>
            )}
          </div>
        )}
        <div className="form-actions">
          <button type="button" className="button" onClick={onClose}>
            Close
          </button>
          <button type="submit" className="button primary" disabled={busy || !path.trim()}>
            {busy ? 'Importing…' : 'Import'}
          </button>
        </div>
      </form>
    </Modal>
  );
}
