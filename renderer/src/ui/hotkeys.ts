/**
 * One window-level key listener turns key presses into actions through the user's keymap.
 * Components register handlers for the actions they own (the newest registration wins), so the
 * tree, the inspector and the app shell each keep their own logic.
 */
import { useEffect, useRef } from 'react';
import { comboOf, indexKeymap, type ActionId, type Keymap } from '../lib/keymap';

export type ActionHandlers = Partial<Record<ActionId, () => void>>;

const layers: { current: ActionHandlers }[] = [];

/** Registers handlers for as long as the component is mounted; always calls the latest ones. */
export function useActionHandlers(handlers: ActionHandlers): void {
  const ref = useRef(handlers);
  ref.current = handlers;
  useEffect(() => {
    layers.push(ref);
    return () => {
      const at = layers.indexOf(ref);
      if (at >= 0) layers.splice(at, 1);
    };
  }, []);
}

/** Runs an action as if its key was pressed (buttons call this too). Returns false when unhandled. */
export function runAction(action: ActionId): boolean {
  for (let i = layers.length - 1; i >= 0; i--) {
    const handler = layers[i]!.current[action];
    if (handler) {
      handler();
      return true;
    }
  }
  return false;
}

/** Keys a focused slider moves by: they stay on the slider (the replay bar, widths in Settings). */
const SLIDER_KEYS = new Set(['ArrowLeft', 'ArrowRight', 'ArrowUp', 'ArrowDown', 'Home', 'End', 'PageUp', 'PageDown']);

function isTyping(target: EventTarget | null, e: KeyboardEvent): boolean {
  if (!(target instanceof HTMLElement)) return false;
  if (target.isContentEditable) return true;
  const tag = target.tagName;
  if (tag === 'TEXTAREA' || tag === 'SELECT') return true;
  if (tag === 'INPUT') {
    const type = (target as HTMLInputElement).type;
    if (type === 'range') return SLIDER_KEYS.has(e.key);
    return !['checkbox', 'radio', 'button', 'submit'].includes(type);
  }
  // Enter and Space on a focused button press the button, not a hotkey.
  if ((tag === 'BUTTON' || tag === 'A' || target.getAttribute('role') === 'button') && (e.key === 'Enter' || e.key === ' ')) {
    return true;
  }
  return false;
}

/** Installs the listener; call once, in the app shell. */
export function useHotkeyDispatcher(keymap: Keymap): void {
  useEffect(() => {
    const index = indexKeymap(keymap);
    const onKey = (e: KeyboardEvent) => {
      if (e.defaultPrevented || e.isComposing) return;
      if (document.querySelector('.modal-backdrop')) return;
      if (isTyping(e.target, e)) return;
      const combo = comboOf(e);
      if (!combo) return;
      const action = index.get(combo);
      if (!action) return;
      if (runAction(action)) {
        e.preventDefault();
        e.stopPropagation();
      }
    };
    // A choice made in a dropdown gives the keys back at once: 1/2/3 rate again without a click.
    const onChange = (e: Event) => {
      if (e.target instanceof HTMLSelectElement && !e.target.closest('[role=dialog]')) e.target.blur();
    };
    window.addEventListener('keydown', onKey);
    document.addEventListener('change', onChange, true);
    return () => {
      window.removeEventListener('keydown', onKey);
      document.removeEventListener('change', onChange, true);
    };
  }, [keymap]);
}
