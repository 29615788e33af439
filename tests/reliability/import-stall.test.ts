/**
 * Attack case 7 of issue 21 (the import half): an import over `serve` must not stall other
 * clients, must still keep all or nothing (failure, cancel, SIGKILL mid-import), and a file with
 * no line breaks is refused at once instead of being held whole.
 */
import Database from 'better-sqlite3';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { Engine } from '../../main/engine/engine';
import { importFile } from '../../main/engine/import/run-import';
import { startServer, type RunningServer } from '../../main/engine/serve/server';
import { Store } from '../../main/engine/store/store';
import { startLatencyProbe } from '../helpers/latency-probe';
import { writeSyntheticPrm800k } from '../helpers/prm800k-synthetic';

let dir: string;
let bigFile: string;
let engine: Engine;
let server: RunningServer;

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'metacot-import-stall-'));
  bigFile = path.join(dir, 'prm800k-4mb.jsonl');
  writeSyntheticPrm800k(bigFile, 4 * 1024 * 1024);
  engine = new Engine(Store.open(path.join(dir, 'served.db')));
  engine.context.fileRoot = dir;
  server = await startServer(engine, { port: 0, staticDir: dir });
});
afterAll(async () => {
  await server.close();
  engine.close();
});

const call = async (method: string, body: unknown) => {
  const res = await fetch(`${server.url}api/${method}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return (await res.json()) as { ok: boolean; value?: Record<string, unknown>; error?: { message: string } };
};

const counts = (store: Store) => ({
  runs: store.runs.count(),
  problems: store.problems.count(),
  batches: store.connection.prepare('SELECT count(*) FROM import_batches').pluck().get() as number,
});

test('a second client keeps getting answers while another imports 4 MB of PRM800K', async () => {
  const probe = startLatencyProbe(`${server.url}api/info`);
  const started = performance.now();
  const result = await call('importData', { format: 'prm800k', path: path.basename(bigFile) });
  const duration = performance.now() - started;
  const { worst, calls } = await probe.stop();
  expect(result, JSON.stringify(result.error)).toMatchObject({ ok: true, value: { committed: true } });
  expect(result.value!.runs).toBeGreaterThan(500);
  // One transaction for the whole write pass kept every other call waiting for most of the
  // import; slices keep the longest wait a small part of it (bench/serve.ts measures it at 12 MB).
  expect(calls).toBeGreaterThan(10);
  expect(worst).toBeLessThan(Math.max(250, duration / 5));
});

test('a cancelled import undoes what it wrote, and a failed one too', async () => {
  const store = Store.open(path.join(dir, 'cancel.db'));
  const before = counts(store);
  const controller = new AbortController();
  let progressed = 0;
  const request = { format: 'prm800k', path: bigFile, mapping: { preset: 'auto' }, annotator: 'import', partial: false } as const;
  const cancelled = importFile(store, request as never, {
    signal: controller.signal,
    onProgress: () => {
      // Cancel during the writing pass, once some runs are in.
      if (store.runs.count() > 50 && ++progressed === 1) controller.abort();
    },
  });
  await expect(cancelled).rejects.toThrow(/cancelled; nothing was kept/);
  expect(counts(store)).toEqual(before);

  // A full disk partway through: the write fails, and what earlier slices wrote is removed.
  const pages = store.connection.pragma('page_count', { simple: true }) as number;
  store.connection.pragma(`max_page_count = ${pages + 200}`);
  await expect(importFile(store, request as never)).rejects.toThrow(/full/);
  expect(counts(store)).toEqual(before);
  store.connection.pragma('max_page_count = 1073741823');
  expect((await importFile(store, request as never)).committed).toBe(true);
  expect(counts(store).batches).toBe(0);
  store.close();
});

test('an import killed mid-way (SIGKILL) is undone when the database is next opened', async () => {
  const db = path.join(dir, 'killed.db');
  Store.open(db).close();
  const child = spawn(process.execPath, ['bin/metacot.js', 'import', bigFile, '--format', 'prm800k', '--db', db], { stdio: 'ignore' });
  const exited = new Promise((resolve) => child.once('exit', resolve));
  // Wait until slices have committed runs, then kill.
  const deadline = Date.now() + 60_000;
  let seen = 0;
  while (Date.now() < deadline && seen === 0) {
    await new Promise((resolve) => setTimeout(resolve, 20));
    const reader = new Database(db, { readonly: true });
    seen = reader.prepare('SELECT count(*) FROM runs').pluck().get() as number;
    reader.close();
  }
  child.kill('SIGKILL');
  await exited;
  expect(seen).toBeGreaterThan(0);
  const store = Store.open(db);
  expect(counts(store)).toEqual({ runs: 0, problems: 0, batches: 0 });
  store.close();
});

test('a file with no line breaks is refused by the line-length limit, naming the line', async () => {
  const file = path.join(dir, 'one-line.jsonl');
  const fd = fs.openSync(file, 'w');
  const chunk = Buffer.alloc(1 << 20, 0x61);
  for (let i = 0; i < 40; i++) fs.writeSync(fd, chunk);
  fs.closeSync(fd);
  // The message proves the line-length limit refused it (speed is the serve bench's business).
  const r = await call('importData', { format: 'prm800k', path: 'one-line.jsonl' });
  expect(r).toMatchObject({ ok: false, error: { message: expect.stringMatching(/line 1 is longer than 8 M characters/) } });
});
