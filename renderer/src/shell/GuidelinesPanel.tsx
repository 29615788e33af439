/**
 * The labeling guidelines for this database, beside the work (not over it): rendered Markdown,
 * editable in place, one key away.
 */
import { useEffect, useState } from 'react';
import { useClient } from '../shell/events';
import { Kbd } from '../ui/Kbd';
import { SafeText } from '../ui/SafeText';
import { useToaster } from '../ui/toasts';

export function GuidelinesPanel({ annotator, onClose }: { annotator: string; onClose(): void }) {
  const client = useClient();
  const toast = useToaster();
  const [markdown, setMarkdown] = useState<string | null>(null);
  const [draft, setDraft] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);

  useEffect(() => {
    client.api.getGuidelines({}).then(
      (g) => setMarkdown(g.markdown),
      (e: unknown) => toast.error(e, 'Could not load the guidelines'),
    );
  }, [client, toast]);

  const save = async () => {
    if (draft === null) return;
    setSaving(true);
    try {
      const g = await client.api.setGuidelines({ markdown: draft, annotator });
      setMarkdown(g.markdown);
      setDraft(null);
      toast.info('Guidelines saved');
    } catch (e) {
      toast.error(e, 'Could not save the guidelines');
    } finally {
      setSaving(false);
    }
  };

  return (
    <aside className="guidelines" aria-label="Guidelines" data-testid="guidelines">
      <header className="panel-head">
        <h2>
          Guidelines <Kbd action="guidelines" />
        </h2>
        <span className="spacer" />
        {draft === null ? (
          <button className="button small" onClick={() => setDraft(markdown ?? '')} disabled={markdown === null}>
            Edit
          </button>
        ) : (
          <>
            <button className="button small" onClick={() => setDraft(null)} disabled={saving}>
              Cancel
            </button>
            <button className="button small primary" onClick={() => void save()} disabled={saving}>
              {saving ? 'Saving…' : 'Save'}
            </button>
          </>
        )}
        <button className="icon-button" aria-label="Close guidelines" onClick={onClose}>
          ×
        </button>
      </header>
      <div className="panel-body">
        {draft !== null ? (
          <textarea
            className="guidelines-editor"
            value={draft}
            autoFocus
            onChange={(e) => setDraft(e.target.value)}
            onKeyDown={(e) => {
              if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
                e.preventDefault();
                void save();
              } else if (e.key === 'Escape') {
                e.preventDefault();
                setDraft(null);
              }
            }}
            aria-label="Guidelines (Markdown)"
          />
        ) : markdown === null ? (
          <p className="muted">Loading…</p>
        ) : (
          <SafeText text={markdown} markdown />
        )}
      </div>
    </aside>
  );
}
