/**
 * A second client on its own thread (so its own work never delays the server it measures): it
 * calls one API method over HTTP in a loop until stopped and reports the slowest answer.
 */
import { Worker } from 'node:worker_threads';

const PROBE = `
const { parentPort, workerData } = require('node:worker_threads');
let stop = false;
parentPort.on('message', () => (stop = true));
(async () => {
  let worst = 0;
  let calls = 0;
  while (!stop) {
    const started = performance.now();
    const res = await fetch(workerData.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    if (!res.ok) throw new Error('probe call failed: ' + res.status);
    await res.arrayBuffer();
    worst = Math.max(worst, performance.now() - started);
    calls += 1;
  }
  parentPort.postMessage({ worst, calls });
})();
`;

export interface ProbeResult {
  /** Slowest answer, in ms. */
  worst: number;
  calls: number;
}

/** Starts probing `url` (e.g. http://127.0.0.1:PORT/api/info); `stop()` resolves with what it saw. */
export function startLatencyProbe(url: string): { stop: () => Promise<ProbeResult> } {
  const worker = new Worker(PROBE, { eval: true, workerData: { url } });
  const result = new Promise<ProbeResult>((resolve, reject) => {
    worker.once('message', resolve);
    worker.once('error', reject);
  });
  return {
    stop: async () => {
      worker.postMessage('stop');
      const r = await result;
      await worker.terminate();
      return r;
    },
  };
}
