/**
 * Keyboard actions, their default keys, and matching key events to them. Bindings are strings
 * such as "3", "k", "ArrowUp", "Mod+z", "Mod+Shift+z", "Alt+2" ("Mod" is Ctrl, or Cmd on a Mac).
 * Users remap them in Settings; the map is kept in localStorage.
 */

export const ACTIONS = {
  rateMinus: { label: 'Rate step −1 (wrong)', group: 'Label', keys: ['1'] },
  rateZero: { label: 'Rate step 0 (neutral)', group: 'Label', keys: ['2'] },
  ratePlus: { label: 'Rate step +1 (good)', group: 'Label', keys: ['3'] },
  clearRating: { label: 'Clear my rating', group: 'Label', keys: ['0'] },
  flag: { label: 'Flag / unflag step', group: 'Label', keys: ['f'] },
  note: { label: 'Write a note', group: 'Label', keys: ['Enter'] },
  prune: { label: 'Prune / unprune subtree', group: 'Label', keys: ['p'] },
  branch1: { label: 'Rate branch 1', group: 'Branch', keys: ['Alt+1'] },
  branch2: { label: 'Rate branch 2', group: 'Branch', keys: ['Alt+2'] },
  branch3: { label: 'Rate branch 3', group: 'Branch', keys: ['Alt+3'] },
  branch4: { label: 'Rate branch 4', group: 'Branch', keys: ['Alt+4'] },
  branch5: { label: 'Rate branch 5', group: 'Branch', keys: ['Alt+5'] },
  preferred: { label: 'Mark branch preferred', group: 'Branch', keys: ['m'] },
  finishSolution: { label: 'Finish: solution', group: 'Tree', keys: ['Alt+s'] },
  finishFoundError: { label: 'Finish: found error', group: 'Tree', keys: ['Alt+e'] },
  finishBadProblem: { label: 'Finish: bad problem', group: 'Tree', keys: ['Alt+b'] },
  finishGiveUp: { label: 'Finish: give up', group: 'Tree', keys: ['Alt+g'] },
  firstErrorMode: { label: 'First-error mode on / off', group: 'Tree', keys: ['e'] },
  parent: { label: 'Go to parent', group: 'Move', keys: ['ArrowUp', 'k'] },
  child: { label: 'Go to first child', group: 'Move', keys: ['ArrowDown', 'j'] },
  prevSibling: { label: 'Go to previous sibling', group: 'Move', keys: ['ArrowLeft', 'h'] },
  nextSibling: { label: 'Go to next sibling', group: 'Move', keys: ['ArrowRight', 'l'] },
  nextUnlabeled: { label: 'Next step to label (by the queue rule)', group: 'Move', keys: ['n'] },
  prevUnlabeled: { label: 'Previous unlabeled step', group: 'Move', keys: ['Shift+n'] },
  toggleCollapse: { label: 'Collapse / expand subtree', group: 'View', keys: ['c'] },
  expandAll: { label: 'Expand whole subtree', group: 'View', keys: ['x'] },
  openGroup: { label: 'Show folded siblings ("+N more")', group: 'View', keys: ['o'] },
  treeView: { label: 'Next view: tree, outline, path', group: 'View', keys: ['w'] },
  centre: { label: 'Centre on selection', group: 'View', keys: ['.'] },
  fit: { label: 'Fit tree to window', group: 'View', keys: ['Shift+f'] },
  colourMode: { label: 'Next colour mode', group: 'View', keys: ['v'] },
  search: { label: 'Search step text', group: 'View', keys: ['/'] },
  replayBack: { label: 'Replay: one expansion back', group: 'View', keys: ['['] },
  replayForward: { label: 'Replay: one expansion forward', group: 'View', keys: [']'] },
  undo: { label: 'Undo', group: 'History', keys: ['Mod+z'] },
  redo: { label: 'Redo', group: 'History', keys: ['Mod+Shift+z', 'Mod+y'] },
  acceptPath: { label: 'Accept all suggestions on this path', group: 'Suggestions', keys: ['a'] },
  autolabel: { label: 'Auto-label this run…', group: 'Suggestions', keys: ['Shift+a'] },
  queueRule: { label: 'Next queue rule (order, uncertainty, …)', group: 'Suggestions', keys: ['q'] },
  review: { label: 'Review: agreement and adjudication', group: 'Panels', keys: ['r'] },
  guidelines: { label: 'Guidelines', group: 'Panels', keys: ['g'] },
  workspace: { label: 'Workspace: open or create a database', group: 'Panels', keys: ['Mod+o'] },
  help: { label: 'Keyboard help', group: 'Panels', keys: ['?'] },
  library: { label: 'Focus the run list', group: 'Panels', keys: ['Mod+k'] },
  newSearch: { label: 'New search…', group: 'Panels', keys: ['Shift+s'] },
  exportData: { label: 'Export…', group: 'Panels', keys: ['Shift+x'] },
} as const satisfies Record<string, { label: string; group: string; keys: readonly string[] }>;

export type ActionId = keyof typeof ACTIONS;
export const ACTION_IDS = Object.keys(ACTIONS) as ActionId[];
export type Keymap = Record<ActionId, string[]>;

