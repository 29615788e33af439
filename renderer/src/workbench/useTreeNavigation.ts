/**
 * Where the annotator is in the tree: the fresh tree's first view (deep parts collapsed, wide
 * groups folded, the first unlabeled step selected), selecting a step (its collapsed ancestors
 * opened, its folded group pinned so it shows), collapsing and expanding, opening folded groups,
 * and steps asked for by the review screen or the labeling queue.
 */
import { useCallback, useEffect, useRef, type RefObject } from 'react';
import { getPrefs } from '../lib/prefs';
import type { RunModel } from '../model/run-model';
import type { ViewStore } from '../model/view-store';
import { defaultCollapsed, expandedSubtree, foldOptions, openedSubtree, pinnedTo, revealed } from '../model/visibility';
import { takeStepFor, useStepRequests } from '../shell/navigation';
import type { TreePaneHandle } from '../tree/TreePane';
import type { Toaster } from '../ui/toasts';

export type SelectHow = 'reveal' | 'centre' | 'none';

export interface TreeNavigation {
  select(id: number | null, how?: SelectHow): void;
  toggleCollapse(id: number): void;
  openGroup(parentId: number): void;
  /** Everything under `id` expanded and unfolded. */
  expandAll(id: number): void;
  /** Back to the opening view's collapsed and folded parts, keeping the selection shown. */
  collapseToDefault(): void;
}

export function useTreeNavigation(opts: {
  model: RunModel;
  store: ViewStore;
  annotator: string;
  treeRef: RefObject<TreePaneHandle | null>;
  toast: Toaster;
}): TreeNavigation {
  const { model, store, annotator, treeRef, toast } = opts;
  /** Folding as the tree shows it now (null when folding is off). */
  const fold = useCallback(
    () => (getPrefs().foldSiblings ? foldOptions(model, store.openGroups, store.pinned) : null),
    [model, store],
  );
  const show = useCallback(
    (id: number) => {
      if (model.pathTo(id).some((n) => n.id !== id && store.collapsed.has(n.id))) {
        store.setCollapsed(revealed(model, store.collapsed, id));
      }
      const folding = fold();
      if (folding) store.setFolding(store.openGroups, pinnedTo(model, folding, store.pinned, id));
    },
    [model, store, fold],
  );

  const select = useCallback(
    (id: number | null, how: SelectHow = 'reveal') => {
      if (id === null || !model.node(id)) return;
      show(id);
      store.setSelected(id);
      if (how === 'reveal') treeRef.current?.reveal(id);
      else if (how === 'centre') treeRef.current?.centre(id);
    },
    [model, store, show, treeRef],
  );

  // Fresh tree: deep parts collapsed, golden path open, first unlabeled step selected; opened to
  // go to a step (review, the labeling queue), that step instead.
  const firstView = useCallback(() => {
    const best = [...model.bestPath()];
    const first =
      model.nextUnlabeled(null, annotator, { skipAfterError: getPrefs().firstErrorMode }) ?? model.rootId;
    const keep = [...(best.length ? [best[best.length - 1]!] : []), ...(first !== null ? [first] : [])];
    store.setCollapsed(defaultCollapsed(model, undefined, keep, fold()));
    const wanted = takeStepFor(model.run.id);
    const target = wanted !== null && model.node(wanted) ? wanted : first;
    if (target !== null) show(target);
    store.setSelected(target, true);
  }, [model, store, annotator, fold, show]);
  useEffect(() => {
    firstView();
    // Only when the run changes.
  }, [store]);

  // A run opened before its first nodes arrived: select where labeling starts once they do.
  const firstViewRef = useRef(firstView);
  firstViewRef.current = firstView;
  useEffect(
    () =>
      model.subscribe((c) => {
        if (c.structure && store.selected === null) firstViewRef.current();
      }),
    [model, store],
  );

  // A step asked for while this run is open (review screen, queue): go there.
  useStepRequests((t) => {
    if (t.runId !== model.run.id) return;
    const id = takeStepFor(t.runId);
    if (id !== null && model.node(id)) select(id, 'centre');
    else if (id !== null) toast.info(`That step is not in run #${model.run.id} (any more)`);
  });

  const toggleCollapse = useCallback(
    (id: number) => {
      const next = new Set(store.collapsed);
      if (next.has(id)) next.delete(id);
      else if (model.childrenOf(id).length) next.add(id);
      treeRef.current?.revealAfterLayout(id);
      store.setCollapsed(next);
    },
    [model, store, treeRef],
  );

  const openGroup = useCallback(
    (parentId: number) => {
      if (store.openGroups.has(parentId)) return;
      treeRef.current?.revealAfterLayout(store.selected ?? parentId);
      store.setFolding(new Set([...store.openGroups, parentId]));
    },
    [store, treeRef],
  );

  const expandAll = useCallback(
    (id: number) => {
      treeRef.current?.revealAfterLayout(store.selected ?? id);
      store.setFolding(openedSubtree(model, store.openGroups, id));
      store.setCollapsed(expandedSubtree(model, store.collapsed, id));
    },
    [model, store, treeRef],
  );

  const collapseToDefault = useCallback(() => {
    const selected = store.selected;
    if (selected !== null) treeRef.current?.revealAfterLayout(selected);
    store.setFolding(new Set(), new Set());
    store.setCollapsed(defaultCollapsed(model, undefined, selected !== null ? [selected] : [], fold()));
    if (selected !== null) show(selected);
  }, [model, store, treeRef, fold, show]);

  return { select, toggleCollapse, openGroup, expandAll, collapseToDefault };
}
