/**
 * The review screen, over the library and the tree: the agreement dashboard, adjudication of
 * disagreements, and PRM evaluation (EvalPanel.tsx). Its keys reuse the labeling ones (↑/↓ move, ←/→ switch tabs, 1/2/3 set a final
 * label, Enter opens the step in its tree, Esc or the review key closes); tree actions are held
 * back while it is open, so nothing happens unseen underneath.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import type { AgreementReport } from '../../../common/contract/review';
import type { TaskName } from '../../../common/domain';
import { ACTION_IDS, type ActionId } from '../lib/keymap';
import { useClient, useStudioEvents } from '../shell/events';
import { useActionHandlers, type ActionHandlers } from '../ui/hotkeys';
import { Kbd } from '../ui/Kbd';
import { useToaster } from '../ui/toasts';
import { Adjudication, type AdjudicationHandle } from './Adjudication';
import { AgreementDetail, ScopeList, type ScopeReport } from './AgreementDashboard';
import { EvalPanel } from './EvalPanel';
import './review.css';

type Tab = 'agreement' | 'disagreements' | 'prm';
const TABS: Tab[] = ['agreement', 'disagreements', 'prm'];
const TAB_LABELS: Record<Tab, string> = { agreement: 'Agreement', disagreements: 'Disagreements', prm: 'PRM evaluation' };

/** Actions of the app shell that keep working over the review screen. */
const SHELL_ACTIONS = new Set<ActionId>(['help', 'guidelines', 'library', 'newSearch', 'exportData', 'review']);

interface Reports {
  overall: AgreementReport;
  byTask: AgreementReport[];
  run: AgreementReport | null;
}

