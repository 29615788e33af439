/**
 * New search: which problems (generated Countdown puzzles, or problems already in the database),
 * task-agnostic algorithm with its parameters, budget, policy model, scorer and seed. Starts the
 * runs through startSearch and opens the first one, which then grows live.
 */
import { useEffect, useMemo, useState } from 'react';
import type { MethodInput, MethodOutput } from '../../../common/contract';
import { ALGORITHMS, TASKS, type AlgorithmName, type Problem, type TaskName } from '../../../common/domain';
import { useClient } from '../shell/events';
import { Modal } from '../ui/Modal';
import { useToaster } from '../ui/toasts';
import { useSubmit } from '../ui/useSubmit';

type Options = MethodOutput<'searchOptions'>;
type PolicyKind = 'default' | 'enumerator' | 'onnx' | 'endpoint';

/** Turns the dialog's policy fields into the engine's provider string; undefined leaves it to the task's default. */
export function policyString(kind: PolicyKind, value: string): string | undefined {
  const v = value.trim();
  if (kind === 'default') return undefined;
  if (kind === 'enumerator') return v ? `enumerator:${v}` : 'enumerator';
  if (kind === 'onnx') return `onnx:${v}`;
  return v;
}

function optionalInt(text: string): number | undefined {
  const t = text.trim();
  return t === '' ? undefined : Number(t);
}

