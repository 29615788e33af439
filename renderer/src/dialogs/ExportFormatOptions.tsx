/**
 * The Export dialog's per-format options for the formats that have choices worth a control:
 * trace linearisation (order, backtracks, what is kept, random dropping, loss masks) and RL
 * post-training data (trainer, difficulty range). Other formats export with their defaults.
 */
import type { ExportFormat, RlOptions, TraceOptions } from '../../../common/contract/export';

export type TraceChoices = Pick<TraceOptions, 'order' | 'backtrack' | 'keep' | 'failedBranches' | 'lossMask' | 'appendSolution' | 'style'> & {
  dropRate: number;
  dropSeed: number;
};
export type RlChoices = Pick<RlOptions, 'target' | 'chat' | 'minSolveRate' | 'maxSolveRate' | 'includeUnmeasured'>;

export const TRACE_DEFAULTS: TraceChoices = {
  order: 'expansion',
  backtrack: 'sos',
  keep: 'all',
  failedBranches: 2,
  lossMask: 'none',
  appendSolution: false,
  style: 'sft',
  dropRate: 0,
  dropSeed: 0,
};
export const RL_DEFAULTS: RlChoices = { target: 'trl-grpo', chat: true, minSolveRate: 0, maxSolveRate: 1, includeUnmeasured: true };

/** The request's own options object for the format (undefined: the format's defaults). */
export function formatOptionsFor(format: ExportFormat, trace: TraceChoices, rl: RlChoices) {
  if (format === 'trace') {
    const { dropRate, dropSeed, ...rest } = trace;
    return { trace: { ...rest, drop: { rate: dropRate, seed: dropSeed } } };
  }
  if (format === 'rl') return { rl };
  return {};
}

function Select<T extends string>({ label, value, options, onChange }: { label: string; value: T; options: [T, string][]; onChange(v: T): void }) {
  return (
    <label className="field inline">
      <span className="field-label">{label}</span>
      <select value={value} onChange={(e) => onChange(e.target.value as T)}>
        {options.map(([v, text]) => (
          <option key={v} value={v}>
            {text}
          </option>
        ))}
      </select>
    </label>
  );
}

function NumberInput({ label, value, min, max, step, onChange }: { label: string; value: number; min: number; max: number; step: number; onChange(v: number): void }) {
  return (
    <label className="field inline number-field">
      <span className="field-label">{label}</span>
      <input type="number" min={min} max={max} step={step} value={value} onChange={(e) => onChange(Number(e.target.value))} />
    </label>
  );
}

export function TraceFields({ value, onChange }: { value: TraceChoices; onChange(v: TraceChoices): void }) {
  const set = <K extends keyof TraceChoices>(key: K) => (v: TraceChoices[K]) => onChange({ ...value, [key]: v });
  return (
    <fieldset className="fieldset">
      <legend>Linearisation</legend>
      <div className="field-row">
        <Select label="Order" value={value.order} onChange={set('order')} options={[['expansion', 'as the search ran'], ['dfs', 'depth first'], ['bfs', 'breadth first'], ['score', 'best first by score']]} />
        <Select label="Backtracks" value={value.backtrack} onChange={set('backtrack')} options={[['sos', 'Stream of Search lines'], ['token', '[BACK] token'], ['natural', 'sentences (ASTRO)'], ['tree', 'tree, parent pointers']]} />
        <Select label="Keep" value={value.keep} onChange={set('keep')} options={[['all', 'everything'], ['approved', 'approved paths only'], ['first-failed', 'solution + first failed'], ['solution', 'solution path only']]} />
        {value.keep === 'first-failed' && <NumberInput label="Failed branches" value={value.failedBranches} min={0} max={100} step={1} onChange={set('failedBranches')} />}
      </div>
      <div className="field-row">
        <Select label="Loss mask" value={value.lossMask} onChange={set('lossMask')} options={[['none', 'none'], ['all', 'whole trace'], ['answer', 'answer only'], ['correct', 'mask incorrect branches']]} />
        <NumberInput label="Drop rate" value={value.dropRate} min={0} max={1} step={0.05} onChange={set('dropRate')} />
        <NumberInput label="Drop seed" value={value.dropSeed} min={0} max={1_000_000} step={1} onChange={set('dropSeed')} />
        <label className="check">
          <input type="checkbox" checked={value.appendSolution} onChange={(e) => set('appendSolution')(e.target.checked)} />
          append the solution
        </label>
        <label className="check">
          <input type="checkbox" checked={value.style === 'chat'} onChange={(e) => set('style')(e.target.checked ? 'chat' : 'sft')} />
          chat messages
        </label>
      </div>
    </fieldset>
  );
}

export function RlFields({ value, onChange }: { value: RlChoices; onChange(v: RlChoices): void }) {
  const set = <K extends keyof RlChoices>(key: K) => (v: RlChoices[K]) => onChange({ ...value, [key]: v });
  return (
    <fieldset className="fieldset">
      <legend>RL data</legend>
      <div className="field-row">
        <Select label="Trainer" value={value.target} onChange={set('target')} options={[['trl-grpo', 'TRL GRPO'], ['verl', 'verl (Parquet)'], ['openrlhf', 'OpenRLHF']]} />
        <NumberInput label="Min solve rate" value={value.minSolveRate} min={0} max={1} step={0.05} onChange={set('minSolveRate')} />
        <NumberInput label="Max solve rate" value={value.maxSolveRate} min={0} max={1} step={0.05} onChange={set('maxSolveRate')} />
        <label className="check">
          <input type="checkbox" checked={value.includeUnmeasured} onChange={(e) => set('includeUnmeasured')(e.target.checked)} />
          keep problems not yet attempted
        </label>
        <label className="check">
          <input type="checkbox" checked={value.chat} onChange={(e) => set('chat')(e.target.checked)} />
          chat prompt
        </label>
      </div>
      <p className="muted small">Solve rate: correct finished paths among all finished paths of the problem's runs. Rewards: training/rewards/.</p>
    </fieldset>
  );
}
