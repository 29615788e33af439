/**
 * An open run: toolbar, tree, replay and inspector, and the keyboard actions that drive them
 * (rate, move, prune, flag, note, branch ratings, finish reason, undo/redo, collapse, search).
 */
import { forwardRef, useCallback, useEffect, useMemo, useRef, useState, useSyncExternalStore } from 'react';
import type { AutoLabel } from '../../../common/contract/suggest';
import type { FinishReason, Rating } from '../../../common/domain';
import { FINISH_LABELS } from '../lib/format';
import { COLOUR_MODES, type ColourMode } from '../model/colour';
import { getPrefs, TREE_VIEWS, usePrefs } from '../lib/prefs';
import type { RunModel } from '../model/run-model';
import { ViewStore } from '../model/view-store';
import { defaultCollapsed, expandedSubtree, foldOptions, openedSubtree, pinnedTo, revealed } from '../model/visibility';
import { useClient } from '../shell/events';
import { Legend } from '../tree/Legend';
import { ReplayBar } from '../tree/ReplayBar';
import { TreePane, type TreePaneHandle } from '../tree/TreePane';
import { useActionHandlers } from '../ui/hotkeys';
import { Kbd, useKeyTitle } from '../ui/Kbd';
import { useToaster } from '../ui/toasts';
import { AcceptPathBar } from '../review/AcceptPathBar';
import { acceptableOnPath, sourcesOnPath } from '../review/accept-path';
import { AutolabelDialog, useElapsed } from '../review/AutolabelDialog';
import { METHOD_LABELS, useAutolabelJob, useAutolabelVersion } from '../review/autolabel-jobs';
import { QualityPanel } from '../review/QualityPanel';
import { nextRule, QUEUE_RULES, RULE_HELP, RULE_LABELS } from '../review/queue';
import { useQueueNext } from '../review/useQueueNext';
import { useReviewLabels } from '../review/useReviewLabels';
import { takeStepFor, useStepRequests } from '../shell/navigation';
import { TranscriptPanel } from '../transcript/TranscriptPanel';
import { isTranscriptRun } from '../transcript/useTranscript';
import { Inspector, type InspectorHandle } from './Inspector';
import { useAnnotate } from './useAnnotate';

const COLOUR_LABELS: Record<ColourMode, string> = { label: 'Label', exact: 'Exact', score: 'Score', value: 'Value' };

