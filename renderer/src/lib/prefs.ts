/**
 * Per-browser preferences in localStorage (annotator identity, keymap, view options), with a hook
 * that re-renders on change, also when another tab of the same origin changes them.
 */
import { useCallback, useSyncExternalStore } from 'react';
import type { z } from 'zod';
import { AutoSource, QueueRule } from '../../../common/contract/suggest';
import { AnnotatorId } from '../../../common/domain';
import { COLOUR_MODES, type ColourMode } from '../model/colour';
import { LAYOUT_KINDS, type LayoutKind } from '../model/layout';
import { normaliseKeymap, type Keymap } from './keymap';

export interface Prefs {
  annotator: string | null;
  recentAnnotators: string[];
  keymap: Keymap;
  colourMode: ColourMode;
  /** Stop at the first −1 on a path, as the guidelines ask: on for new annotators. */
  firstErrorMode: boolean;
  /** After rating a step, move on to the next unlabeled one (as PRM800K's screen does). */
  advanceAfterRating: boolean;
  /** How step text is shown: Markdown + KaTeX, or plain monospace; 'auto' picks by task. */
  textMode: 'auto' | 'markdown' | 'plain';
  libraryWidth: number;
  inspectorWidth: number;
  /** What `n` follows: the active-learning queue rule (see nextToLabel). */
  queueRule: z.infer<typeof QueueRule>;
  /** Which automatic labels "accept all on this path" takes. */
  acceptSource: z.infer<typeof AutoSource>;
  /** How the centre pane shows the run: the tree, an indented outline, or the selected path. */
  treeView: TreeView;
  layoutKind: LayoutKind;
  /** Fold wide sibling groups to their best few ("+27 more"). */
  foldSiblings: boolean;
}

export const TREE_VIEWS = ['tree', 'outline', 'path'] as const;
export type TreeView = (typeof TREE_VIEWS)[number];

const KEY = 'metacot.prefs.v1';

function defaults(): Prefs {
  return {
    annotator: null,
    recentAnnotators: [],
    keymap: normaliseKeymap(null),
    colourMode: 'label',
    firstErrorMode: true,
    advanceAfterRating: true,
    textMode: 'auto',
    libraryWidth: 300,
    inspectorWidth: 420,
    queueRule: 'order',
    acceptSource: 'exact',
    treeView: 'tree',
    layoutKind: 'tidy',
    foldSiblings: true,
  };
}

/** Reads stored prefs, keeping only values of the right shape (storage is user-editable). */
function parse(raw: string | null): Prefs {
  const base = defaults();
  if (!raw) return base;
  let stored: Record<string, unknown>;
  try {
    stored = JSON.parse(raw) as Record<string, unknown>;
  } catch {
    return base;
  }
  if (!stored || typeof stored !== 'object') return base;
  const annotator = AnnotatorId.safeParse(stored.annotator);
  const recent = Array.isArray(stored.recentAnnotators)
    ? stored.recentAnnotators.filter((a): a is string => AnnotatorId.safeParse(a).success).slice(0, 8)
    : [];
  const num = (v: unknown, lo: number, hi: number, d: number) =>
    typeof v === 'number' && Number.isFinite(v) ? Math.min(hi, Math.max(lo, v)) : d;
  return {
    annotator: annotator.success ? annotator.data : null,
    recentAnnotators: recent,
    keymap: normaliseKeymap(stored.keymap),
    colourMode: COLOUR_MODES.includes(stored.colourMode as ColourMode) ? (stored.colourMode as ColourMode) : base.colourMode,
    firstErrorMode: typeof stored.firstErrorMode === 'boolean' ? stored.firstErrorMode : base.firstErrorMode,
    advanceAfterRating:
      typeof stored.advanceAfterRating === 'boolean' ? stored.advanceAfterRating : base.advanceAfterRating,
    textMode: ['auto', 'markdown', 'plain'].includes(stored.textMode as string)
      ? (stored.textMode as Prefs['textMode'])
      : base.textMode,
    libraryWidth: num(stored.libraryWidth, 240, 640, base.libraryWidth),
    inspectorWidth: num(stored.inspectorWidth, 320, 900, base.inspectorWidth),
    queueRule: QueueRule.safeParse(stored.queueRule).data ?? base.queueRule,
    acceptSource: AutoSource.safeParse(stored.acceptSource).data ?? base.acceptSource,
    treeView: oneOf(TREE_VIEWS, stored.treeView, base.treeView),
    layoutKind: oneOf(LAYOUT_KINDS, stored.layoutKind, base.layoutKind),
    foldSiblings: typeof stored.foldSiblings === 'boolean' ? stored.foldSiblings : base.foldSiblings,
  };
}

function oneOf<T extends string>(options: readonly T[], value: unknown, fallback: T): T {
  return options.includes(value as T) ? (value as T) : fallback;
}

let cache: { raw: string | null; prefs: Prefs } | null = null;
const listeners = new Set<() => void>();

function read(): Prefs {
  const raw = localStorage.getItem(KEY);
  if (!cache || cache.raw !== raw) cache = { raw, prefs: parse(raw) };
  return cache.prefs;
}

export function getPrefs(): Prefs {
  return read();
}

export function setPrefs(patch: Partial<Prefs> | ((p: Prefs) => Partial<Prefs>)): void {
  const current = read();
  const next = { ...current, ...(typeof patch === 'function' ? patch(current) : patch) };
  localStorage.setItem(KEY, JSON.stringify(next));
  for (const l of listeners) l();
}

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  const onStorage = (e: StorageEvent) => {
    if (e.key === KEY) listener();
  };
  window.addEventListener('storage', onStorage);
  return () => {
    listeners.delete(listener);
    window.removeEventListener('storage', onStorage);
  };
}

export function usePrefs(): [Prefs, typeof setPrefs] {
  const prefs = useSyncExternalStore(subscribe, read);
  return [prefs, useCallback(setPrefs, [])];
}

export const isMac = typeof navigator !== 'undefined' && /Mac|iPhone|iPad/.test(navigator.platform);
