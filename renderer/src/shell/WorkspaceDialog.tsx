/**
 * The workspace: which database is open, and (in the desktop app) opening a recent one, another
 * file, or a new empty database. Under `serve` it only says which database the server shows.
 */
import { useEffect, useState, type FormEvent } from 'react';
import type { MethodOutput } from '../../../common/contract';
import { Modal } from '../ui/Modal';
import { useToaster } from '../ui/toasts';
import { useClient } from './events';

type Workspace = MethodOutput<'getWorkspace'>;

export function WorkspaceDialog({ onClose }: { onClose(): void }) {
  const client = useClient();
  const toast = useToaster();
  const [workspace, setWorkspace] = useState<Workspace | null>(null);
  const [path, setPath] = useState('');
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    client.api.getWorkspace({}).then(setWorkspace, (e: unknown) => toast.error(e, 'Could not read the workspace'));
  }, [client, toast]);

  const open = async (file: string, create: boolean) => {
    setBusy(true);
    try {
      await client.api.openDatabase({ path: file, create });
      // Every window reloads on the databaseChanged event; this one closes its dialog first.
      onClose();
    } catch (e) {
      toast.error(e, create ? 'Could not create the database' : 'Could not open the database');
    } finally {
      setBusy(false);
    }
  };

  const submit = (e: FormEvent, create: boolean) => {
    e.preventDefault();
    if (path.trim()) void open(path.trim(), create);
  };

  return (
    <Modal title="Workspace" onClose={onClose}>
      {workspace === null ? (
        <p className="muted">Loading…</p>
      ) : (
        <div className="form workspace" data-testid="workspace">
          <p>
            Open database: <code>{workspace.dbPath}</code>
          </p>
          {!workspace.canSwitch ? (
            <p className="muted small">
              This studio is served by <code>metacot serve</code> and always shows the database it was started with. To
              work on another, start another serve with <code>--db FILE</code>, or use the desktop app.
            </p>
          ) : (
            <>
              <fieldset className="fieldset">
                <legend>Recent</legend>
                {workspace.recent.length === 0 && <p className="muted small">No other databases opened yet.</p>}
                <ul className="recent-list">
                  {workspace.recent.map((r) => (
                    <li key={r.path}>
                      <button
                        className="button small"
                        disabled={busy || !r.exists || r.path === workspace.dbPath}
                        onClick={() => void open(r.path, false)}
                        title={r.exists ? `Opened ${new Date(r.openedAt).toLocaleString()}` : 'The file is gone'}
                      >
                        {r.path}
                      </button>
                      {!r.exists && <span className="muted small"> (missing)</span>}
                    </li>
                  ))}
                </ul>
              </fieldset>
              <form className="fieldset" onSubmit={(e) => submit(e, false)}>
                <label className="field">
                  <span className="field-label">Database file</span>
                  <input value={path} onChange={(e) => setPath(e.target.value)} placeholder="/path/to/trees.db" spellCheck={false} data-autofocus />
                </label>
                <div className="field-row">
                  <button type="submit" className="button primary" disabled={busy || !path.trim()}>
                    Open
                  </button>
                  <button type="button" className="button" disabled={busy || !path.trim()} onClick={(e) => submit(e, true)}>
                    Create new
                  </button>
                </div>
              </form>
            </>
          )}
        </div>
      )}
    </Modal>
  );
}
