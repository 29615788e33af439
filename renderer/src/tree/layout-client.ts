/**
 * Lays out a visible tree: on the UI thread when it is small (no worker round trip), in a Web
 * Worker when it is large so the window stays responsive while thousands of nodes are placed.
 */
import { layoutOf, type LayoutKind } from '../model/layout';

/** Above this many visible nodes the layout moves to a worker. */
export const WORKER_THRESHOLD = 1500;

let worker: Worker | null = null;
let nextId = 1;
const pending = new Map<number, { resolve: (p: Float64Array) => void; reject: (e: Error) => void }>();

function getWorker(): Worker {
  if (worker) return worker;
  worker = new Worker(new URL('./layout.worker.ts', import.meta.url), { type: 'module' });
  worker.onmessage = (event: MessageEvent<{ id: number; positions?: Float64Array; error?: string }>) => {
    const job = pending.get(event.data.id);
    if (!job) return;
    pending.delete(event.data.id);
    if (event.data.positions) job.resolve(event.data.positions);
    else job.reject(new Error(`Tree layout failed: ${event.data.error ?? 'unknown error'}`));
  };
  worker.onerror = (event) => {
    const error = new Error(`Tree layout worker failed: ${event.message}`);
    for (const job of pending.values()) job.reject(error);
    pending.clear();
    worker = null;
  };
  return worker;
}

export interface LayoutResult {
  positions: Float64Array;
  inWorker: boolean;
  ms: number;
}

export async function computeLayout(parentIndex: Int32Array, kind: LayoutKind = 'tidy'): Promise<LayoutResult> {
  const started = performance.now();
  if (parentIndex.length <= WORKER_THRESHOLD) {
    return { positions: layoutOf(kind, parentIndex), inWorker: false, ms: performance.now() - started };
  }
  const id = nextId++;
  const copy = parentIndex.slice();
  const positions = await new Promise<Float64Array>((resolve, reject) => {
    pending.set(id, { resolve, reject });
    getWorker().postMessage({ id, parentIndex: copy, kind }, [copy.buffer]);
  });
  return { positions, inWorker: true, ms: performance.now() - started };
}
