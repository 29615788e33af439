/**
 * An open run: the toolbar, the centre view (tree, outline or path), replay and status, and the
 * inspector. Each job lives in its own hook or component: navigation (useTreeNavigation), the
 * labeling flow (useLabelingFlow), suggestions (useSuggestions), keys (useWorkbenchKeys), model
 * versions (useTreeVersions); this file only wires them together.
 */
import { useEffect, useMemo, useRef, useState, useSyncExternalStore } from 'react';
import { TASK_SPECS } from '../../../common/tasks';
import { usePrefs } from '../lib/prefs';
import type { RunModel } from '../model/run-model';
import { ViewStore } from '../model/view-store';
import { AcceptPathBar } from '../review/AcceptPathBar';
import { AutolabelDialog, useElapsed } from '../review/AutolabelDialog';
import { METHOD_LABELS, useAutolabelJob } from '../review/autolabel-jobs';
import { QualityPanel } from '../review/QualityPanel';
import { QUEUE_RULES, RULE_HELP, RULE_LABELS } from '../review/queue';
import { useReviewLabels } from '../review/useReviewLabels';
import { useClient } from '../shell/events';
import { useProjectSettings } from '../shell/project-settings';
import { TranscriptPanel } from '../transcript/TranscriptPanel';
import { isTranscriptRun } from '../transcript/useTranscript';
import { Legend } from '../tree/Legend';
import { ReplayBar } from '../tree/ReplayBar';
import { TreePane, type TreePaneHandle } from '../tree/TreePane';
import { Kbd, useKeyTitle } from '../ui/Kbd';
import { useToaster } from '../ui/toasts';
import { OutlineView } from '../views/OutlineView';
import { PathReader } from '../views/PathReader';
import { Inspector, type InspectorHandle } from './Inspector';
import { TreeDone } from './TreeDone';
import { TreeToolbar } from './TreeToolbar';
import { useAnnotate } from './useAnnotate';
import { useLabelingFlow } from './useLabelingFlow';
import { useSuggestions } from './useSuggestions';
import { useTreeNavigation } from './useTreeNavigation';
import { useTreeVersions } from './useTreeVersions';
import { useWorkbenchKeys } from './useWorkbenchKeys';

