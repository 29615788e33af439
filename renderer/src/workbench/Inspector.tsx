/**
 * The selected step: labeling controls (each showing its key), the reasoning path from the
 * problem to here as readable text, the step's statistics, every annotator's label and note, and
 * its siblings.
 */
import { forwardRef, useEffect, useImperativeHandle, useRef, useState, type ReactNode } from 'react';
import { FINISH_REASONS, type FinishReason, type Rating, type TreeNode } from '../../../common/domain';
import { FINISH_LABELS, fmtNum, fmtRating, fmtWhen } from '../lib/format';
import type { RunModel } from '../model/run-model';
import { Kbd, useKeyTitle } from '../ui/Kbd';
import { SafeText } from '../ui/SafeText';
import type { AutoLabel } from '../../../common/contract/suggest';
import type { Annotate } from './useAnnotate';

export interface InspectorHandle {
  focusNote(): void;
}

interface Props {
  model: RunModel;
  /** Model version: the inspector re-renders when labels or nodes change. */
  version: number;
  selected: number | null;
  annotator: string;
  markdown: boolean;
  setMarkdown(v: boolean): void;
  firstErrorMode: boolean;
  /** Blind labeling (project setting): the outcome, exact label, suggestions and others' labels wait until I rate. */
  blind: boolean;
  annotate: Annotate;
  onSelect(id: number): void;
  onRate(rating: Rating | null): void;
  /** Automatic labels (suggestions) for the selected step, every source. */
  autoLabels: AutoLabel[];
  onAccept(source: AutoLabel['source']): void;
  /** Beside the suggestions' heading: computing them (auto-label). */
  suggestionsHead?: ReactNode;
  /** Under the suggestions: accepting all of a source on the path. */
  suggestionTools?: ReactNode;
  /** Right of the step's title: what the next-step key follows. */
  titleTools?: ReactNode;
  /** The review section: gold label, final label, exact labels as gold. */
  review?: ReactNode;
  /** Above the controls: a state of the whole tree (done, finish reason asked). */
  notice?: ReactNode;
}

const PATH_TAIL = 40;

