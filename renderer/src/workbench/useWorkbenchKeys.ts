/**
 * The open run's keyboard actions (rate, move, prune, flag, note, branch ratings, finish reason,
 * undo/redo, collapse and fold, views, search, replay, suggestions), each a thin call into the
 * hook or component that owns the behaviour.
 */
import type { Dispatch, RefObject, SetStateAction } from 'react';
import type { FinishReason } from '../../../common/domain';
import { FINISH_LABELS } from '../lib/format';
import { TREE_VIEWS, type Prefs, type setPrefs as SetPrefs } from '../lib/prefs';
import { COLOUR_MODES } from '../model/colour';
import type { RunModel } from '../model/run-model';
import type { ViewStore } from '../model/view-store';
import { nextRule, RULE_HELP, RULE_LABELS } from '../review/queue';
import type { TreePaneHandle } from '../tree/TreePane';
import { useActionHandlers } from '../ui/hotkeys';
import type { Toaster } from '../ui/toasts';
import type { InspectorHandle } from './Inspector';
import type { Annotate } from './useAnnotate';
import type { LabelingFlow } from './useLabelingFlow';
import type { Suggestions } from './useSuggestions';
import type { TreeNavigation } from './useTreeNavigation';

export function useWorkbenchKeys(o: {
  model: RunModel;
  store: ViewStore;
  annotate: Annotate;
  nav: TreeNavigation;
  flow: LabelingFlow;
  suggestions: Suggestions;
  prefs: Prefs;
  setPrefs: typeof SetPrefs;
  toast: Toaster;
  treeRef: RefObject<TreePaneHandle | null>;
  inspectorRef: RefObject<InspectorHandle | null>;
  searchRef: RefObject<HTMLInputElement | null>;
  setReplay: Dispatch<SetStateAction<number | null>>;
  openAutolabel(): void;
}): void {
  const { model, store, annotate, nav, flow, prefs, setPrefs, toast, treeRef } = o;
  const withSelected = (fn: (id: number) => void) => () => {
    const id = store.selected;
    if (id !== null) fn(id);
  };
  const isLeaf = (id: number) => model.childrenOf(id).length === 0 && id !== model.rootId;
  const branch = (score: number) =>
    withSelected((id) => {
      if (!isLeaf(id)) toast.info('Branch ratings go on leaves: select the last step of a branch');
      else void annotate.rateBranch(id, model.branchOf(id, store.annotator)?.score === score ? null : score);
    });
  const finish = (reason: FinishReason) => () => {
    const mine = model.finishReasonOf(store.annotator);
    void annotate.setFinishReason(mine === reason ? null : reason).then(
      (ok) => ok && toast.info(mine === reason ? 'Finish reason cleared' : `Tree finished: ${FINISH_LABELS[reason]}`),
    );
  };
  const history = (kind: 'undo' | 'redo') => () =>
    void annotate[kind]().then((entry) => {
      if (entry?.nodeId && entry.runId === model.run.id && model.node(entry.nodeId)) nav.select(entry.nodeId);
    });

  useActionHandlers({
    rateMinus: () => flow.rate(-1),
    rateZero: () => flow.rate(0),
    ratePlus: () => flow.rate(1),
    clearRating: () => flow.rate(null),
    flag: withSelected((id) => id !== model.rootId && void annotate.toggleFlag(id)),
    note: () => store.selected !== null && store.selected !== model.rootId && o.inspectorRef.current?.focusNote(),
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
      if (!isLeaf(id)) toast.info('Mark a leaf (the end of a branch) as preferred');
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
    parent: withSelected((id) => nav.select(model.parentOf(id))),
    child: withSelected((id) => {
      const kids = model.childrenOf(id);
      if (kids.length) nav.select(kids[0]!);
    }),
    prevSibling: withSelected((id) => nav.select(model.sibling(id, -1))),
    nextSibling: withSelected((id) => nav.select(model.sibling(id, 1))),
    nextUnlabeled: flow.next,
    prevUnlabeled: flow.previous,
    toggleCollapse: withSelected(nav.toggleCollapse),
    openGroup: withSelected((id) => {
      const parent = model.parentOf(id);
      // The selected step's own folded children first, else the group it belongs to.
      if (model.childrenOf(id).length && !store.openGroups.has(id)) nav.openGroup(id);
      else if (parent !== null) nav.openGroup(parent);
    }),
    treeView: () => setPrefs((p) => ({ treeView: TREE_VIEWS[(TREE_VIEWS.indexOf(p.treeView) + 1) % TREE_VIEWS.length]! })),
    expandAll: withSelected(nav.expandAll),
    centre: withSelected((id) => treeRef.current?.centre(id)),
    fit: () => treeRef.current?.fit(),
    colourMode: () =>
      setPrefs((p) => ({ colourMode: COLOUR_MODES[(COLOUR_MODES.indexOf(p.colourMode) + 1) % COLOUR_MODES.length]! })),
    search: () => o.searchRef.current?.focus(),
    replayBack: () => o.setReplay((r) => Math.max(0, (r ?? model.maxExpansion()) - 1)),
    replayForward: () => o.setReplay((r) => (r === null || r + 1 >= model.maxExpansion() ? null : r + 1)),
    undo: history('undo'),
    redo: history('redo'),
    acceptPath: withSelected((id) => void o.suggestions.acceptPath(id)),
    autolabel: o.openAutolabel,
    queueRule: () => {
      const rule = nextRule(prefs.queueRule);
      setPrefs({ queueRule: rule });
      toast.info(`Next step by ${RULE_LABELS[rule]}: ${RULE_HELP[rule].toLowerCase()}`);
    },
  });
}
