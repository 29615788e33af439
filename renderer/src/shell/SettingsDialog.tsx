/** Settings: remap every key (captured by pressing it), labeling behaviour, text rendering, project rules. */
import { useState } from 'react';
import { useToaster } from '../ui/toasts';
import { useProjectSettings } from './project-settings';
import { ACTION_IDS, ACTIONS, comboOf, conflicts, defaultKeymap, prettyKey, rebind, type ActionId } from '../lib/keymap';
import { isMac, usePrefs } from '../lib/prefs';
import { Modal } from '../ui/Modal';

export function SettingsDialog({ onClose, annotator }: { onClose(): void; annotator: string }) {
  const [prefs, setPrefs] = usePrefs();
  const [project, setProject] = useProjectSettings();
  const toast = useToaster();
  const changeProject = (patch: Parameters<typeof setProject>[0]) =>
    setProject(patch, annotator).catch((e: unknown) => toast.error(e, 'Could not change the project settings'));
  const [capturing, setCapturing] = useState<{ action: ActionId; add: boolean } | null>(null);
  const clashes = conflicts(prefs.keymap);
  return (
    <Modal title="Settings" onClose={onClose} wide>
      <section className="settings-section">
        <h3>Labeling</h3>
        <label className="check">
          <input
            type="checkbox"
            checked={prefs.advanceAfterRating}
            onChange={(e) => setPrefs({ advanceAfterRating: e.target.checked })}
          />
          After rating a step, move to the next unlabeled step
        </label>
        <label className="check">
          <input type="checkbox" checked={prefs.firstErrorMode} onChange={(e) => setPrefs({ firstErrorMode: e.target.checked })} />
          First-error mode: steps below one I rated −1 are "after the error" and skipped by next-unlabeled
        </label>
        <label className="field inline">
          <span className="field-label">Step text</span>
          <select value={prefs.textMode} onChange={(e) => setPrefs({ textMode: e.target.value as typeof prefs.textMode })}>
            <option value="auto">Markdown for math, plain for countdown and game24</option>
            <option value="markdown">Always Markdown + KaTeX</option>
            <option value="plain">Always plain text</option>
          </select>
        </label>
      </section>
      <section className="settings-section">
        <h3>Project (every annotator of this database)</h3>
        <label className="check">
          <input type="checkbox" checked={project.blindLabeling} onChange={(e) => void changeProject({ blindLabeling: e.target.checked })} />
          Blind labeling: hide the solver's outcome, exact labels, suggestions and other annotators' labels on a step until I have rated it
        </label>
        <label className="check">
          <input type="checkbox" checked={project.selfAdjudication} onChange={(e) => void changeProject({ selfAdjudication: e.target.checked })} />
          Annotators may adjudicate disagreements on steps they rated themselves
        </label>
      </section>
      <section className="settings-section">
        <h3>Layout</h3>
        <label className="field inline">
          <span className="field-label">Run list width</span>
          <input type="range" min={240} max={640} step={10} value={prefs.libraryWidth} onChange={(e) => setPrefs({ libraryWidth: Number(e.target.value) })} />
          <span className="muted">{prefs.libraryWidth}px</span>
        </label>
        <label className="field inline">
          <span className="field-label">Inspector width</span>
          <input type="range" min={320} max={900} step={10} value={prefs.inspectorWidth} onChange={(e) => setPrefs({ inspectorWidth: Number(e.target.value) })} />
          <span className="muted">{prefs.inspectorWidth}px</span>
        </label>
      </section>
      <section className="settings-section">
        <div className="section-head">
          <h3>Keys</h3>
          <button className="button small" onClick={() => setPrefs({ keymap: defaultKeymap() })}>
            Reset all to defaults
          </button>
        </div>
        <p className="muted">Click a binding, then press the new key. Esc cancels. A key taken from another action is removed there.</p>
        <table className="keymap-table">
          <tbody>
            {ACTION_IDS.map((id) => {
              const isCapturing = capturing?.action === id;
              return (
                <tr key={id}>
                  <td>{ACTIONS[id].label}</td>
                  <td className="keymap-keys">
                    {prefs.keymap[id].map((k) => (
                      <span key={k} className={`binding${clashes.has(k) ? ' clash' : ''}`}>
                        <kbd>{prettyKey(k, isMac)}</kbd>
                        <button
                          className="icon-button"
                          aria-label={`Remove ${k} from ${ACTIONS[id].label}`}
                          onClick={() =>
                            setPrefs((p) => ({ keymap: { ...p.keymap, [id]: p.keymap[id].filter((x) => x !== k) } }))
                          }
                        >
                          ×
                        </button>
                      </span>
                    ))}
                  </td>
                  <td className="keymap-actions">
                    {isCapturing ? (
                      <button
                        className="button small is-active"
                        data-autofocus
                        autoFocus
                        onKeyDown={(e) => {
                          e.preventDefault();
                          e.stopPropagation();
                          if (e.key === 'Escape') {
                            setCapturing(null);
                            return;
                          }
                          const combo = comboOf(e.nativeEvent);
                          if (!combo) return;
                          setPrefs((p) => ({ keymap: rebind(p.keymap, id, combo, !capturing.add) }));
                          setCapturing(null);
                        }}
                        onBlur={() => setCapturing(null)}
                      >
                        Press a key…
                      </button>
                    ) : (
                      <>
                        <button className="button small" onClick={() => setCapturing({ action: id, add: false })}>
                          Change
                        </button>
                        <button className="button small" onClick={() => setCapturing({ action: id, add: true })}>
                          Add
                        </button>
                      </>
                    )}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </section>
    </Modal>
  );
}