export const Inspector = forwardRef<InspectorHandle, Props>(function Inspector(props, ref) {
  const { model, selected, annotator, markdown, setMarkdown, annotate, onSelect, onRate } = props;
  const noteRef = useRef<HTMLTextAreaElement>(null);
  const asideRef = useRef<HTMLElement>(null);
  // A new step: its title and rating controls come into view, wherever the last one was scrolled.
  useEffect(() => {
    if (asideRef.current) asideRef.current.scrollTop = 0;
  }, [selected]);
  const keyTitle = useKeyTitle();
  useImperativeHandle(ref, () => ({ focusNote: () => noteRef.current?.focus() }), []);
  const node = selected === null ? undefined : model.node(selected);

  if (!node) {
    return (
      <aside className="inspector" aria-label="Inspector">
        <div className="empty-state">Select a step in the tree (click it, or press n for the next unlabeled step).</div>
      </aside>
    );
  }

  const isRoot = node.parentId === null;
  const mine = model.labelOf(node.id, annotator);
  const myRating = mine?.rating ?? null;
  const isLeaf = model.childrenOf(node.id).length === 0 && !isRoot;
  const myBranch = model.branchOf(node.id, annotator);
  const inPruned = model.inPrunedSubtree(node.id);
  const afterError = props.firstErrorMode && model.afterError(node.id, annotator);
  const hidden = props.blind && myRating === null && !isRoot;

  return (
    <aside className="inspector" aria-label="Inspector" data-testid="inspector" ref={asideRef}>
      {props.notice}
      <section className="insp-section insp-controls">
        <div className="insp-title">
          <h2>{isRoot ? 'Problem' : `Step #${node.seq}`}</h2>
          <span className="muted">
            depth {node.depth} · expansion {node.expansion}
            {node.outcome && !hidden && (
              <span className={`outcome-text ${node.outcome}`}> · {node.outcome === 'correct' ? '✓ correct' : '✗ incorrect'}</span>
            )}
          </span>
          {props.titleTools && <span className="insp-title-tools">{props.titleTools}</span>}
        </div>
        {inPruned && <div className="notice">{node.pruned ? 'This subtree is pruned.' : 'Inside a pruned subtree.'} It is left out of exports.</div>}
        {afterError && <div className="notice notice-error">After the first error on this path (first-error mode).</div>}
        {!isRoot && (
          <>
            <div className="rate-row" role="group" aria-label="Rate this step">
              {([-1, 0, 1] as const).map((r) => (
                <button
                  key={r}
                  className={`rate-button r${r}${myRating === r ? ' is-active' : ''}`}
                  aria-pressed={myRating === r}
                  title={keyTitle(`Rate ${fmtRating(r)}`, r === -1 ? 'rateMinus' : r === 0 ? 'rateZero' : 'ratePlus')}
                  onClick={() => onRate(myRating === r ? null : r)}
                >
                  <span className="rate-value">{fmtRating(r)}</span>
                  <Kbd action={r === -1 ? 'rateMinus' : r === 0 ? 'rateZero' : 'ratePlus'} />
                </button>
              ))}
            </div>
            <div className="action-row">
              <button
                className={`button${mine?.flagged ? ' is-active' : ''}`}
                aria-pressed={Boolean(mine?.flagged)}
                onClick={() => void annotate.toggleFlag(node.id)}
              >
                ⚑ {mine?.flagged ? 'Flagged' : 'Flag'} <Kbd action="flag" />
              </button>
              <button
                className={`button${node.pruned ? ' is-active' : ''}`}
                aria-pressed={node.pruned}
                onClick={() => void annotate.togglePrune(node.id)}
              >
                ✂ {node.pruned ? 'Unprune' : 'Prune'} <Kbd action="prune" />
              </button>
              <button className="button" onClick={() => onRate(null)} disabled={myRating === null}>
                Clear <Kbd action="clearRating" />
              </button>
            </div>
            <NoteEditor
              ref={noteRef}
              key={`${node.id}:${annotator}`}
              saved={mine?.note ?? ''}
              onSave={(note) => annotate.setNote(node.id, note)}
            />
            {isLeaf && (
              <div className="branch-row" role="group" aria-label="Rate this branch">
                <span className="field-label">Branch</span>
                {[1, 2, 3, 4, 5].map((s) => (
                  <button
                    key={s}
                    className={`score-button${myBranch?.score === s ? ' is-active' : ''}`}
                    aria-pressed={myBranch?.score === s}
                    title={keyTitle(`Rate this branch ${s} of 5`, `branch${s}` as 'branch1')}
                    onClick={() => void annotate.rateBranch(node.id, myBranch?.score === s ? null : s)}
                  >
                    {s}
                  </button>
                ))}
                <button
                  className={`button small${myBranch?.preferred ? ' is-active' : ''}`}
                  aria-pressed={Boolean(myBranch?.preferred)}
                  onClick={() => void annotate.togglePreferred(node.id)}
                  title={keyTitle('Preferred branch among its siblings (for preference pairs)', 'preferred')}
                >
                  ★ Preferred <Kbd action="preferred" />
                </button>
              </div>
            )}
          </>
        )}
        <FinishReasonPicker
          value={model.finishReasonOf(annotator)}
          onChange={(r) => void annotate.setFinishReason(r)}
        />
      </section>

      <section className="insp-section">
        <div className="section-head">
          <h3>Path</h3>
          <div className="segmented" role="group" aria-label="Text rendering">
            <button className={markdown ? 'is-active' : ''} aria-pressed={markdown} onClick={() => setMarkdown(true)}>
              Markdown
            </button>
            <button className={!markdown ? 'is-active' : ''} aria-pressed={!markdown} onClick={() => setMarkdown(false)}>
              Plain
            </button>
          </div>
        </div>
        <PathView model={model} node={node} annotator={annotator} markdown={markdown} onSelect={onSelect} />
      </section>

      <section className="insp-section">
        <h3>Statistics</h3>
        <Stats node={node} hidden={hidden} />
      </section>

      <section className="insp-section" aria-label="Suggestions">
        <div className="section-head">
          <h3>Suggestions</h3>
          {props.suggestionsHead}
        </div>
        {hidden ? (
          <p className="muted small" data-testid="blind-note">
            Hidden until you rate this step (blind labeling).
          </p>
        ) : props.autoLabels.length > 0 ? (
          <AutoLabels labels={props.autoLabels} mine={myRating} onAccept={props.onAccept} />
        ) : (
          <p className="muted small">No automatic labels for this step.</p>
        )}
        {props.suggestionTools}
      </section>

      {props.review && (
        <section className="insp-section">
          <h3>Quality control</h3>
          {props.review}
        </section>
      )}

      <section className="insp-section">
        <h3>Annotations</h3>
        <Annotations model={model} node={node} annotator={annotator} hidden={hidden} />
      </section>

      {!isRoot && (
        <section className="insp-section">
          <h3>Siblings ({model.siblingsOf(node.id).length})</h3>
          <Siblings model={model} node={node} annotator={annotator} blind={props.blind} onSelect={onSelect} />
        </section>
      )}
    </aside>
  );
});

