/**
 * Auto-label the open run: method (exact solver, Monte-Carlo rollouts, first-error search,
 * scorer), rollouts, optional policy or scorer (default: the run's own), and whether the whole run
 * or only the path to the selected step. The job keeps running when the dialog is closed; the
 * toolbar shows it, and its result or error arrives as a toast.
 */
import { useEffect, useState } from 'react';
import type { RunModel } from '../model/run-model';
import { useClient } from '../shell/events';
import { Modal } from '../ui/Modal';
import { useToaster } from '../ui/toasts';
import { METHOD_LABELS, startAutolabel, useAutolabelJob, type AutolabelInput, type AutolabelMethod } from './autolabel-jobs';
import { plural } from '../lib/format';

const METHOD_HELP: Record<AutolabelMethod, string> = {
  exact: "The task's solver says whether each step can still reach the answer (countdown, game24). Instant.",
  mc: 'Math-Shepherd: roll out completions from each step with the policy; hard label = any correct, soft = share correct.',
  'first-error': 'OmegaPRM: for each wrong finished path, binary-search the first step whose rollouts all fail.',
  scorer: 'Scores each step with a process reward model (the run’s scorer unless you name one).',
};
const METHODS: AutolabelMethod[] = ['exact', 'mc', 'first-error', 'scorer'];

