import { useEffect, useState } from 'react';
import type { RunSummary } from '../../common/domain';
import type { StudioClient } from './api/client';

export function App({ client }: { client: StudioClient }) {
  const [runs, setRuns] = useState<RunSummary[]>([]);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    client.api.listRuns({}).then((r) => setRuns(r.runs), (e: Error) => setError(e.message));
  }, [client]);
  return (
    <main>
      <h1>Meta-CoT Studio</h1>
      {error && <p role="alert">{error}</p>}
      <ul>
        {runs.map((r) => (
          <li key={r.id}>
            {r.prompt} · {r.algorithm} · {r.nodeCount} nodes
          </li>
        ))}
      </ul>
    </main>
  );
}