const NoteEditor = forwardRef<HTMLTextAreaElement, { saved: string; onSave(note: string): Promise<boolean> }>(
  function NoteEditor({ saved, onSave }, ref) {
    const [draft, setDraft] = useState(saved);
    const dirty = draft !== saved;
    // Esc on a changed note asks first: a second Esc throws the text away.
    const [confirmDiscard, setConfirmDiscard] = useState(false);
    // Another window may change the note: follow it unless we are editing.
    const editing = useRef(false);
    useEffect(() => {
      if (!editing.current) setDraft(saved);
    }, [saved]);
    const save = async (target: HTMLTextAreaElement | null) => {
      if (draft !== saved) await onSave(draft);
      target?.blur();
    };
    return (
      <div className="note">
        <label className="field-label" htmlFor="note-input">
          Note <Kbd action="note" />
        </label>
        <textarea
          id="note-input"
          ref={ref}
          value={draft}
          rows={2}
          placeholder="Why this rating? (Ctrl+Enter saves, Esc cancels)"
          maxLength={20_000}
          onFocus={() => (editing.current = true)}
          onChange={(e) => {
            setDraft(e.target.value);
            setConfirmDiscard(false);
          }}
          onBlur={() => {
            editing.current = false;
            if (draft !== saved) void onSave(draft);
          }}
          onKeyDown={(e) => {
            if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
              e.preventDefault();
              void save(e.currentTarget);
            } else if (e.key === 'Escape') {
              e.preventDefault();
              e.stopPropagation();
              if (dirty && !confirmDiscard) {
                setConfirmDiscard(true);
                return;
              }
              setConfirmDiscard(false);
              setDraft(saved);
              editing.current = false;
              // Blur after the reset so onBlur sees no change.
              const target = e.currentTarget;
              requestAnimationFrame(() => target.blur());
            }
          }}
        />
        {dirty && (
          <span className="hint" role={confirmDiscard ? 'alert' : undefined}>
            {confirmDiscard ? 'Discard this note? Esc again discards it, Ctrl+Enter saves it' : 'unsaved · Ctrl+Enter to save'}
          </span>
        )}
      </div>
    );
  },
);

function FinishReasonPicker({ value, onChange }: { value: FinishReason | null; onChange(r: FinishReason | null): void }) {
  const keyTitle = useKeyTitle();
  const keys = { solution: 'finishSolution', found_error: 'finishFoundError', bad_problem: 'finishBadProblem', give_up: 'finishGiveUp' } as const;
  return (
    <div className="finish-row" role="group" aria-label="Finish reason for this tree">
      <span className="field-label">Tree finished</span>
      {FINISH_REASONS.map((r) => (
        <button
          key={r}
          className={`button small${value === r ? ' is-active' : ''}`}
          aria-pressed={value === r}
          title={keyTitle(FINISH_LABELS[r], keys[r])}
          onClick={() => onChange(value === r ? null : r)}
        >
          {FINISH_LABELS[r]}
        </button>
      ))}
    </div>
  );
}

function PathView(props: { model: RunModel; node: TreeNode; annotator: string; markdown: boolean; onSelect(id: number): void }) {
  const { model, node, annotator, markdown, onSelect } = props;
  const [showAll, setShowAll] = useState(false);
  const path = model.pathTo(node.id);
  const steps = path.slice(1);
  const hidden = showAll ? 0 : Math.max(0, steps.length - PATH_TAIL);
  return (
    <div className="path">
      <div className="path-problem">
        <div className="path-label">Problem ({model.problem.task})</div>
        <SafeText text={model.problem.prompt} markdown={markdown} />
        {model.problem.goldAnswer !== null && (
          <div className="gold">
            Answer: <code>{model.problem.goldAnswer}</code>
          </div>
        )}
      </div>
      {hidden > 0 && (
        <button className="link-button" onClick={() => setShowAll(true)}>
          Show {hidden} earlier steps
        </button>
      )}
      <ol className="path-steps" start={hidden + 1}>
        {steps.slice(hidden).map((s, i) => {
          const r = model.ratingOf(s.id, annotator);
          return (
            <li key={s.id} className={`path-step${s.id === node.id ? ' is-current' : ''}`}>
              <button className="path-step-head" onClick={() => onSelect(s.id)} title="Select this step">
                <span className="muted">Step {hidden + i + 1}</span>
                <span className={`chip rating r${r ?? 'none'}`}>{fmtRating(r)}</span>
                <span className="muted">#{s.seq}</span>
              </button>
              <SafeText text={s.stepText} markdown={markdown} />
            </li>
          );
        })}
      </ol>
    </div>
  );
}