export function AutolabelDialog({
  model,
  selected,
  onClose,
  onDone,
}: {
  model: RunModel;
  selected: number | null;
  onClose(): void;
  /** After a successful run: the method, to become the source "accept all" takes. */
  onDone(method: AutolabelMethod): void;
}) {
  const client = useClient();
  const toast = useToaster();
  const run = model.run;
  const job = useAutolabelJob(run.id);
  const [method, setMethod] = useState<AutolabelMethod>('exact');
  const [rollouts, setRollouts] = useState('8');
  const [policy, setPolicy] = useState('');
  const [scorer, setScorer] = useState('');
  const [scope, setScope] = useState<'run' | 'path'>('run');
  const [result, setResult] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [scorerKinds, setScorerKinds] = useState<{ kind: string; description: string }[]>([]);
  useEffect(() => {
    client.api.searchOptions({}).then(
      (o) => setScorerKinds(o.scorers),
      () => undefined, // only suggestions for the field; typing a name still works
    );
  }, [client]);
  const elapsed = useElapsed(job?.startedAt ?? null);

  const usesRollouts = method === 'mc' || method === 'first-error';
  const selectedNode = selected === null ? undefined : model.node(selected);
  const isLeaf = selectedNode !== undefined && model.childrenOf(selectedNode.id).length === 0 && selectedNode.parentId !== null;
  // First-error search starts from a finished path's leaf; the others label the path's steps.
  const pathIds =
    selectedNode === undefined ? [] : method === 'first-error' ? (isLeaf ? [selectedNode.id] : []) : model.pathTo(selectedNode.id).slice(1).map((n) => n.id);
  const rolloutCount = Number(rollouts);
  const rolloutsValid = Number.isInteger(rolloutCount) && rolloutCount >= 1 && rolloutCount <= 256;
  const scorerMissing = method === 'scorer' && !scorer.trim() && !run.scorer;
  const canRun = !job && (!usesRollouts || rolloutsValid) && !scorerMissing && (scope === 'run' || pathIds.length > 0);

  const start = async () => {
    if (!canRun) return;
    const input: AutolabelInput = {
      runId: run.id,
      method,
      rollouts: usesRollouts ? rolloutCount : 8,
      ...(policy.trim() && method !== 'exact' ? { policy: policy.trim() } : {}),
      ...(scorer.trim() && method === 'scorer' ? { scorer: scorer.trim() } : {}),
      ...(scope === 'path' ? { nodeIds: pathIds } : {}),
    };
    setResult(null);
    setError(null);
    const r = await startAutolabel(client, input, toast);
    if (r.ok) {
      const { labeled, batches } = r.value;
      setResult(`${plural(labeled, 'step')} labeled${batches !== undefined ? ` · ${batches.toLocaleString()} rollout batch${batches === 1 ? '' : 'es'}` : ''}`);
      onDone(method);
    } else setError(r.message);
  };

  return (
    <Modal title={`Auto-label run #${run.id}`} onClose={onClose}>
      <form
        className="form autolabel-form"
        onSubmit={(e) => {
          e.preventDefault();
          void start();
        }}
      >
        <fieldset className="fieldset">
          <legend>Method</legend>
          <div className="segmented" role="radiogroup" aria-label="Method">
            {METHODS.map((m) => (
              <button type="button" key={m} role="radio" aria-checked={method === m} className={method === m ? 'is-active' : ''} onClick={() => setMethod(m)}>
                {METHOD_LABELS[m]}
              </button>
            ))}
          </div>
          <p className="muted small">{METHOD_HELP[method]}</p>
          {method !== 'exact' && (
            <div className="field-row">
              {usesRollouts && (
                <label className="field number-field">
                  <span className="field-label">Rollouts</span>
                  <input type="number" min={1} max={256} value={rollouts} onChange={(e) => setRollouts(e.target.value)} aria-invalid={!rolloutsValid} />
                </label>
              )}
              {method === 'scorer' && (
                <label className="field">
                  <span className="field-label">Scorer</span>
                  <input
                    value={scorer}
                    onChange={(e) => setScorer(e.target.value)}
                    list="autolabel-scorers"
                    placeholder={run.scorer ? `${run.scorer} (this run's)` : 'required: this run has no scorer'}
                  />
                  <datalist id="autolabel-scorers">
                    {scorerKinds.map((s) => (
                      <option key={s.kind} value={s.kind === 'onnx' ? 'onnx:' : s.kind} label={s.description} />
                    ))}
                  </datalist>
                </label>
              )}
              <label className="field">
                <span className="field-label">{usesRollouts ? 'Policy for rollouts' : 'Policy (for scorers that roll out)'}</span>
                <input value={policy} onChange={(e) => setPolicy(e.target.value)} placeholder={`${run.policy} (this run's)`} />
              </label>
            </div>
          )}
        </fieldset>
        <fieldset className="fieldset">
          <legend>Steps</legend>
          <div className="segmented" role="radiogroup" aria-label="Which steps">
            <button type="button" role="radio" aria-checked={scope === 'run'} className={scope === 'run' ? 'is-active' : ''} onClick={() => setScope('run')}>
              Whole run ({model.size.toLocaleString()} nodes)
            </button>
            <button type="button" role="radio" aria-checked={scope === 'path'} className={scope === 'path' ? 'is-active' : ''} onClick={() => setScope('path')}>
              {method === 'first-error' ? 'From the selected leaf' : `Path to the selected step (${pathIds.length})`}
            </button>
          </div>
          {scope === 'path' && pathIds.length === 0 && (
            <p className="field-error small">{method === 'first-error' ? 'Select a leaf (the end of a wrong path) first.' : 'Select a step first.'}</p>
          )}
        </fieldset>
        {job && (
          <div className="autolabel-status" role="status" data-testid="autolabel-running">
            <span className="spinner" aria-hidden /> Running {METHOD_LABELS[job.method]}… {elapsed}s. You can close this; the result arrives as a message.
          </div>
        )}
        {error && !job && (
          <pre className="field-error" role="alert">
            {error}
          </pre>
        )}
        {result && !job && (
          <div className="autolabel-status done" role="status" data-testid="autolabel-result">
            {METHOD_LABELS[method]}: {result}
          </div>
        )}
        <div className="form-actions">
          <button type="button" className="button" onClick={onClose}>
            Close
          </button>
          <button type="submit" className="button primary" disabled={!canRun} data-autofocus>
            {job ? 'Running…' : 'Run'}
          </button>
        </div>
      </form>
    </Modal>
  );
}

/** Whole seconds since `since`, ticking while set. */
export function useElapsed(since: number | null): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (since === null) return;
    setNow(Date.now());
    const t = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(t);
  }, [since]);
  return since === null ? 0 : Math.max(0, Math.round((now - since) / 1000));
}