export function ReviewScreen({
  runId,
  runLabelable,
  reviewer,
  onClose,
}: {
  /** The open run, if any: it gets its own scope. */
  runId: number | null;
  /** Steps of the open run that can be labeled (progress is shown "of" it). */
  runLabelable: number | null;
  reviewer: string;
  onClose(): void;
}) {
  const client = useClient();
  const toast = useToaster();
  const [tab, setTab] = useState<Tab>('agreement');
  const [reports, setReports] = useState<Reports | null>(null);
  const [cursor, setCursor] = useState(0);
  const [refreshKey, setRefreshKey] = useState(0);
  const [loadedAt, setLoadedAt] = useState<Date | null>(null);
  const adjRef = useRef<AdjudicationHandle>(null);

  useEffect(() => {
    let cancelled = false;
    Promise.all([client.api.agreement({}), runId !== null ? client.api.agreement({ runId }) : Promise.resolve(null)]).then(
      ([all, run]) => {
        if (cancelled) return;
        setReports({ overall: all.overall, byTask: all.byTask, run: run?.overall ?? null });
        setLoadedAt(new Date());
      },
      (e: unknown) => toast.error(e, 'Could not compute agreement'),
    );
    return () => {
      cancelled = true;
    };
  }, [client, toast, runId, refreshKey]);

  // Labels change under the dashboard (this window, others): recompute, at most once a second.
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  useStudioEvents((name) => {
    if (name !== 'annotationsChanged' || timer.current) return;
    timer.current = setTimeout(() => {
      timer.current = null;
      setRefreshKey((k) => k + 1);
    }, 1000);
  });
  useEffect(() => () => void (timer.current && clearTimeout(timer.current)), []);

  const scopes: ScopeReport[] = reports
    ? [
        { key: 'all', label: 'All tasks', report: reports.overall },
        ...reports.byTask.map((r) => ({ key: `task-${r.scope.task}`, label: `Task: ${r.scope.task}`, report: r })),
        ...(reports.run && runId !== null
          ? [{ key: `run-${runId}`, label: `Run #${runId}`, report: reports.run, ...(runLabelable !== null ? { labelable: runLabelable } : {}) }]
          : []),
      ]
    : [];
  const scope = scopes[Math.min(cursor, scopes.length - 1)];
  const listScope: { task?: TaskName; runId?: number } = scope?.report.scope ?? {};

  const close = useCallback(() => onClose(), [onClose]);

  // Every non-shell action is claimed here: review keys act, tree keys do nothing.
  const handlers: ActionHandlers = {};
  for (const id of ACTION_IDS) if (!SHELL_ACTIONS.has(id)) handlers[id] = () => undefined;
  const move = (d: number) => {
    if (tab === 'agreement') setCursor((c) => Math.max(0, Math.min(scopes.length - 1, c + d)));
    else adjRef.current?.move(d);
  };
  const decide = (r: -1 | 0 | 1 | null) => () => tab === 'disagreements' && adjRef.current?.decide(r);
  Object.assign(handlers, {
    parent: () => move(-1),
    child: () => move(1),
    prevUnlabeled: () => move(-1),
    nextUnlabeled: () => move(1),
    prevSibling: () => setTab((t) => TABS[Math.max(0, TABS.indexOf(t) - 1)]!),
    nextSibling: () => setTab((t) => TABS[Math.min(TABS.length - 1, TABS.indexOf(t) + 1)]!),
    rateMinus: decide(-1),
    rateZero: decide(0),
    ratePlus: decide(1),
    clearRating: decide(null),
    note: () => tab === 'disagreements' && adjRef.current?.open(),
    review: close,
  } satisfies ActionHandlers);
  useActionHandlers(handlers);

  // Escape closes, unless a dialog or a text field takes it first.
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.key !== 'Escape' || e.defaultPrevented || document.querySelector('.modal-backdrop')) return;
      e.preventDefault();
      close();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [close]);
  useEffect(() => {
    // Keys go to the screen, not to whatever had focus under it.
    (document.activeElement as HTMLElement | null)?.blur?.();
  }, []);

  return (
    <div className="review-screen" role="region" aria-label="Review" data-testid="review-screen">
      <header className="review-head">
        <h1>Review</h1>
        <div className="segmented" role="tablist" aria-label="Review views">
          {TABS.map((t) => (
            <button key={t} role="tab" aria-selected={tab === t} className={tab === t ? 'is-active' : ''} onClick={() => setTab(t)}>
              {TAB_LABELS[t]}
            </button>
          ))}
        </div>
        <span className="muted small">
          <Kbd action="prevSibling" /> <Kbd action="nextSibling" /> views · <Kbd action="parent" /> <Kbd action="child" /> move
          {tab === 'disagreements' && (
            <>
              {' '}
              · <Kbd action="rateMinus" /> <Kbd action="rateZero" /> <Kbd action="ratePlus" /> final label · <Kbd action="note" /> open in tree
            </>
          )}
        </span>
        <span className="spacer" />
        {tab === 'disagreements' && scopes.length > 0 && (
          <select aria-label="Scope" value={cursor} onChange={(e) => setCursor(Number(e.target.value))}>
            {scopes.map((s, i) => (
              <option key={s.key} value={i}>
                {s.label}
              </option>
            ))}
          </select>
        )}
        <span className="muted small" title="Recomputed when labels change">
          {loadedAt ? `updated ${loadedAt.toLocaleTimeString()}` : 'computing…'}
        </span>
        <button className="button small" onClick={() => setRefreshKey((k) => k + 1)}>
          Refresh
        </button>
        <button className="button small" onClick={close} title="Close (Esc)">
          Close <Kbd action="review" />
        </button>
      </header>
      {tab === 'prm' ? (
        <EvalPanel />
      ) : tab === 'agreement' ? (
        <div className="agr">
          <ScopeList scopes={scopes} cursor={cursor} onPick={setCursor} />
          {scope ? <AgreementDetail scope={scope} /> : <div className="empty-state">Computing agreement…</div>}
        </div>
      ) : (
        <Adjudication
          ref={adjRef}
          scope={listScope}
          scopeLabel={scope?.label ?? 'all tasks'}
          reviewer={reviewer}
          refreshKey={refreshKey}
          onOpen={close}
        />
      )}
    </div>
  );
}