function Stats({ node, hidden }: { node: TreeNode; hidden: boolean }) {
  const rows: [string, ReactNode][] = [
    ['log-prob', fmtNum(node.logprob)],
    ['prior', fmtNum(node.prior)],
    ['value', fmtNum(node.value)],
    ['visits', fmtNum(node.visits)],
    ['Q', fmtNum(node.q)],
    ['scorer score', fmtNum(node.score)],
    ['exact label', hidden ? 'hidden' : node.exactLabel === null ? '—' : <span className={`chip rating r${node.exactLabel}`}>{fmtRating(node.exactLabel)}</span>],
    ['tokens', fmtNum(node.tokenCount)],
    ['terminal', node.isTerminal ? (hidden ? 'yes' : (node.outcome ?? 'yes')) : 'no'],
    ['valid', node.valid ? 'yes' : 'no'],
  ];
  return (
    <dl className="stats">
      {rows.map(([k, v]) => (
        <div key={k} className="stat">
          <dt>{k}</dt>
          <dd>{v}</dd>
        </div>
      ))}
      {node.state !== null && (
        <div className="stat stat-wide">
          <dt>state</dt>
          <dd>
            <code className="state">{node.state}</code>
          </dd>
        </div>
      )}
    </dl>
  );
}

/** Suggestions from automatic labelers, each acceptable as my own (undoable) label. */
function AutoLabels({ labels, mine, onAccept }: { labels: AutoLabel[]; mine: Rating | null; onAccept(source: AutoLabel['source']): void }) {
  return (
    <div className="auto-labels" data-testid="auto-labels">
      {labels.map((l) => (
        <div key={l.source} className="auto-label">
          <span className="auto-source">{l.source}</span>
          <span className={`chip rating r${l.label ?? 'none'}`}>{fmtRating(l.label)}</span>
          {l.value !== null && <span className="muted">{fmtNum(l.value)}</span>}
          {l.rollouts !== null && <span className="muted">{l.rollouts} rollouts</span>}
          {l.model && <span className="muted" title={l.model}>{l.model.slice(0, 24)}</span>}
          <span className="spacer" />
          {l.label !== null && mine === null && (
            <button className="button small" onClick={() => onAccept(l.source)} title="Take this label as yours (undoable)">
              Accept
            </button>
          )}
        </div>
      ))}
    </div>
  );
}

function Annotations({ model, node, annotator, hidden }: { model: RunModel; node: TreeNode; annotator: string; hidden: boolean }) {
  const labels = model.labelsOf(node.id).filter((a) => !hidden || a.annotator === annotator).sort((a, b) => (a.annotator === annotator ? -1 : b.annotator === annotator ? 1 : a.annotator.localeCompare(b.annotator)));
  const branches = model.branchesOf(node.id).filter((b) => !hidden || b.annotator === annotator);
  if (!labels.length && !branches.length) return <p className="muted">No annotations yet.</p>;
  return (
    <ul className="annotations">
      {labels.map((a) => (
        <li key={`l-${a.annotator}`} className="annotation">
          <div className="annotation-head">
            <strong>{a.annotator}</strong>
            {a.annotator === annotator && <span className="muted"> (you)</span>}
            <span className={`chip rating r${a.rating ?? 'none'}`}>{fmtRating(a.rating)}</span>
            {a.flagged && <span className="mark flag">⚑ flagged</span>}
            <span className="spacer" />
            <span className="muted">{fmtWhen(a.updatedAt)}</span>
          </div>
          {a.note && <p className="annotation-note">{a.note}</p>}
        </li>
      ))}
      {branches.map((b) => (
        <li key={`b-${b.annotator}`} className="annotation">
          <div className="annotation-head">
            <strong>{b.annotator}</strong>
            <span className="muted">branch</span>
            {b.score !== null && <span className="chip branch">{b.score}/5</span>}
            {b.preferred && <span className="mark pref">★ preferred</span>}
            <span className="spacer" />
            <span className="muted">{fmtWhen(b.updatedAt)}</span>
          </div>
          {b.note && <p className="annotation-note">{b.note}</p>}
        </li>
      ))}
    </ul>
  );
}

function Siblings(props: { model: RunModel; node: TreeNode; annotator: string; blind: boolean; onSelect(id: number): void }) {
  const { model, node, annotator, onSelect } = props;
  const sibs = model.siblingsOf(node.id);
  return (
    <ul className="siblings">
      {sibs.slice(0, 50).map((id) => {
        const s = model.node(id)!;
        const r = model.ratingOf(id, annotator);
        return (
          <li key={id}>
            <button className={`sibling${id === node.id ? ' is-current' : ''}${s.pruned ? ' is-pruned' : ''}`} onClick={() => onSelect(id)}>
              <span className={`chip rating r${r ?? 'none'}`}>{fmtRating(r)}</span>
              <span className="sibling-text">{s.stepText.slice(0, 200) || '(empty step)'}</span>
              {s.outcome && !(props.blind && r === null) && <span className={`outcome ${s.outcome}`}>{s.outcome === 'correct' ? '✓' : '✗'}</span>}
            </button>
          </li>
        );
      })}
      {sibs.length > 50 && <li className="muted">…and {sibs.length - 50} more</li>}
    </ul>
  );
}