export function Workbench({ model, annotator }: { model: RunModel; annotator: string }) {
  const client = useClient();
  const toast = useToaster();
  const [prefs, setPrefs] = usePrefs();
  const keyTitle = useKeyTitle();
  const treeRef = useRef<TreePaneHandle>(null);
  const inspectorRef = useRef<InspectorHandle>(null);
  const searchRef = useRef<HTMLInputElement>(null);
  const annotate = useAnnotate(client, model, annotator, toast);

  const [project] = useProjectSettings();
  const viewOptions = { annotator, colourMode: prefs.colourMode, firstErrorMode: prefs.firstErrorMode, blind: project.blindLabeling };
  // Options are pushed below; a new store only for a new model.
  const store = useMemo(() => new ViewStore(model, viewOptions), [model]);
  useEffect(() => () => store.dispose(), [store]);
  useEffect(() => store.setOptions(viewOptions), [store, ...Object.values(viewOptions)]);

  const { version, structureVersion, pruneVersion } = useTreeVersions(model);
  const selected = useSyncExternalStore(store.subscribe, () => store.selected);
  const [replay, setReplay] = useState<number | null>(null);
  const [layoutInfo, setLayoutInfo] = useState<{ visible: number; ms: number; inWorker: boolean } | null>(null);
  const [autolabelOpen, setAutolabelOpen] = useState(false);
  const [transcriptOpen, setTranscriptOpen] = useState(true);

  const nav = useTreeNavigation({ model, store, annotator, treeRef, toast });
  const flow = useLabelingFlow({ client, model, store, annotator, annotate, prefs, select: nav.select, toast, version });
  const suggestions = useSuggestions(client, model, annotator, toast);
  useWorkbenchKeys({
    model, store, annotate, nav, flow, suggestions, prefs, setPrefs, toast, treeRef, inspectorRef, searchRef, setReplay,
    openAutolabel: () => setAutolabelOpen(true),
  });

  const autolabelJob = useAutolabelJob(model.run.id);
  const autolabelSeconds = useElapsed(autolabelJob?.startedAt ?? null);
  const review = useReviewLabels(model.run.id, toast);
  const onPath = suggestions.onPath(selected);
  const markdown = prefs.textMode === 'auto' ? TASK_SPECS[model.problem.task].stepText === 'markdown' : prefs.textMode === 'markdown';
  const exactSteps = useMemo(() => model.dfsOrder().filter((id) => model.node(id)?.exactLabel != null).length, [model, structureVersion]);

  // Long-CoT runs: the transcript as written, beside the tree (a self-contained panel).
  const hasTranscript = isTranscriptRun(model);
  const showTranscript = hasTranscript && transcriptOpen;
  const columns = `${showTranscript ? 'minmax(300px, 0.9fr) ' : ''}minmax(360px, 1fr) ${prefs.inspectorWidth}px`;

  const centre = () => {
    // A run waiting for a search worker, or just started, has no nodes yet: say so, not a blank pane.
    if (model.size === 0) {
      return (
        <div className="empty-state tree-waiting" role="status" data-testid="tree-waiting">
          <span className="spinner" aria-hidden />{' '}
          {model.run.status === 'queued' ? 'Queued: the search starts when a worker is free…' : model.run.status === 'running' ? 'Starting the search…' : 'This run has no nodes.'}
        </div>
      );
    }
    switch (prefs.treeView) {
      case 'outline':
        return <OutlineView model={model} store={store} version={version} onSelect={(id) => nav.select(id, 'none')} toggleCollapse={nav.toggleCollapse} />;
      case 'path':
        return (
          <PathReader
            model={model}
            store={store}
            annotator={annotator}
            markdown={markdown}
            firstErrorMode={prefs.firstErrorMode}
            blind={project.blindLabeling}
            version={version}
            onSelect={(id) => nav.select(id, 'none')}
            onRate={(id, rating) => {
              nav.select(id, 'none');
              flow.rate(rating);
            }}
          />
        );
      default:
        return (
          <TreePane
            ref={treeRef}
            model={model}
            store={store}
            structureVersion={structureVersion}
            pruneVersion={pruneVersion}
            replay={replay}
            onSelect={(id) => nav.select(id, 'none')}
            toggleCollapse={nav.toggleCollapse}
            openGroup={nav.openGroup}
            layoutKind={prefs.layoutKind}
            fold={prefs.foldSiblings}
            onLayout={setLayoutInfo}
            overlay={<Legend mode={prefs.colourMode} model={model} />}
            live={model.run.status === 'running' || model.run.status === 'queued'}
          />
        );
    }
  };

  return (
    <div className="workbench" style={{ gridTemplateColumns: columns }}>
      {showTranscript && <TranscriptPanel model={model} selected={selected} onSelect={(id) => nav.select(id, 'reveal')} annotator={annotator} />}
      <div className="tree-column">
        <TreeToolbar
          ref={searchRef}
          model={model}
          store={store}
          prefs={prefs}
          setPrefs={setPrefs}
          onGo={(id) => nav.select(id, 'centre')}
          expandAll={() => model.rootId !== null && nav.expandAll(model.rootId)}
          collapse={nav.collapseToDefault}
        >
          {hasTranscript && (
            <button
              className={`button small${transcriptOpen ? ' is-active' : ''}`}
              aria-pressed={transcriptOpen}
              onClick={() => setTranscriptOpen((open) => !open)}
              title="Show the transcript as the model wrote it, beside the tree"
              data-testid="transcript-toggle"
            >
              Transcript
            </button>
          )}
        </TreeToolbar>
        {centre()}
        <div className="tree-footer">
          <ReplayBar model={model} structureVersion={structureVersion} replay={replay} setReplay={setReplay} />
          <span className="status-text" data-testid="tree-status">
            {prefs.treeView === 'tree' && (
              <>
                {layoutInfo?.visible.toLocaleString() ?? '…'} of {model.size.toLocaleString()} shown
                {layoutInfo && ` · layout ${layoutInfo.ms} ms${layoutInfo.inWorker ? ' in worker' : ''}`} ·{' '}
              </>
            )}
            labeled{' '}
            <strong>
              {flow.progress.done.toLocaleString()}/{flow.progress.total.toLocaleString()}
            </strong>
            {prefs.firstErrorMode && <span className="muted"> (to the first error)</span>}
          </span>
        </div>
      </div>
      <Inspector
        ref={inspectorRef}
        model={model}
        version={version}
        selected={selected}
        annotator={annotator}
        markdown={markdown}
        setMarkdown={(v) => setPrefs({ textMode: v ? 'markdown' : 'plain' })}
        firstErrorMode={prefs.firstErrorMode}
        blind={project.blindLabeling}
        annotate={annotate}
        onSelect={(id) => nav.select(id, 'reveal')}
        onRate={flow.rate}
        autoLabels={(selected !== null && suggestions.byNode.get(selected)) || []}
        onAccept={(source) => selected !== null && suggestions.accept(selected, source)}
        notice={flow.treeDone && <TreeDone reason={model.finishReasonOf(annotator)} onFinish={(r) => void annotate.setFinishReason(r)} />}
        titleTools={
          <label className="queue-select" title={keyTitle(`What the next-step key follows: ${RULE_HELP[prefs.queueRule].toLowerCase()}`, 'queueRule')}>
            <Kbd action="nextUnlabeled" /> next by
            <select
              aria-label="Next step by"
              value={prefs.queueRule}
              onChange={(e) => {
                setPrefs({ queueRule: e.target.value as typeof prefs.queueRule });
                // Give the keys back: 1/2/3 rate again at once.
                e.currentTarget.blur();
              }}
            >
              {QUEUE_RULES.map((r) => (
                <option key={r} value={r}>
                  {RULE_LABELS[r]}
                </option>
              ))}
            </select>
          </label>
        }
        suggestionsHead={
          autolabelJob ? (
            <button className="autolabel-chip" onClick={() => setAutolabelOpen(true)} data-testid="autolabel-chip" title="Auto-labeling this run: open for details">
              <span className="spinner" aria-hidden /> {METHOD_LABELS[autolabelJob.method]} {autolabelSeconds}s
            </button>
          ) : (
            <button className="button small" onClick={() => setAutolabelOpen(true)} title={keyTitle('Compute automatic labels (suggestions) for this run', 'autolabel')}>
              Auto-label run… <Kbd action="autolabel" />
            </button>
          )
        }
        suggestionTools={
          <AcceptPathBar
            sources={onPath.sources}
            source={onPath.source}
            pending={onPath.pending.length}
            onSource={(s) => setPrefs({ acceptSource: s })}
            onAccept={() => selected !== null && void suggestions.acceptPath(selected)}
          />
        }
        review={
          selected !== null && (
            <QualityPanel
              runId={model.run.id}
              nodeId={selected}
              isRoot={selected === model.rootId}
              annotator={annotator}
              exactSteps={exactSteps}
              review={review}
            />
          )
        }
      />
      {autolabelOpen && (
        <AutolabelDialog
          model={model}
          selected={selected}
          onClose={() => setAutolabelOpen(false)}
          onDone={(method) => setPrefs({ acceptSource: method })}
        />
      )}
    </div>
  );
}
