/** The key(s) bound to an action, as shown on buttons and in the help overlay. */
import { prettyKey, type ActionId } from '../lib/keymap';
import { isMac, usePrefs } from '../lib/prefs';

export function Kbd({ action, all = false }: { action: ActionId; all?: boolean }) {
  const [prefs] = usePrefs();
  const keys = prefs.keymap[action];
  if (!keys.length) return null;
  return (
    <span className="kbd-group">
      {(all ? keys : keys.slice(0, 1)).map((k) => (
        <kbd key={k}>{prettyKey(k, isMac)}</kbd>
      ))}
    </span>
  );
}

/** "Rate +1 (3)": a tooltip naming the action and its key. */
export function useKeyTitle(): (label: string, action: ActionId) => string {
  const [prefs] = usePrefs();
  return (label, action) => {
    const k = prefs.keymap[action][0];
    return k ? `${label} (${prettyKey(k, isMac)})` : label;
  };
}
