/** The `?` overlay: every action and its keys, grouped, as currently mapped. */
import { ACTION_IDS, ACTIONS, prettyKey } from '../lib/keymap';
import { isMac, usePrefs } from '../lib/prefs';
import { Modal } from '../ui/Modal';

export function HelpOverlay({ onClose, onSettings }: { onClose(): void; onSettings(): void }) {
  const [prefs] = usePrefs();
  const groups = new Map<string, typeof ACTION_IDS>();
  for (const id of ACTION_IDS) groups.set(ACTIONS[id].group, [...(groups.get(ACTIONS[id].group) ?? []), id]);
  return (
    <Modal title="Keyboard" onClose={onClose} wide>
      <div className="help-grid">
        {[...groups].map(([group, ids]) => (
          <section key={group} className="help-group">
            <h3>{group}</h3>
            <dl>
              {ids.map((id) => (
                <div key={id} className="help-row">
                  <dt>{ACTIONS[id].label}</dt>
                  <dd>
                    {prefs.keymap[id].length ? (
                      prefs.keymap[id].map((k) => <kbd key={k}>{prettyKey(k, isMac)}</kbd>)
                    ) : (
                      <span className="muted">unbound</span>
                    )}
                  </dd>
                </div>
              ))}
            </dl>
          </section>
        ))}
        <section className="help-group">
          <h3>Mouse</h3>
          <dl>
            <div className="help-row"><dt>Select a step</dt><dd>click it</dd></div>
            <div className="help-row"><dt>Pan</dt><dd>drag, or scroll</dd></div>
            <div className="help-row"><dt>Zoom</dt><dd>{isMac ? '⌘' : 'Ctrl'}+scroll, pinch</dd></div>
            <div className="help-row"><dt>Collapse / expand</dt><dd>the − / +N tab under a node</dd></div>
          </dl>
        </section>
      </div>
      <div className="form-actions">
        <button className="button" onClick={onSettings}>
          Remap keys…
        </button>
      </div>
    </Modal>
  );
}