export function defaultKeymap(): Keymap {
  const map = {} as Keymap;
  for (const id of ACTION_IDS) map[id] = [...ACTIONS[id].keys];
  return map;
}

/** Merges a stored (possibly old or hand-edited) map over the defaults, dropping junk. */
export function normaliseKeymap(stored: unknown): Keymap {
  const map = defaultKeymap();
  if (!stored || typeof stored !== 'object') return map;
  for (const id of ACTION_IDS) {
    const keys = (stored as Record<string, unknown>)[id];
    if (Array.isArray(keys) && keys.every((k) => typeof k === 'string' && k.length > 0 && k.length < 40)) {
      map[id] = keys as string[];
    }
  }
  return map;
}

export interface KeyLike {
  key: string;
  code?: string;
  ctrlKey: boolean;
  metaKey: boolean;
  altKey: boolean;
  shiftKey: boolean;
}

const MODIFIER_KEYS = new Set(['Control', 'Meta', 'Alt', 'Shift', 'AltGraph', 'CapsLock', 'OS']);

/**
 * The binding string a key event stands for, or null for a bare modifier. Letters and digits
 * read the physical key when Ctrl/Cmd/Alt is held (Alt+2 types "™" on a Mac); Shift is dropped
 * for symbols that need it ("?" is "?", not "Shift+?").
 */
export function comboOf(e: KeyLike): string | null {
  if (MODIFIER_KEYS.has(e.key)) return null;
  let key = e.key;
  const chord = e.ctrlKey || e.metaKey || e.altKey;
  const letter = /^Key([A-Z])$/.exec(e.code ?? '');
  const digit = /^Digit([0-9])$/.exec(e.code ?? '');
  if (chord && letter) key = letter[1]!.toLowerCase();
  else if (chord && digit) key = digit[1]!;
  else if (key.length === 1) key = key.toLowerCase();
  if (key === ' ') key = 'Space';
  const isSymbol = key.length === 1 && !/[a-z0-9]/.test(key);
  const parts: string[] = [];
  if (e.ctrlKey || e.metaKey) parts.push('Mod');
  if (e.altKey) parts.push('Alt');
  if (e.shiftKey && !isSymbol) parts.push('Shift');
  parts.push(key);
  return parts.join('+');
}

/** Canonical form of a typed binding, so "shift+N" and "Shift+n" compare equal. */
export function canonical(binding: string): string {
  // The key is whatever follows the last "+" ("Mod++" binds the plus key itself).
  const cut = binding.endsWith('+') ? binding.length - 1 : binding.lastIndexOf('+');
  const key = cut < 0 ? binding : binding.slice(cut + 1) || '+';
  const mods = new Set(binding.slice(0, Math.max(0, cut)).split('+').filter(Boolean).map((p) => p.toLowerCase()));
  const out: string[] = [];
  if (mods.has('mod') || mods.has('ctrl') || mods.has('cmd') || mods.has('meta')) out.push('Mod');
  if (mods.has('alt') || mods.has('option')) out.push('Alt');
  if (mods.has('shift')) out.push('Shift');
  out.push(key.length === 1 ? key.toLowerCase() : key);
  return out.join('+');
}

/** Reverse index: binding -> action. Later actions lose conflicts (Settings prevents them). */
export function indexKeymap(map: Keymap): Map<string, ActionId> {
  const index = new Map<string, ActionId>();
  for (const id of ACTION_IDS) for (const k of map[id]) if (!index.has(canonical(k))) index.set(canonical(k), id);
  return index;
}

/** Rebinds `binding` to `action` only, removing it from any other action. */
export function rebind(map: Keymap, action: ActionId, binding: string, replaceAll = true): Keymap {
  const key = canonical(binding);
  const next = {} as Keymap;
  for (const id of ACTION_IDS) next[id] = map[id].filter((k) => canonical(k) !== key);
  next[action] = replaceAll ? [key] : [...next[action], key];
  return next;
}

/** Actions that share a binding with another action. */
export function conflicts(map: Keymap): Map<string, ActionId[]> {
  const seen = new Map<string, ActionId[]>();
  for (const id of ACTION_IDS) for (const k of map[id]) seen.set(canonical(k), [...(seen.get(canonical(k)) ?? []), id]);
  return new Map([...seen].filter(([, ids]) => ids.length > 1));
}

const PRETTY: Record<string, string> = {
  ArrowUp: '↑',
  ArrowDown: '↓',
  ArrowLeft: '←',
  ArrowRight: '→',
  Enter: '⏎',
  Escape: 'Esc',
  Backspace: '⌫',
  Space: 'Space',
};

/** How a binding is shown on buttons and in the help overlay. */
export function prettyKey(binding: string, mac: boolean): string {
  return canonical(binding)
    .split('+')
    .map((p) => {
      if (p === 'Mod') return mac ? '⌘' : 'Ctrl';
      if (p === 'Alt') return mac ? '⌥' : 'Alt';
      if (p === 'Shift') return mac ? '⇧' : 'Shift';
      return PRETTY[p] ?? (p.length === 1 ? p.toUpperCase() : p);
    })
    .join(mac ? '' : '+');
}
