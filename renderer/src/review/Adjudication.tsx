/**
 * Steps where annotators disagree, each with every annotator's rating and any final label. The
 * reviewer moves with ↑/↓, sets the final label with the rating keys (1/2/3, 0 clears), and opens
 * the step in its tree with Enter. Final labels go through `adjudicate`; exports use them when asked.
 */
import { forwardRef, useCallback, useEffect, useImperativeHandle, useRef, useState } from 'react';
import type { MethodInput, MethodOutput } from '../../../common/contract';
import type { Rating } from '../../../common/domain';
import { fmtRating } from '../lib/format';
import { useClient } from '../shell/events';
import { goToStep } from '../shell/navigation';
import { useProjectSettings } from '../shell/project-settings';
import { Kbd } from '../ui/Kbd';
import { useToaster } from '../ui/toasts';

type Item = MethodOutput<'listDisagreements'>['items'][number];
type Scope = Omit<MethodInput<'listDisagreements'>, 'limit'>;

export interface AdjudicationHandle {
  move(delta: number): void;
  decide(rating: Rating | null): void;
  open(): void;
}

const LIMIT = 500;

interface StepContext {
  task: string;
  prompt: string;
  /** The steps from the first one down to the disputed one, numbered as the tree numbers them. */
  path: { seq: number; text: string }[];
}

/**
 * The problem and the whole path down to a disputed step (a label is judged in context), from
 * the run's tree, fetched once per run while this screen is open.
 */
function useStepContext(runId: number | null, nodeId: number | null): StepContext | null {
  const client = useClient();
  const trees = useRef(new Map<number, Promise<MethodOutput<'getTree'>>>()).current;
  const [context, setContext] = useState<(StepContext & { nodeId: number }) | null>(null);
  useEffect(() => {
    if (runId === null || nodeId === null) return;
    let cancelled = false;
    let pending = trees.get(runId);
    if (!pending) {
      pending = client.api.getTree({ runId });
      trees.set(runId, pending);
      pending.catch(() => trees.delete(runId));
    }
    pending.then(
      (tree) => {
        if (cancelled) return;
        const byId = new Map(tree.nodes.map((n) => [n.id, n]));
        const path: StepContext['path'] = [];
        for (let n = byId.get(nodeId); n && n.parentId !== null; n = byId.get(n.parentId)) path.unshift({ seq: n.seq, text: n.stepText });
        setContext({ nodeId, task: tree.problem.task, prompt: tree.problem.prompt, path });
      },
      () => undefined,
    );
    return () => {
      cancelled = true;
    };
  }, [client, runId, nodeId, trees]);
  return context && context.nodeId === nodeId ? context : null;
}

export const Adjudication = forwardRef<
  AdjudicationHandle,
  { scope: Scope; scopeLabel: string; reviewer: string; refreshKey: number; onOpen(): void }
