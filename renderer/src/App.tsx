/**
 * The studio shell: top bar, run library, the open run's workbench, guidelines beside it, and
 * the dialogs (annotator, keyboard help, settings). Same code in the Electron window and in a
 * browser against `metacot serve`; only the API transport differs.
 */
import { useCallback, useEffect, useRef, useState, useSyncExternalStore } from 'react';
import type { MethodOutput } from '../../common/contract';
import type { RunStatus } from '../../common/domain';
import type { StudioClient } from './api/client';
import { ExportDialog } from './dialogs/ExportDialog';
import { ImportTranscriptsDialog } from './transcript/ImportTranscriptsDialog';
import { NewSearchDialog } from './dialogs/NewSearchDialog';
import { Library, type LibraryHandle } from './library/Library';
import { ReviewScreen } from './review/ReviewScreen';
import { basename, FINISH_LABELS, fmtDuration } from './lib/format';
import { usePrefs } from './lib/prefs';
import { AnnotatorDialog } from './shell/AnnotatorDialog';
import { StudioProvider, useClient, useStudioEvents } from './shell/events';
import { useStepRequests } from './shell/navigation';
import { GuidelinesPanel } from './shell/GuidelinesPanel';
import { HelpOverlay } from './shell/HelpOverlay';
import { SettingsDialog } from './shell/SettingsDialog';
import { WorkspaceDialog } from './shell/WorkspaceDialog';
import { ErrorBoundary } from './ui/ErrorBoundary';
import { useActionHandlers, useHotkeyDispatcher } from './ui/hotkeys';
import { Kbd, useKeyTitle } from './ui/Kbd';
import { ToastProvider, useToaster } from './ui/toasts';
import { useRunModel } from './workbench/useRunModel';
import { useTimeSpent } from './workbench/useTimeSpent';
import { Workbench } from './workbench/Workbench';

export function App({ client }: { client: StudioClient }) {
  return (
    <ToastProvider>
      <StudioProvider client={client}>
        <Studio />
      </StudioProvider>
    </ToastProvider>
  );
}

const noSubscription = () => () => undefined;

type Overlay = 'help' | 'settings' | 'annotator' | 'newSearch' | 'export' | 'import' | 'workspace' | null;

/** The open run lives in the URL hash (#run=12) so a reload or a shared link reopens it. */
function runFromHash(): number | null {
  const m = /run=(\d+)/.exec(window.location.hash);
  return m ? Number(m[1]) : null;
}