export function NewSearchDialog({
  onClose,
  onStarted,
  problemId,
}: {
  onClose(): void;
  onStarted(runIds: number[]): void;
  /** The open run's problem, offered as the default source. */
  problemId: number | null;
}) {
  const client = useClient();
  const toast = useToaster();
  const [options, setOptions] = useState<Options | null>(null);
  const [source, setSource] = useState<'generate' | 'problems'>(problemId ? 'problems' : 'generate');
  const [gen, setGen] = useState({ count: '5', numbers: '4', numberMax: '25', targetMax: '100', seed: '1' });
  const [taskFilter, setTaskFilter] = useState<TaskName | ''>('');
  const [problems, setProblems] = useState<Problem[]>([]);
  const [picked, setPicked] = useState<Set<number>>(new Set(problemId ? [problemId] : []));
  const [algorithm, setAlgorithm] = useState<AlgorithmName>('mcts');
  const [config, setConfig] = useState('');
  const [budget, setBudget] = useState({ maxExpansions: '200', maxNodes: '', maxDepth: '', maxWallS: '60' });
  const [policyKind, setPolicyKind] = useState<PolicyKind>('default');
  const [policyValue, setPolicyValue] = useState('');
  const [scorer, setScorer] = useState('');
  const [seed, setSeed] = useState('1');
  /** Requests to the endpoint in flight at once, for the whole engine (runs proceed together up to it). */
  const [concurrency, setConcurrency] = useState('64');
  // A refusal is shown in the dialog, next to the fields it is about.
  const { busy, error, setError, submit } = useSubmit();

  useEffect(() => {
    client.api.searchOptions({}).then(setOptions, (e: unknown) => toast.error(e, 'Could not read the search options'));
  }, [client, toast]);

  useEffect(() => {
    client.api.listProblems({ limit: 200, offset: 0, ...(taskFilter ? { task: taskFilter } : {}) }).then(
      (r) => setProblems(r.problems),
      (e: unknown) => toast.error(e, 'Could not list problems'),
    );
  }, [client, taskFilter, toast]);

  const algo = options?.algorithms.find((a) => a.name === algorithm);
  const bundled = options?.bundled ?? null;
  const bundledK = policyKind === 'default' ? bundled?.k : undefined;
  // The parameters box starts from the algorithm's defaults whenever the algorithm changes; with
  // the task's default (bundled) policy, k is the one its evaluation used.
  useEffect(() => {
    if (!algo) return;
    const defaults = { ...algo.defaults };
    if (bundledK !== undefined && 'k' in defaults) defaults.k = bundledK;
    setConfig(JSON.stringify(defaults, null, 2));
  }, [algo, bundledK]);

  const request = useMemo((): { input?: MethodInput<'startSearch'>; problem?: string } => {
    let parsedConfig: unknown;
    try {
      parsedConfig = config.trim() ? JSON.parse(config) : {};
    } catch {
      return { problem: 'Parameters must be a JSON object, e.g. {"k": 4}' };
    }
    if (!parsedConfig || typeof parsedConfig !== 'object' || Array.isArray(parsedConfig)) {
      return { problem: 'Parameters must be a JSON object, e.g. {"k": 4}' };
    }
    const wall = optionalInt(budget.maxWallS);
    const b = {
      ...(optionalInt(budget.maxExpansions) !== undefined ? { maxExpansions: optionalInt(budget.maxExpansions) } : {}),
      ...(optionalInt(budget.maxNodes) !== undefined ? { maxNodes: optionalInt(budget.maxNodes) } : {}),
      ...(optionalInt(budget.maxDepth) !== undefined ? { maxDepth: optionalInt(budget.maxDepth) } : {}),
      ...(wall !== undefined ? { maxWallMs: wall * 1000 } : {}),
    };
    if (source === 'problems' && picked.size === 0) return { problem: 'Pick at least one problem' };
    const policy = policyString(policyKind, policyValue);
    if ((policyKind === 'onnx' || policyKind === 'endpoint') && !policyValue.trim()) {
      return { problem: policyKind === 'onnx' ? 'Give a bundled model name or a model folder' : 'Give the endpoint URL' };
    }
    return {
      input: {
        ...(source === 'generate'
          ? {
              generate: {
                count: Number(gen.count),
                numbers: Number(gen.numbers),
                numberMax: Number(gen.numberMax),
                targetMax: Number(gen.targetMax),
                seed: Number(gen.seed),
              },
            }
          : { problemIds: [...picked] }),
        algorithm,
        config: parsedConfig as Record<string, unknown>,
        budget: b,
        seed: Number(seed),
        ...(policy ? { policy } : {}),
        ...(scorer.trim() ? { scorer: scorer.trim() } : {}),
        ...(policyKind === 'endpoint' && optionalInt(concurrency) !== undefined ? { concurrency: optionalInt(concurrency) } : {}),
      },
    };
  }, [config, budget, source, picked, policyKind, policyValue, gen, algorithm, seed, scorer, concurrency]);

  const start = async () => {
    if (!request.input) {
      setError(request.problem ?? 'Incomplete');
      return;
    }
    const input = request.input;
    await submit(async () => {
      const r = await client.api.startSearch(input);
      toast.info(`Started ${r.runIds.length} run${r.runIds.length === 1 ? '' : 's'}`);
      onStarted(r.runIds);
      onClose();
    });
  };

  return (
    <Modal title="New search" onClose={onClose} wide>
      <form
        className="form new-search"
        onSubmit={(e) => {
          e.preventDefault();
          void start();
        }}
      >
        <fieldset className="fieldset">
          <legend>Problems</legend>
          <div className="segmented" role="radiogroup" aria-label="Where the problems come from">
            <button type="button" role="radio" aria-checked={source === 'generate'} className={source === 'generate' ? 'is-active' : ''} onClick={() => setSource('generate')}>
              Generate Countdown puzzles
            </button>
            <button type="button" role="radio" aria-checked={source === 'problems'} className={source === 'problems' ? 'is-active' : ''} onClick={() => setSource('problems')}>
              Problems in this database
            </button>
          </div>
          {source === 'generate' ? (
            <div className="field-row">
              <NumberField label="Puzzles" value={gen.count} onChange={(v) => setGen({ ...gen, count: v })} />
              <NumberField label="Numbers each" value={gen.numbers} onChange={(v) => setGen({ ...gen, numbers: v })} />
              <NumberField label="Largest number" value={gen.numberMax} onChange={(v) => setGen({ ...gen, numberMax: v })} />
              <NumberField label="Largest target" value={gen.targetMax} onChange={(v) => setGen({ ...gen, targetMax: v })} />
              <NumberField label="Puzzle seed" value={gen.seed} onChange={(v) => setGen({ ...gen, seed: v })} />
            </div>
          ) : (
            <div className="problem-picker">
              <div className="field-row">
                <select aria-label="Task" value={taskFilter} onChange={(e) => setTaskFilter(e.target.value as TaskName | '')}>
                  <option value="">Task: any</option>
                  {TASKS.map((t) => (
                    <option key={t} value={t}>
                      {t}
                    </option>
                  ))}
                </select>
                <span className="muted">{picked.size} picked</span>
              </div>
              <ul className="problem-list" aria-label="Problems">
                {problems.map((p) => (
                  <li key={p.id}>
                    <label className="check">
                      <input
                        type="checkbox"
                        checked={picked.has(p.id)}
                        onChange={(e) => {
                          const next = new Set(picked);
                          if (e.target.checked) next.add(p.id);
                          else next.delete(p.id);
                          setPicked(next);
                        }}
                      />
                      <span className="muted">#{p.id} {p.task}</span>
                      <span className="problem-prompt">{p.prompt.slice(0, 160)}</span>
                    </label>
                  </li>
                ))}
                {problems.length === 0 && <li className="muted">No problems yet: generate some, or import them (metacot import).</li>}
              </ul>
            </div>
          )}
        </fieldset>

        <fieldset className="fieldset">
          <legend>Algorithm</legend>
          <div className="field-row">
            <select aria-label="Algorithm" value={algorithm} onChange={(e) => setAlgorithm(e.target.value as AlgorithmName)}>
              {ALGORITHMS.map((a) => (
                <option key={a} value={a}>
                  {a}
                </option>
              ))}
            </select>
            <span className="muted">{algo?.description}</span>
          </div>
          <label className="field">
            <span className="field-label">Parameters (JSON)</span>
            <textarea className="code" rows={4} value={config} onChange={(e) => setConfig(e.target.value)} spellCheck={false} />
          </label>
        </fieldset>

        <fieldset className="fieldset">
          <legend>Budget</legend>
          <div className="field-row">
            <NumberField label="Expansions" value={budget.maxExpansions} onChange={(v) => setBudget({ ...budget, maxExpansions: v })} />
            <NumberField label="Nodes" value={budget.maxNodes} onChange={(v) => setBudget({ ...budget, maxNodes: v })} />
            <NumberField label="Depth" value={budget.maxDepth} onChange={(v) => setBudget({ ...budget, maxDepth: v })} />
            <NumberField label="Seconds" value={budget.maxWallS} onChange={(v) => setBudget({ ...budget, maxWallS: v })} />
          </div>
          <p className="muted small">Empty means no limit; at least one of expansions, nodes or seconds is needed.</p>
        </fieldset>

        <fieldset className="fieldset">
          <legend>Models</legend>
          <div className="field-row">
            <span className="field-label">Policy</span>
            <div className="segmented" role="radiogroup" aria-label="Policy model">
              {(
                [
                  ['default', 'Task default'],
                  ['enumerator', 'Enumerator (stand-in)'],
                  ['onnx', 'Model (ONNX)'],
                  ['endpoint', 'OpenAI-compatible endpoint'],
                ] as const
              ).map(([k, label]) => (
                <button type="button" key={k} role="radio" aria-checked={policyKind === k} className={policyKind === k ? 'is-active' : ''} onClick={() => setPolicyKind(k)}>
                  {label}
                </button>
              ))}
            </div>
            {policyKind !== 'default' && (
              <input
                aria-label="Policy detail"
                value={policyValue}
                onChange={(e) => setPolicyValue(e.target.value)}
                placeholder={policyKind === 'enumerator' ? 'temperature (optional)' : policyKind === 'onnx' ? 'bundled name or /path/to/model' : 'http://localhost:8000/v1#model'}
              />
            )}
            {policyKind === 'endpoint' && <NumberField label="Requests in flight" value={concurrency} onChange={setConcurrency} />}
          </div>
          <p className="muted small">
            {policyKind === 'default'
              ? bundled
                ? `Countdown and Game of 24: the bundled ${bundled.policy} and ${bundled.scorer} (k ${bundled.k}); other tasks need a model.`
                : 'No bundled models are installed: choose a policy.'
              : options?.policies.find((p) => (policyKind === 'endpoint' ? p.kind === 'http' : p.kind === policyKind))?.description}
          </p>
          <div className="field-row">
            <label className="field inline">
              <span className="field-label">Scorer</span>
              <input aria-label="Scorer" value={scorer} onChange={(e) => setScorer(e.target.value)} list="scorer-kinds" placeholder="task default" />
            </label>
            <datalist id="scorer-kinds">
              {options?.scorers.map((s) => <option key={s.kind} value={s.kind === 'onnx' ? 'onnx:' : s.kind} label={s.description} />)}
            </datalist>
            <NumberField label="Seed" value={seed} onChange={setSeed} />
          </div>
          <p className="muted small">
            {scorer.trim()
              ? options?.scorers.find((s) => scorer.startsWith(s.kind))?.description
              : 'Empty: the bundled PRM beside the task-default policy, else the exact solver where the task has one, else the likelihood.'}
          </p>
        </fieldset>

        {error && (
          <pre className="field-error" role="alert">
            {error}
          </pre>
        )}
        <div className="form-actions">
          <span className="muted small">{request.problem}</span>
          <button type="button" className="button" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" className="button primary" disabled={busy || !options}>
            {busy ? 'Starting…' : 'Start search'}
          </button>
        </div>
      </form>
    </Modal>
  );
}

function NumberField({ label, value, onChange }: { label: string; value: string; onChange(v: string): void }) {
  return (
    <label className="field number-field">
      <span className="field-label">{label}</span>
      <input type="number" inputMode="numeric" value={value} onChange={(e) => onChange(e.target.value)} />
    </label>
  );
}