>(function Adjudication({ scope, scopeLabel, reviewer, refreshKey, onOpen }, ref) {
  const client = useClient();
  const toast = useToaster();
  const [items, setItems] = useState<Item[] | null>(null);
  const [cursor, setCursor] = useState(0);
  const [unresolvedOnly, setUnresolvedOnly] = useState(false);
  const [note, setNote] = useState('');
  const listRef = useRef<HTMLDivElement>(null);
  const scopeKey = JSON.stringify(scope);

  useEffect(() => {
    let cancelled = false;
    client.api.listDisagreements({ ...scope, limit: LIMIT }).then(
      (r) => {
        if (cancelled) return;
        setItems(r.items);
        setCursor((c) => Math.min(c, Math.max(0, r.items.length - 1)));
      },
      (e: unknown) => toast.error(e, 'Could not list disagreements'),
    );
    return () => {
      cancelled = true;
    };
    // The scope's value, not its identity, decides.
  }, [client, toast, scopeKey, refreshKey]);

  const shown = (items ?? []).filter((i) => !unresolvedOnly || i.adjudicated === null);
  const current = shown[Math.min(cursor, shown.length - 1)];
  useEffect(() => setNote(''), [current?.nodeId]);
  useEffect(() => {
    listRef.current?.querySelector('.adj-row.is-cursor')?.scrollIntoView({ block: 'nearest' });
  }, [cursor, current?.nodeId]);

  const decide = useCallback(
    (rating: Rating | null) => {
      const item = current;
      if (!item) return;
      const at = shown.indexOf(item);
      client.api.adjudicate({ nodeId: item.nodeId, reviewer, rating, note }).then(
        () => {
          // The row's final-label chip shows it; no message needed.
          setItems((all) => all?.map((i) => (i.nodeId === item.nodeId ? { ...i, adjudicated: rating } : i)) ?? all);
          if (rating !== null) {
            // On to the next step still waiting for a decision (in the list as shown).
            const next = shown.findIndex((i, k) => k > at && i.adjudicated === null);
            // With "undecided only" the decided row leaves the list, so the next one moves up by one.
            if (next >= 0) setCursor(unresolvedOnly ? next - 1 : next);
          }
        },
        (e: unknown) => toast.error(e, 'Could not save the final label'),
      );
    },
    [client, current, note, reviewer, shown, toast, unresolvedOnly],
  );

  const open = useCallback(() => {
    if (!current) return;
    goToStep({ runId: current.runId, nodeId: current.nodeId });
    onOpen();
  }, [current, onOpen]);

  useImperativeHandle(
    ref,
    () => ({
      move: (d) => setCursor((c) => Math.max(0, Math.min(shown.length - 1, c + d))),
      decide,
      open,
    }),
    [shown.length, decide, open],
  );

  const resolved = (items ?? []).filter((i) => i.adjudicated !== null).length;
  const context = useStepContext(current?.runId ?? null, current?.nodeId ?? null);
  const [project] = useProjectSettings();
  // The engine refuses it too; the screen says so before anyone tries.
  const ownDispute = Boolean(current && !project.selfAdjudication && current.labels.some((l) => l.annotator === reviewer));

  return (
    <div className="adj">
      <div className="adj-list-col">
        <div className="adj-toolbar">
          <span data-testid="disagreement-count">
            {items === null ? 'Loading…' : `${items.length.toLocaleString()} disagreements · ${resolved.toLocaleString()} decided`}
          </span>
          <span className="muted">in {scopeLabel}</span>
          <span className="spacer" />
          <label className="check">
            <input type="checkbox" checked={unresolvedOnly} onChange={(e) => setUnresolvedOnly(e.target.checked)} />
            undecided only
          </label>
        </div>
        {items && items.length >= LIMIT && <p className="muted small">Showing the first {LIMIT}; decide these to see more.</p>}
        <div className="adj-list" ref={listRef} role="listbox" aria-label="Disagreements" data-testid="disagreements">
          {shown.map((item, i) => (
            <div
              key={item.nodeId}
              role="option"
              aria-selected={item === current}
              className={`adj-row${item === current ? ' is-cursor' : ''}`}
              onClick={() => setCursor(i)}
              onDoubleClick={() => {
                setCursor(i);
                goToStep({ runId: item.runId, nodeId: item.nodeId });
                onOpen();
              }}
              data-node={item.nodeId}
            >
              <span className="adj-where" title={`Run #${item.runId}, step #${item.seq}`}>
                #{item.runId}
                <span className="muted"> · #{item.seq}</span>
              </span>
              <span className="adj-text">{item.stepText.slice(0, 300) || '(empty step)'}</span>
              <span className="adj-votes">
                {item.labels.map((l) => (
                  <span key={l.annotator} className={`vote r${l.rating}`} title={`${l.annotator}: ${fmtRating(l.rating)}`}>
                    {l.annotator.slice(0, 10)} <b>{fmtRating(l.rating)}</b>
                  </span>
                ))}
              </span>
              <span className={`chip rating r${item.adjudicated ?? 'none'} adj-final`} title="Final label">
                {item.adjudicated === null ? '?' : fmtRating(item.adjudicated)}
              </span>
            </div>
          ))}
          {items !== null && shown.length === 0 && (
            <div className="empty-state">{items.length ? 'Every disagreement here has a final label.' : 'No disagreements: annotators agree on every step they share.'}</div>
          )}
        </div>
      </div>
      <aside className="adj-detail" aria-label="Selected disagreement">
        {current ? (
          <>
            <div className="adj-detail-head">
              <h2>
                Run #{current.runId} · step #{current.seq}
              </h2>
              <button className="button small" onClick={open} title="Open this step in its tree">
                Open in tree <Kbd action="note" />
              </button>
            </div>
            {context && (
              <div className="adj-problem">
                <span className="muted small">Problem ({context.task})</span>
                <pre className="adj-step adj-prompt">{context.prompt.slice(0, 4000)}</pre>
              </div>
            )}
            {context && context.path.length > 1 && (
              <ol className="adj-path" aria-label="Steps before this one" data-testid="adj-path">
                {context.path.slice(0, -1).map((p) => (
                  <li key={p.seq}>
                    <span className="muted">#{p.seq}</span> <span className="adj-path-text">{p.text.slice(0, 2000) || '(empty step)'}</span>
                  </li>
                ))}
              </ol>
            )}
            <span className="muted small">Step #{current.seq} (disputed)</span>
            <pre className="adj-step">{current.stepText || '(empty step)'}</pre>
            <h3>Ratings</h3>
            <ul className="adj-labels">
              {current.labels.map((l) => (
                <li key={l.annotator}>
                  <span className={`chip rating r${l.rating}`}>{fmtRating(l.rating)}</span> {l.annotator}
                </li>
              ))}
            </ul>
            <h3>Final label</h3>
            {ownDispute && (
              <div className="notice" data-testid="own-dispute">
                You rated this step, so another reviewer sets its final label (self-adjudication is off in Settings).
              </div>
            )}
            <div className="rate-row" role="group" aria-label="Final label">
              {([-1, 0, 1] as const).map((r) => (
                <button
                  key={r}
                  className={`rate-button r${r}${current.adjudicated === r ? ' is-active' : ''}`}
                  aria-pressed={current.adjudicated === r}
                  disabled={ownDispute}
                  onClick={() => decide(current.adjudicated === r ? null : r)}
                >
                  <span className="rate-value">{fmtRating(r)}</span>
                  <Kbd action={r === -1 ? 'rateMinus' : r === 0 ? 'rateZero' : 'ratePlus'} />
                </button>
              ))}
            </div>
            <label className="field">
              <span className="field-label">Reviewer's note (saved with the final label)</span>
              <textarea
                rows={3}
                value={note}
                maxLength={20_000}
                onChange={(e) => setNote(e.target.value)}
                placeholder="Why this label? (Esc leaves the note; then press the rating key)"
                onKeyDown={(e) => {
                  if (e.key === 'Escape') {
                    e.preventDefault();
                    e.stopPropagation();
                    e.currentTarget.blur();
                  }
                }}
              />
            </label>
            <p className="muted small">
              Decided by <strong>{reviewer}</strong>. <Kbd action="clearRating" /> clears the final label. Exports use final labels when
              “adjudicated” labels are chosen.
            </p>
          </>
        ) : (
          <div className="empty-state">Nothing selected.</div>
        )}
      </aside>
    </div>
  );
});