function Studio() {
  const client = useClient();
  const toast = useToaster();
  const keyTitle = useKeyTitle();
  const [prefs] = usePrefs();
  useHotkeyDispatcher(prefs.keymap);
  const [runId, setRunId] = useState<number | null>(runFromHash);
  const [overlay, setOverlay] = useState<Overlay>(null);
  const [guidelines, setGuidelines] = useState(false);
  const [review, setReview] = useState(false);
  const [info, setInfo] = useState<MethodOutput<'info'> | null>(null);
  const [reloadKey, setReloadKey] = useState(0);
  const libraryRef = useRef<LibraryHandle>(null);
  const annotator = prefs.annotator;
  const loaded = useRunModel(runId, reloadKey);

  const [infoKey, setInfoKey] = useState(0);
  useEffect(() => {
    client.api.info({}).then(setInfo, (e: unknown) => toast.error(e, 'Could not reach the studio engine'));
  }, [client, toast, infoKey]);
  // Database totals follow searches, at most every two seconds.
  const infoTimer = useRef<ReturnType<typeof setTimeout> | null>(null);
  useStudioEvents((name) => {
    // Another database was opened (in this window or another): nothing on screen is current.
    if (name === 'databaseChanged') {
      history.replaceState(null, '', window.location.pathname + window.location.search);
      window.location.reload();
      return;
    }
    if (name !== 'runChanged' || infoTimer.current) return;
    infoTimer.current = setTimeout(() => {
      infoTimer.current = null;
      setInfoKey((k) => k + 1);
    }, 2000);
  });

  useEffect(() => {
    const onHash = () => setRunId(runFromHash());
    window.addEventListener('hashchange', onHash);
    return () => window.removeEventListener('hashchange', onHash);
  }, []);

  const open = useCallback((id: number) => {
    // Keys go to the tree from here on, not to the list that opened it.
    (document.activeElement as HTMLElement | null)?.blur?.();
    setRunId(id);
    history.replaceState(null, '', `#run=${id}`);
  }, []);

  useActionHandlers({
    help: () => setOverlay((o) => (o === 'help' ? null : 'help')),
    review: () => setReview((r) => !r),
    guidelines: () => setGuidelines((g) => !g),
    workspace: () => setOverlay('workspace'),
    newSearch: () => setOverlay('newSearch'),
    exportData: () => setOverlay('export'),
    library: () => {
      setReview(false); // the run list is under the review screen
      if (!guidelines) libraryRef.current?.focus();
      else {
        // The list is hidden behind the guidelines: show it, then focus it.
        setGuidelines(false);
        requestAnimationFrame(() => libraryRef.current?.focus());
      }
    },
  });

  // A step asked for in another run (review screen, labeling queue): open that run; its
  // workbench then selects the step.
  useStepRequests((t) => {
    if (t.runId !== runId) open(t.runId);
  });

  const model = loaded.model;
  // The run's status and finish reason change under it (events): re-render the top bar then.
  useSyncExternalStore(model?.subscribe ?? noSubscription, () => model?.version ?? 0);
  const run = model?.run;

  return (
    <div className="studio">
      <header className="topbar">
        <span className="brand">Meta-CoT Studio</span>
        {info && (
          <button className="db-chip" title={keyTitle(`Database: ${info.dbPath} (workspace)`, 'workspace')} onClick={() => setOverlay('workspace')} data-testid="db-chip">
            {basename(info.dbPath)} · {info.runCount.toLocaleString()} runs · {info.nodeCount.toLocaleString()} nodes
          </button>
        )}
        {run && (
          <span className="run-title" data-testid="run-title">
            Run #{run.id} · {run.task} · {run.algorithm} · <span className={`status status-${run.status}`}>{run.status}</span>
            {annotator && model?.finishReasonOf(annotator) && (
              <span className="chip finish" title="Your finish reason for this tree">
                finished: {FINISH_LABELS[model.finishReasonOf(annotator)!]}
              </span>
            )}
          </span>
        )}
        <span className="spacer" />
        {run && annotator && <TimeChip runId={run.id} annotator={annotator} />}
        {run && <RunControls status={run.status} runId={run.id} />}
        <button className="button small" onClick={() => setOverlay('newSearch')} title={keyTitle('Start a search', 'newSearch')}>
          New search <Kbd action="newSearch" />
        </button>
        <button className="button small" onClick={() => setOverlay('import')} title="Import long chains of thought (R1/QwQ-style transcripts) as trees" data-testid="import-transcripts-open">
          Import
        </button>
        <button className="button small" onClick={() => setOverlay('export')} title={keyTitle('Export training data', 'exportData')}>
          Export <Kbd action="exportData" />
        </button>
        <button className="button small" onClick={() => setReview((r) => !r)} aria-pressed={review} title={keyTitle('Agreement dashboard and adjudication', 'review')}>
          Review <Kbd action="review" />
        </button>
        <button className="button small" onClick={() => setGuidelines((g) => !g)} aria-pressed={guidelines} title={keyTitle('Guidelines', 'guidelines')}>
          Guidelines <Kbd action="guidelines" />
        </button>
        <button className="button small" onClick={() => setOverlay('help')} title={keyTitle('Keyboard help', 'help')}>
          Keys <Kbd action="help" />
        </button>
        <button className="button small" onClick={() => setOverlay('settings')}>
          Settings
        </button>
        <button className="annotator-chip" onClick={() => setOverlay('annotator')} title="Switch annotator" data-testid="annotator">
          <span className="avatar">{(annotator ?? '?').slice(0, 1).toUpperCase()}</span>
          {annotator ?? 'no annotator'}
        </button>
      </header>
      {/* The guidelines take the library's place: while labeling, the run list is what is not needed. */}
      <div className="main" style={{ gridTemplateColumns: `${guidelines ? Math.max(prefs.libraryWidth, 360) : prefs.libraryWidth}px 1fr` }}>
        {guidelines && annotator && <GuidelinesPanel annotator={annotator} onClose={() => setGuidelines(false)} />}
        {/* Kept mounted while hidden, so its filters and scroll position survive. */}
        <div className="library-slot" hidden={guidelines && annotator !== null}>
          <ErrorBoundary label="run library">
            <Library ref={libraryRef} selectedRunId={runId} annotator={annotator} onOpen={open} />
          </ErrorBoundary>
        </div>
        <main className="center">
          {runId === null ? (
            <Welcome />
          ) : loaded.error ? (
            <div className="empty-state error-state" role="alert">
              <p>{loaded.error}</p>
              <button className="button" onClick={() => setReloadKey((k) => k + 1)}>
                Try again
              </button>
            </div>
          ) : !model || loaded.loading ? (
            <div className="empty-state">Loading run #{runId}…</div>
          ) : annotator ? (
            <ErrorBoundary label="tree view" key={`${model.run.id}:${reloadKey}`}>
              <Workbench model={model} annotator={annotator} />
            </ErrorBoundary>
          ) : null}
        </main>
        {review && annotator && (
          <ErrorBoundary label="review">
            <ReviewScreen
              runId={model?.run.id ?? null}
              runLabelable={model ? model.labelableCount() : null}
              reviewer={annotator}
              onClose={() => setReview(false)}
            />
          </ErrorBoundary>
        )}
      </div>
      {(!annotator || overlay === 'annotator') && <AnnotatorDialog firstRun={!annotator} onClose={() => setOverlay(null)} />}
      {annotator && overlay === 'help' && <HelpOverlay onClose={() => setOverlay(null)} onSettings={() => setOverlay('settings')} />}
      {annotator && overlay === 'settings' && <SettingsDialog onClose={() => setOverlay(null)} annotator={annotator} />}
      {annotator && overlay === 'newSearch' && (
        <NewSearchDialog
          onClose={() => setOverlay(null)}
          problemId={run?.problemId ?? null}
          onStarted={(ids) => ids[0] !== undefined && open(ids[0])}
        />
      )}
      {annotator && overlay === 'export' && (
        <ExportDialog onClose={() => setOverlay(null)} runId={run?.id ?? null} annotator={annotator} />
      )}
      {annotator && overlay === 'import' && (
        <ImportTranscriptsDialog
          onClose={() => setOverlay(null)}
          onImported={() => {
            libraryRef.current?.refresh();
            setInfoKey((k) => k + 1);
          }}
        />
      )}
      {annotator && overlay === 'workspace' && <WorkspaceDialog onClose={() => setOverlay(null)} />}
    </div>
  );
}

