/**
 * Executes one run and reports what happens as protocol messages. Shared by the worker thread and
 * the in-thread executor, so both send exactly the same events.
 */
import type { Store } from '../../store/store';
import { executeRun, type ExecuteOptions } from '../run-service';
import type { FromWorker } from './protocol';

/** How often a running search refreshes its run row for listeners (node count, progress). */
const RUN_REFRESH_MS = 500;

export async function executeAndReport(
  store: Store,
  runId: number,
  signal: AbortSignal,
  post: (message: FromWorker) => void,
  extra: Pick<ExecuteOptions, 'providers' | 'writer' | 'runtime'> & { liveNodes?: boolean } = {},
): Promise<void> {
  let lastRefresh = 0;
  const { liveNodes = true, ...options } = extra;
  try {
    await executeRun(store, runId, {
      ...options,
      signal,
      onRunChanged: (run) => post({ type: 'runChanged', run }),
      onFlush: liveNodes
        ? (id, result) => {
            if (result.inserted.length) post({ type: 'nodesAdded', runId: id, nodes: result.inserted });
            if (result.updated.length) post({ type: 'nodesUpdated', runId: id, nodes: result.updated });
          }
        : undefined,
      onProgress: (id) => {
        const now = Date.now();
        if (now - lastRefresh < RUN_REFRESH_MS) return;
        lastRefresh = now;
        post({ type: 'runChanged', run: store.runs.get(id) });
      },
    });
    post({ type: 'finished', runId });
  } catch (error) {
    post({ type: 'finished', runId, error: error instanceof Error ? error.message : String(error) });
  }
}
