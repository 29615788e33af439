/** Desktop users open and create databases; recent ones are remembered; serve stays on its own. */
import Database from 'better-sqlite3';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, expect, test } from 'vitest';
import { Engine } from '../../../main/engine/engine';
import { callEngine } from '../../helpers/engine-call';
import { seedSampleTree } from '../../helpers/seed';

let dir: string;
let engine: Engine;
const home = process.env.METACOT_HOME;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'metacot-ws-'));
  process.env.METACOT_HOME = path.join(dir, 'home');
  engine = new Engine(seedSampleTree(path.join(dir, 'first.db')).store, { switchable: true });
});
afterEach(() => {
  engine.close();
  if (home === undefined) delete process.env.METACOT_HOME;
  else process.env.METACOT_HOME = home;
});

const call = (method: string, input: unknown) => callEngine(engine, method, input);

test('creating a database switches to it, tells every window, and remembers it', async () => {
  const events: string[] = [];
  engine.events.subscribe((name, payload) => events.push(`${name}:${JSON.stringify(payload)}`));
  const second = path.join(dir, 'second.db');
  expect(await call('openDatabase', { path: second, create: true })).toEqual({ dbPath: second });
  expect(events).toEqual([`databaseChanged:${JSON.stringify({ dbPath: second })}`]);
  expect((await call('listRuns', {})).total).toBe(0);
  expect(await call('openDatabase', { path: path.join(dir, 'first.db') })).toEqual({ dbPath: path.join(dir, 'first.db') });
  expect((await call('listRuns', {})).total).toBe(1);
  const ws = await call('getWorkspace', {});
  expect(ws.canSwitch).toBe(true);
  expect(ws.recent.map((r: any) => r.path)).toEqual([path.join(dir, 'first.db'), second]);
  fs.rmSync(second);
  expect((await call('getWorkspace', {})).recent[1]).toMatchObject({ path: second, exists: false });
});

test('a missing or foreign file is refused and the open database stays in use', async () => {
  await expect(call('openDatabase', { path: path.join(dir, 'nope.db') })).rejects.toMatchObject({ code: 'not_found' });
  const foreign = path.join(dir, 'foreign.db');
  const db = new Database(foreign);
  db.exec('CREATE TABLE invoices (id INTEGER)');
  db.close();
  await expect(call('openDatabase', { path: foreign })).rejects.toThrow(/not a Meta-CoT Studio one/);
  expect((await call('getWorkspace', {})).dbPath).toBe(path.join(dir, 'first.db'));
  expect((await call('listRuns', {})).total).toBe(1);
});

test('serve cannot switch: it always shows the database it was given', async () => {
  const served = new Engine(seedSampleTree(path.join(dir, 'served.db')).store);
  const r = await served.call('openDatabase', { path: path.join(dir, 'first.db') });
  expect(r).toMatchObject({ ok: false, error: { code: 'forbidden' } });
  expect(await served.call('getWorkspace', {})).toMatchObject({ ok: true, value: { canSwitch: false, recent: [] } });
  served.close();
});