/** Cancel a running search, or resume one that stopped before its budget was spent. */
function RunControls({ runId, status }: { runId: number; status: RunStatus }) {
  const client = useClient();
  const toast = useToaster();
  const [busy, setBusy] = useState(false);
  const act = (kind: 'cancelRun' | 'resumeRun') => {
    setBusy(true);
    client.api[kind]({ runId }).then(
      (r) => toast.info(`Run #${runId} ${r.run.status}`),
      (e: unknown) => toast.error(e, `Could not ${kind === 'cancelRun' ? 'cancel' : 'resume'} run #${runId}`),
    ).finally(() => setBusy(false));
  };
  if (status === 'running' || status === 'queued') {
    return (
      <button className="button small" disabled={busy} onClick={() => act('cancelRun')}>
        Cancel run
      </button>
    );
  }
  if (status === 'cancelled' || status === 'interrupted' || status === 'failed') {
    return (
      <button className="button small" disabled={busy} onClick={() => act('resumeRun')}>
        Resume run
      </button>
    );
  }
  return null;
}

/** Its own component: it ticks every second and nothing else should re-render with it. */
function TimeChip({ runId, annotator }: { runId: number; annotator: string }) {
  const client = useClient();
  const toast = useToaster();
  const time = useTimeSpent(client, runId, annotator, toast);
  return (
    <span className="time-chip" title="Active labeling time on this tree (you / everyone)" data-testid="time-spent">
      time {fmtDuration(time.mine)} / {fmtDuration(time.total)}
    </span>
  );
}

function Welcome() {
  return (
    <div className="welcome">
      <h1>Open a run from the library</h1>
      <p className="muted">Pick a run on the left (↑/↓ and Enter work there too). Then:</p>
      <ul className="welcome-keys">
        <li>
          <Kbd action="rateMinus" /> <Kbd action="rateZero" /> <Kbd action="ratePlus" /> rate the selected step −1 / 0 / +1
        </li>
        <li>
          <Kbd action="parent" all /> <Kbd action="child" all /> move along the path, <Kbd action="prevSibling" all />{' '}
          <Kbd action="nextSibling" all /> between alternatives
        </li>
        <li>
          <Kbd action="nextUnlabeled" /> next unlabeled step, <Kbd action="prune" /> prune, <Kbd action="flag" /> flag,{' '}
          <Kbd action="note" /> note
        </li>
        <li>
          <Kbd action="undo" /> undo, <Kbd action="redo" /> redo, <Kbd action="help" /> every key
        </li>
      </ul>
    </div>
  );
}
