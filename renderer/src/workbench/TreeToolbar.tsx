/**
 * Above the tree: search, the view (tree, outline, path), colouring, layout and folding,
 * first-error mode, expand and collapse. Every control shows its key where it has one; selects
 * hand the keyboard back to the studio once a choice is made.
 */
import { forwardRef, type ReactNode } from 'react';
import { TREE_VIEWS, type Prefs, type setPrefs as SetPrefs, type TreeView } from '../lib/prefs';
import { COLOUR_MODES, type ColourMode } from '../model/colour';
import { LAYOUT_KINDS, type LayoutKind } from '../model/layout';
import type { RunModel } from '../model/run-model';
import type { ViewStore } from '../model/view-store';
import { Kbd, useKeyTitle } from '../ui/Kbd';
import { Segmented } from '../ui/Segmented';
import { TreeSearch } from './TreeSearch';

const COLOUR_LABELS: Record<ColourMode, string> = { label: 'Label', exact: 'Exact', score: 'Score', value: 'Value' };
const VIEW_LABELS: Record<TreeView, string> = { tree: 'Tree', outline: 'Outline', path: 'Path' };
const VIEW_HELP: Record<TreeView, string> = {
  tree: 'The search tree',
  outline: 'The tree as an indented list, walked with the arrow keys',
  path: 'The selected path, step by step, to read and label top to bottom',
};
const LAYOUT_LABELS: Record<LayoutKind, string> = { tidy: 'Tidy', compact: 'Compact' };

interface Props {
  model: RunModel;
  store: ViewStore;
  prefs: Prefs;
  setPrefs: typeof SetPrefs;
  onGo(id: number): void;
  expandAll(): void;
  collapse(): void;
  /** Extra buttons from other features (the transcript toggle). */
  children?: ReactNode;
}

export const TreeToolbar = forwardRef<HTMLInputElement, Props>(function TreeToolbar(props, searchRef) {
  const { model, store, prefs, setPrefs } = props;
  const keyTitle = useKeyTitle();
  const inTree = prefs.treeView === 'tree';
  return (
    <div className="tree-toolbar">
      <TreeSearch
        ref={searchRef}
        model={model}
        onMatches={(ids) => store.setMatches(new Set(ids))}
        onGo={props.onGo}
        searchKey={keyTitle('Search step text', 'search')}
      />
      <Segmented
        label="View"
        options={TREE_VIEWS}
        value={prefs.treeView}
        onChange={(treeView) => setPrefs({ treeView })}
        labelOf={(v) => VIEW_LABELS[v]}
        titleOf={(v) => keyTitle(VIEW_HELP[v], 'treeView')}
        testId={(v) => `view-${v}`}
      />
      {inTree && (
        <Segmented
          label="Colour nodes by"
          options={COLOUR_MODES}
          value={prefs.colourMode}
          onChange={(colourMode) => setPrefs({ colourMode })}
          labelOf={(m) => COLOUR_LABELS[m]}
          titleOf={(m) => keyTitle(`Colour by ${COLOUR_LABELS[m].toLowerCase()}`, 'colourMode')}
        />
      )}
      <span className="spacer" />
      {props.children}
      {inTree && (
        <>
          <select
            className="toolbar-select"
            aria-label="Tree layout"
            title="Tidy: siblings side by side. Compact: wide groups wrap into rows, so big trees keep the pane's shape"
            value={prefs.layoutKind}
            onChange={(e) => {
              setPrefs({ layoutKind: e.target.value as LayoutKind });
              e.currentTarget.blur();
            }}
          >
            {LAYOUT_KINDS.map((k) => (
              <option key={k} value={k}>
                {LAYOUT_LABELS[k]}
              </option>
            ))}
          </select>
          <button
            className={`button small${prefs.foldSiblings ? ' is-active' : ''}`}
            aria-pressed={prefs.foldSiblings}
            onClick={() => setPrefs({ foldSiblings: !prefs.foldSiblings })}
            title={keyTitle('Fold wide sibling groups to their best five by visits and score ("+N more" opens them)', 'openGroup')}
          >
            Fold
          </button>
        </>
      )}
      <button
        className={`button small${prefs.firstErrorMode ? ' is-active' : ''}`}
        aria-pressed={prefs.firstErrorMode}
        onClick={() => setPrefs({ firstErrorMode: !prefs.firstErrorMode })}
        title={keyTitle('First-error mode: steps below one you rated −1 count as after the error and are skipped', 'firstErrorMode')}
      >
        First error <Kbd action="firstErrorMode" />
      </button>
      <button className="button small" onClick={props.expandAll} title="Expand and unfold every subtree (large trees are laid out in a worker)">
        Expand all
      </button>
      <button className="button small" onClick={props.collapse} title="Collapse deep subtrees and fold wide groups again">
        Collapse
      </button>
    </div>
  );
});
