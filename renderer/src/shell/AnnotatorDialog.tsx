/** Who is labeling: asked on first launch, switchable any time; kept in this browser. */
import { useState } from 'react';
import { AnnotatorId } from '../../../common/domain';
import { usePrefs } from '../lib/prefs';
import { Modal } from '../ui/Modal';

export function AnnotatorDialog({ onClose, firstRun }: { onClose(): void; firstRun: boolean }) {
  const [prefs, setPrefs] = usePrefs();
  const [name, setName] = useState(prefs.annotator ?? '');
  const [error, setError] = useState<string | null>(null);
  const choose = (value: string) => {
    const parsed = AnnotatorId.safeParse(value);
    if (!parsed.success) {
      setError(parsed.error.issues[0]?.message ?? 'invalid name');
      return;
    }
    setPrefs((p) => ({
      annotator: parsed.data,
      recentAnnotators: [parsed.data, ...p.recentAnnotators.filter((a) => a !== parsed.data)].slice(0, 8),
    }));
    onClose();
  };
  return (
    <Modal title={firstRun ? 'Welcome to Meta-CoT Studio' : 'Switch annotator'} onClose={onClose} closable={!firstRun}>
      <form
        className="form"
        onSubmit={(e) => {
          e.preventDefault();
          choose(name);
        }}
      >
        <p className="muted">
          Every label, prune and rating records who made it. Pick the name you label under; it stays in this browser and
          you can switch at any time.
        </p>
        <label className="field">
          <span className="field-label">Annotator name</span>
          <input
            data-autofocus
            value={name}
            maxLength={64}
            onChange={(e) => {
              setName(e.target.value);
              setError(null);
            }}
            placeholder="e.g. ada"
            aria-invalid={error !== null}
            aria-describedby={error ? 'annotator-error' : undefined}
          />
        </label>
        {error && (
          <p id="annotator-error" className="field-error" role="alert">
            {error}
          </p>
        )}
        {prefs.recentAnnotators.length > 0 && (
          <div className="recent">
            <span className="field-label">Recent</span>
            {prefs.recentAnnotators.map((a) => (
              <button type="button" key={a} className={`button small${a === prefs.annotator ? ' is-active' : ''}`} onClick={() => choose(a)}>
                {a}
              </button>
            ))}
          </div>
        )}
        <div className="form-actions">
          <button type="submit" className="button primary">
            {firstRun ? 'Start labeling' : 'Switch'}
          </button>
        </div>
      </form>
    </Modal>
  );
}