export function Workbench({ model, annotator }: { model: RunModel; annotator: string }) {
  const client = useClient();
  const toast = useToaster();
  const [prefs, setPrefs] = usePrefs();
  const keyTitle = useKeyTitle();
  const treeRef = useRef<TreePaneHandle>(null);
  const inspectorRef = useRef<InspectorHandle>(null);
  const searchRef = useRef<HTMLInputElement>(null);
  const annotate = useAnnotate(client, model, annotator, toast);

  const store = useMemo(
    () => new ViewStore(model, { annotator, colourMode: prefs.colourMode, firstErrorMode: prefs.firstErrorMode }),
    // Options are pushed below; a new store only for a new model.
    [model],
  );
  useEffect(() => () => store.dispose(), [store]);
  useEffect(() => {
    store.setOptions({ annotator, colourMode: prefs.colourMode, firstErrorMode: prefs.firstErrorMode });
  }, [store, annotator, prefs.colourMode, prefs.firstErrorMode]);

  // Versions that tell React what changed inside the mutable model.
  const version = useSyncExternalStore(model.subscribe, () => model.version);
  const [structureVersion, setStructureVersion] = useState(0);
  const [pruneVersion, setPruneVersion] = useState(0);
  const [transcriptOpen, setTranscriptOpen] = useState(true);
  useEffect(() => {
    // A live search adds nodes every ~100 ms: lay out at most every 300 ms (first change at once).
    let timer: ReturnType<typeof setTimeout> | null = null;
    let pending = false;
    let last = 0;
    const bump = () => {
      last = performance.now();
      pending = false;
      setStructureVersion((v) => v + 1);
      setPruneVersion((v) => v + 1);
    };
    const unsubscribe = model.subscribe((c) => {
      // A run opened before its first nodes arrived: select where labeling starts once they do.
      if (c.structure && store.selected === null) {
        selectRef.current(model.nextUnlabeled(null, store.annotator) ?? model.rootId);
      }
      if (c.structure) {
        if (performance.now() - last > 300 && !timer) bump();
        else if (!timer) {
          pending = true;
          timer = setTimeout(() => {
            timer = null;
            if (pending) bump();
          }, 300);
        } else pending = true;
      } else if (c.prune) setPruneVersion((v) => v + 1);
    });
    return () => {
      unsubscribe();
      if (timer) clearTimeout(timer);
    };
  }, [model, store]);

  const selected = useSyncExternalStore(store.subscribe, () => store.selected);
  const [replay, setReplay] = useState<number | null>(null);
  const [layoutInfo, setLayoutInfo] = useState<{ visible: number; ms: number; inWorker: boolean } | null>(null);

  // Fresh tree: deep parts collapsed, golden path open, first unlabeled step selected.
  useEffect(() => {
    const best = [...model.bestPath()];
    const first = model.nextUnlabeled(null, annotator, { skipAfterError: prefs.firstErrorMode }) ?? model.rootId;
    const keep = [...(best.length ? [best[best.length - 1]!] : []), ...(first !== null ? [first] : [])];
    store.setCollapsed(defaultCollapsed(model, undefined, keep, fold()));
    if (first !== null) store.setFolding(store.openGroups, pinnedTo(model, foldOptions(model, store.openGroups, store.pinned), store.pinned, first));
    store.setSelected(first);
    // Opened to go to a step (review, the labeling queue): select it instead.
    const wanted = takeStepFor(model.run.id);
    if (wanted !== null && model.node(wanted)) {
      store.setCollapsed(revealed(model, store.collapsed, wanted));
      store.setFolding(store.openGroups, pinnedTo(model, foldOptions(model, store.openGroups, store.pinned), store.pinned, wanted));
      store.setSelected(wanted);
    }
    // Only when the run changes.
  }, [store]);

  const select = useCallback(
    (id: number | null, how: 'reveal' | 'centre' | 'none' = 'reveal') => {
      if (id === null || !model.node(id)) return;
      if (model.pathTo(id).some((n) => n.id !== id && store.collapsed.has(n.id))) {
        store.setCollapsed(revealed(model, store.collapsed, id));
      }
      store.setFolding(store.openGroups, pinnedTo(model, foldOptions(model, store.openGroups, store.pinned), store.pinned, id));
      store.setSelected(id);
      if (how === 'reveal') treeRef.current?.reveal(id);
      else if (how === 'centre') treeRef.current?.centre(id);
    },
    [model, store],
  );

  /** Folding as the tree shows it now (null when folding is off). */
  const fold = () => (getPrefs().foldSiblings ? foldOptions(model, store.openGroups, store.pinned) : null);

  const selectRef = useRef(select);
  selectRef.current = select;

  // A step asked for while this run is open (review screen, queue): go there.
  useStepRequests((t) => {
    if (t.runId !== model.run.id) return;
    const id = takeStepFor(t.runId);
    if (id !== null && model.node(id)) select(id, 'centre');
    else if (id !== null) toast.info(`Node ${id} is not in run #${model.run.id}`);
  });

  const toggleCollapse = useCallback(
    (id: number) => {
      const next = new Set(store.collapsed);
      if (next.has(id)) next.delete(id);
      else if (model.childrenOf(id).length) next.add(id);
      treeRef.current?.revealAfterLayout(id);
      store.setCollapsed(next);
    },
    [model, store],
  );

  const openGroup = useCallback(
    (parentId: number) => {
      if (store.openGroups.has(parentId)) return;
      treeRef.current?.revealAfterLayout(store.selected ?? parentId);
      store.setFolding(new Set([...store.openGroups, parentId]));
    },
    [store],
  );

  const nextUnlabeled = useCallback(
    (from: number | null, direction: 1 | -1 = 1) => {
      const next = model.nextUnlabeled(from, annotator, { skipAfterError: prefs.firstErrorMode, direction });
      if (next === null) toast.info('Every step of this tree has your label');
      else select(next);
    },
    [model, annotator, prefs.firstErrorMode, select, toast],
  );
  const queueNext = useQueueNext({
    client,
    model,
    annotator,
    rule: prefs.queueRule,
    firstErrorMode: prefs.firstErrorMode,
    select,
    toast,
  });

  const rate = useCallback(
    (rating: Rating | null) => {
      const id = store.selected;
      if (id === null || id === model.rootId) return;
      void annotate.rate(id, rating);
      if (rating !== null && prefs.advanceAfterRating) {
        // With a queue rule other than plain order, labeling follows the queue (across runs).
        if (prefs.queueRule !== 'order') void queueNext(id);
        else {
          const next = model.nextUnlabeled(id, annotator, { skipAfterError: prefs.firstErrorMode });
          if (next !== null) select(next);
        }
      }
    },
    [store, model, annotate, prefs.advanceAfterRating, prefs.firstErrorMode, prefs.queueRule, queueNext, annotator, select],
  );

  const withSelected = (fn: (id: number) => void) => () => {
    const id = store.selected;
    if (id !== null) fn(id);
  };
  const branch = (score: number) =>
    withSelected((id) => {
      if (model.childrenOf(id).length || id === model.rootId) toast.info('Branch ratings go on leaves: select the last step of a branch');
      else void annotate.rateBranch(id, model.branchOf(id, annotator)?.score === score ? null : score);
    });
  const finish = (reason: FinishReason) => () =>
    void annotate.setFinishReason(model.run.finishReason === reason ? null : reason).then(
      (ok) => ok && toast.info(`Tree finished: ${model.run.finishReason ? FINISH_LABELS[model.run.finishReason] : 'cleared'}`),
    );
  // An accepted batch of suggestions is one action in the history: one undo takes it back.
  const history = (kind: 'undo' | 'redo') => () =>
    void (async () => {
      const entry = await annotate[kind]();
      if (entry?.nodeId && entry.runId === model.run.id && model.node(entry.nodeId)) select(entry.nodeId);
    })();

  useActionHandlers({
    rateMinus: () => rate(-1),
    rateZero: () => rate(0),
    ratePlus: () => rate(1),
    clearRating: () => rate(null),
    flag: withSelected((id) => id !== model.rootId && void annotate.toggleFlag(id)),
    note: () => store.selected !== null && store.selected !== model.rootId && inspectorRef.current?.focusNote(),
    prune: withSelected((id) => {
      if (id === model.rootId) toast.info('The root cannot be pruned');
      else void annotate.togglePrune(id);
    }),
    branch1: branch(1),
    branch2: branch(2),
    branch3: branch(3),
    branch4: branch(4),
    branch5: branch(5),
    preferred: withSelected((id) => {
      if (model.childrenOf(id).length || id === model.rootId) toast.info('Mark a leaf (the end of a branch) as preferred');
      else void annotate.togglePreferred(id);
    }),
    finishSolution: finish('solution'),
    finishFoundError: finish('found_error'),
    finishBadProblem: finish('bad_problem'),
    finishGiveUp: finish('give_up'),
    firstErrorMode: () => {
      setPrefs((p) => ({ firstErrorMode: !p.firstErrorMode }));
      toast.info(`First-error mode ${prefs.firstErrorMode ? 'off' : 'on'}`);
    },
    parent: withSelected((id) => select(model.parentOf(id))),
    child: withSelected((id) => {
      const kids = model.childrenOf(id);
      if (kids.length) select(kids[0]!);
    }),
    prevSibling: withSelected((id) => select(model.sibling(id, -1))),
    nextSibling: withSelected((id) => select(model.sibling(id, 1))),
    nextUnlabeled: () => void queueNext(store.selected),
    prevUnlabeled: () => nextUnlabeled(store.selected, -1),
    toggleCollapse: withSelected(toggleCollapse),
    openGroup: withSelected((id) => {
      const parent = model.parentOf(id);
      const kids = model.childrenOf(id);
      // The selected step's own folded children first, else the group it belongs to.
      if (kids.length && !store.openGroups.has(id)) openGroup(id);
      else if (parent !== null) openGroup(parent);
    }),
    treeView: () => setPrefs((p) => ({ treeView: TREE_VIEWS[(TREE_VIEWS.indexOf(p.treeView) + 1) % TREE_VIEWS.length]! })),
    expandAll: withSelected((id) => {
      treeRef.current?.revealAfterLayout(id);
      store.setFolding(openedSubtree(model, store.openGroups, id));
      store.setCollapsed(expandedSubtree(model, store.collapsed, id));
    }),
    centre: withSelected((id) => treeRef.current?.centre(id)),
    fit: () => treeRef.current?.fit(),
    colourMode: () =>
      setPrefs((p) => ({ colourMode: COLOUR_MODES[(COLOUR_MODES.indexOf(p.colourMode) + 1) % COLOUR_MODES.length]! })),
    search: () => searchRef.current?.focus(),
    replayBack: () => setReplay((r) => Math.max(0, (r ?? model.maxExpansion()) - 1)),
    replayForward: () =>
      setReplay((r) => {
        if (r === null) return null;
        return r + 1 >= model.maxExpansion() ? null : r + 1;
      }),
    undo: history('undo'),
    redo: history('redo'),
    acceptPath: () => void acceptPath(),
    autolabel: () => setAutolabelOpen(true),
    queueRule: () => {
      const rule = nextRule(prefs.queueRule);
      setPrefs({ queueRule: rule });
      toast.info(`Next step by ${RULE_LABELS[rule]}: ${RULE_HELP[rule].toLowerCase()}`);
    },
  });

  // Automatic labels (Monte-Carlo, first-error, exact, scorer) shown as suggestions.
  const [autoLabels, setAutoLabels] = useState<Map<number, AutoLabel[]>>(new Map());
  const autoVersion = useAutolabelVersion(model.run.id);
  const autolabelJob = useAutolabelJob(model.run.id);
  const autolabelSeconds = useElapsed(autolabelJob?.startedAt ?? null);
  const [autolabelOpen, setAutolabelOpen] = useState(false);
  const review = useReviewLabels(model.run.id, toast);
  const [autoKey, setAutoKey] = useState(0);
  useEffect(() => {
    let cancelled = false;
    client.api.listAutoLabels({ runId: model.run.id }).then(
      (r) => {
        if (cancelled) return;
        const byNode = new Map<number, AutoLabel[]>();
        for (const l of r.labels) byNode.set(l.nodeId, [...(byNode.get(l.nodeId) ?? []), l]);
        setAutoLabels(byNode);
      },
      (e: unknown) => toast.error(e, 'Could not load suggestions'),
    );
    return () => {
      cancelled = true;
    };
  }, [client, model, toast, autoKey, autoVersion]);
  // Labelers run outside the window (CLI, other clients): look again when the run changes.
  useEffect(() => model.subscribe((c) => c.run && setAutoKey((k) => k + 1)), [model]);
  const accept = (source: AutoLabel['source']) => {
    const id = store.selected;
    if (id === null) return;
    client.api.acceptSuggestions({ annotator, source, nodeIds: [id] }).then(
      (r) => toast.info(r.accepted ? `Accepted the ${source} label` : 'Already rated: nothing accepted'),
      (e: unknown) => toast.error(e, 'Could not accept the suggestion'),
    );
  };

  // Accept all suggestions on the path to the selected step, from the chosen source (or the
  // only one the path has).
  const pathIds = selected === null ? [] : model.pathTo(selected).slice(1).map((n) => n.id);
  const pathSources = sourcesOnPath(pathIds, autoLabels);
  const pathSource = pathSources.includes(prefs.acceptSource) ? prefs.acceptSource : (pathSources[0] ?? prefs.acceptSource);
  const isRatedByMe = (id: number) => model.ratingOf(id, annotator) !== null;
  const pathPending = acceptableOnPath(pathIds, autoLabels, pathSource, isRatedByMe);
  const acceptPath = async () => {
    const id = store.selected;
    if (id === null) return;
    const ids = model.pathTo(id).slice(1).map((n) => n.id);
    const sources = sourcesOnPath(ids, autoLabels);
    if (!sources.length) {
      toast.info('No suggestions on this path: auto-label the run first');
      return;
    }
    const source = sources.includes(prefs.acceptSource) ? prefs.acceptSource : sources[0]!;
    const nodeIds = acceptableOnPath(ids, autoLabels, source, isRatedByMe);
    if (!nodeIds.length) {
      toast.info(`Every ${source} suggestion on this path is already rated by you`);
      return;
    }
    try {
      const r = await client.api.acceptSuggestions({ annotator, source, nodeIds });
      const other = source !== prefs.acceptSource ? ` (no ${prefs.acceptSource} ones here)` : '';
      toast.info(`Accepted ${r.accepted} ${source} suggestion${r.accepted === 1 ? '' : 's'} on this path${other}${r.skipped ? `, ${r.skipped} skipped` : ''}`);
    } catch (error) {
      toast.error(error, 'Could not accept the suggestions');
    }
  };

  const markdown = prefs.textMode === 'auto' ? model.problem.task === 'math' : prefs.textMode === 'markdown';
  const labelable = useMemo(() => model.labelableCount(), [model, version]);
  const mine = useMemo(() => model.labeledBy(annotator), [model, annotator, version]);
  const exactSteps = useMemo(() => model.dfsOrder().filter((id) => model.node(id)?.exactLabel != null).length, [model, structureVersion]);

  // Long-CoT runs: the transcript as written, beside the tree (a self-contained panel).
  const hasTranscript = isTranscriptRun(model);
  const showTranscript = hasTranscript && transcriptOpen;
  const columns = `${showTranscript ? 'minmax(300px, 0.9fr) ' : ''}minmax(360px, 1fr) ${prefs.inspectorWidth}px`;

  return (
    <div className="workbench" style={{ gridTemplateColumns: columns }}>
      {showTranscript && <TranscriptPanel model={model} selected={selected} onSelect={(id) => select(id, 'reveal')} annotator={annotator} />}
      <div className="tree-column">
        <div className="tree-toolbar">
          <TreeSearch
            ref={searchRef}
            model={model}
            onMatches={(ids) => store.setMatches(new Set(ids))}
            onGo={(id) => select(id, 'centre')}
            searchKey={keyTitle('Search step text', 'search')}
          />
          <div className="segmented" role="group" aria-label="Colour nodes by">
            {COLOUR_MODES.map((m) => (
              <button
                key={m}
                className={prefs.colourMode === m ? 'is-active' : ''}
                aria-pressed={prefs.colourMode === m}
                onClick={() => setPrefs({ colourMode: m })}
                title={keyTitle(`Colour by ${COLOUR_LABELS[m].toLowerCase()}`, 'colourMode')}
              >
                {COLOUR_LABELS[m]}
              </button>
            ))}
          </div>
          <span className="spacer" />
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
          <button
            className={`button small${prefs.firstErrorMode ? ' is-active' : ''}`}
            aria-pressed={prefs.firstErrorMode}
            onClick={() => setPrefs({ firstErrorMode: !prefs.firstErrorMode })}
            title={keyTitle('First-error mode: steps below one you rated −1 count as after the error and are skipped', 'firstErrorMode')}
          >
            First error <Kbd action="firstErrorMode" />
          </button>
          <button
            className="button small"
            onClick={() => {
              if (model.rootId === null) return;
              if (store.selected !== null) treeRef.current?.revealAfterLayout(store.selected);
              store.setFolding(openedSubtree(model, store.openGroups, model.rootId));
              store.setCollapsed(expandedSubtree(model, store.collapsed, model.rootId));
            }}
            title="Expand every subtree (large trees are laid out in a worker)"
          >
            Expand all
          </button>
          <button
            className="button small"
            onClick={() => {
              if (store.selected !== null) treeRef.current?.revealAfterLayout(store.selected);
              store.setFolding(new Set(), new Set());
              store.setCollapsed(defaultCollapsed(model, undefined, store.selected !== null ? [store.selected] : [], fold()));
            }}
            title="Collapse deep subtrees again"
          >
            Collapse
          </button>
        </div>
        <TreePane
          ref={treeRef}
          model={model}
          store={store}
          structureVersion={structureVersion}
          pruneVersion={pruneVersion}
          replay={replay}
          onSelect={(id) => select(id, 'none')}
          toggleCollapse={toggleCollapse}
          openGroup={openGroup}
          layoutKind={prefs.layoutKind}
          fold={prefs.foldSiblings}
          onLayout={setLayoutInfo}
          overlay={<Legend mode={prefs.colourMode} model={model} />}
          live={model.run.status === 'running' || model.run.status === 'queued'}
        />
        <div className="tree-footer">
          <ReplayBar model={model} structureVersion={structureVersion} replay={replay} setReplay={setReplay} />
          <span className="status-text" data-testid="tree-status">
            {layoutInfo?.visible.toLocaleString() ?? '…'} of {model.size.toLocaleString()} shown
            {layoutInfo && ` · layout ${layoutInfo.ms} ms${layoutInfo.inWorker ? ' in worker' : ''}`} · labeled{' '}
            <strong>
              {mine.toLocaleString()}/{labelable.toLocaleString()}
            </strong>
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
        annotate={annotate}
        onSelect={(id) => select(id, 'reveal')}
        onRate={rate}
        autoLabels={(selected !== null && autoLabels.get(selected)) || []}
        onAccept={accept}
        titleTools={
          <label className="queue-select" title={keyTitle(`What the next-step key follows: ${RULE_HELP[prefs.queueRule].toLowerCase()}`, 'queueRule')}>
            <Kbd action="nextUnlabeled" /> next by
            <select aria-label="Next step by" value={prefs.queueRule} onChange={(e) => setPrefs({ queueRule: e.target.value as typeof prefs.queueRule })}>
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
            sources={pathSources}
            source={pathSource}
            pending={pathPending.length}
            onSource={(s) => setPrefs({ acceptSource: s })}
            onAccept={() => void acceptPath()}
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


const TreeSearch = forwardRef<
  HTMLInputElement,
  { model: RunModel; onMatches(ids: number[]): void; onGo(id: number): void; searchKey: string }
>(function TreeSearch({ model, onMatches, onGo, searchKey }, ref) {
  const [query, setQuery] = useState('');
  const [matches, setMatches] = useState<number[]>([]);
  const [at, setAt] = useState(-1);
  useEffect(() => {
    const timer = setTimeout(() => {
      const found = model.search(query);
      setMatches(found);
      setAt(-1);
      onMatches(found);
    }, 150);
    return () => clearTimeout(timer);
    // onMatches is recreated each render; the query and model decide.
  }, [query, model]);
  const go = (dir: 1 | -1) => {
    if (!matches.length) return;
    const next = (at + dir + matches.length) % matches.length;
    setAt(next);
    onGo(matches[next]!);
  };
  return (
    <div className="tree-search">
      <input
        ref={ref}
        type="search"
        value={query}
        placeholder="Find step text…"
        aria-label="Find nodes by step text"
        title={searchKey}
        onChange={(e) => setQuery(e.target.value)}
        onKeyDown={(e) => {
          if (e.key === 'Enter') {
            e.preventDefault();
            go(e.shiftKey ? -1 : 1);
          } else if (e.key === 'Escape') {
            e.preventDefault();
            setQuery('');
            e.currentTarget.blur();
          }
        }}
      />
      {query.trim() && (
        <span className="search-count" data-testid="search-count">
          {matches.length ? `${at + 1 || '–'}/${matches.length}` : 'none'}
        </span>
      )}
    </div>
  );
});
