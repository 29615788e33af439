/**
 * Serve under a bulk write: the longest a second client waits for an answer (`info`, probed in a
 * loop from its own thread) while a first client imports a 12 MB PRM800K-shaped file through
 * `importData`. Baseline: the same probe's longest wait on the idle server, in the same run.
 * The file is generated (tests/helpers/prm800k-synthetic.ts); no real dataset is involved.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Engine } from '../main/engine/engine';
import { startServer } from '../main/engine/serve/server';
import { Store } from '../main/engine/store/store';
import { startLatencyProbe } from '../tests/helpers/latency-probe';
import { writeSyntheticPrm800k } from '../tests/helpers/prm800k-synthetic';
import type { BenchRow } from './types';

const FILE_MB = 12;
const IDLE_MS = 3000;

export async function benchServe(): Promise<BenchRow[]> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'metacot-bench-serve-'));
  const file = path.join(dir, 'prm800k.jsonl');
  const records = writeSyntheticPrm800k(file, FILE_MB * 1024 * 1024);
  const engine = new Engine(Store.open(path.join(dir, 'serve.db')));
  engine.context.fileRoot = dir;
  const server = await startServer(engine, { port: 0, staticDir: dir });
  try {
    const idleProbe = startLatencyProbe(`${server.url}api/info`);
    await new Promise((resolve) => setTimeout(resolve, IDLE_MS));
    const idle = await idleProbe.stop();

    const probe = startLatencyProbe(`${server.url}api/info`);
    const started = performance.now();
    const res = await fetch(`${server.url}api/importData`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ format: 'prm800k', path: path.basename(file) }),
    });
    const result = (await res.json()) as { ok: boolean; value?: { runs: number; nodes: number }; error?: { message: string } };
    const seconds = (performance.now() - started) / 1000;
    const busy = await probe.stop();
    if (!result.ok) throw new Error(`bench import failed: ${result.error?.message}`);
    const load = os.loadavg()[0]!.toFixed(1);
    return [
      {
        figure: `serve: longest stall seen by a second client during a ${FILE_MB} MB import`,
        value: busy.worst,
        unit: 'ms',
        baseline: idle.worst,
        ratio: idle.worst / busy.worst,
        note:
          `${records.toLocaleString('en')} generated PRM800K-shaped records (${result.value!.runs.toLocaleString('en')} trees, ` +
          `${result.value!.nodes.toLocaleString('en')} nodes) imported in ${seconds.toFixed(1)} s through importData while a second ` +
          `client called info ${busy.calls.toLocaleString('en')} times from its own thread; baseline: the same client's longest ` +
          `wait over ${IDLE_MS / 1000} s on the idle server (${idle.calls.toLocaleString('en')} calls); ratio = baseline/value; ` +
          `goal < 100 ms; load avg ${load} on ${os.cpus().length} cores`,
      },
    ];
  } finally {
    await server.close();
    engine.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
