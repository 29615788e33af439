/**
 * A locked database, a full disk and a backup taken while writing: clear messages, no
 * corruption, nothing half-written, and work resumes once the condition clears.
 */
import Database from 'better-sqlite3';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect, test } from 'vitest';
import { Engine } from '../../main/engine/engine';
import { backupDatabase } from '../../main/engine/store/backup';
import { seedSampleTree } from '../helpers/seed';

const tmp = (name: string) => path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'metacot-cond-')), name);

test('a database locked by another process gives a clear "locked" error, then works when released', async () => {
  const file = tmp('locked.db');
  const { store, ids } = seedSampleTree(file);
  store.connection.pragma('busy_timeout = 50');
  const engine = new Engine(store);
  const other = new Database(file);
  other.exec('BEGIN EXCLUSIVE');
  const blocked = await engine.call('setLabel', { nodeId: ids[1], annotator: 'ann', rating: 1 });
  expect(blocked).toMatchObject({ ok: false, error: { code: 'unavailable' } });
  if (!blocked.ok) expect(blocked.error.message).toMatch(/locked by another process; try again/);
  other.exec('ROLLBACK');
  other.close();
  expect((await engine.call('setLabel', { nodeId: ids[1], annotator: 'ann', rating: 1 })).ok).toBe(true);
  expect(store.annotations.history(store.nodes.get(ids[1]!).runId, 10)).toHaveLength(1);
  engine.close();
});

test('a full disk fails the write whole, says so, and leaves the database intact', async () => {
  const file = tmp('full.db');
  const { store, ids, runId } = seedSampleTree(file);
  const engine = new Engine(store);
  // Cap the file at its current size: the next page SQLite needs is "disk full".
  const pages = store.connection.pragma('page_count', { simple: true }) as number;
  store.connection.pragma(`max_page_count = ${pages}`);
  const big = 'x'.repeat(19_000); // needs new pages; notes are capped at 20,000 characters
  const full = await engine.call('setLabel', { nodeId: ids[2], annotator: 'ann', rating: 1, note: big });
  expect(full).toMatchObject({ ok: false, error: { code: 'unavailable' } });
  if (!full.ok) expect(full.error.message).toMatch(/disk is full; nothing was saved/);
  expect(store.annotations.forRun(runId).annotations).toEqual([]);
  expect(store.annotations.history(runId, 10)).toEqual([]);
  store.connection.pragma(`max_page_count = ${pages * 100}`);
  expect((await engine.call('setLabel', { nodeId: ids[2], annotator: 'ann', rating: 1, note: big })).ok).toBe(true);
  expect(store.connection.pragma('integrity_check', { simple: true })).toBe('ok');
  engine.close();
});

test('metacot backup copies a database while it is being written, and refuses to overwrite', async () => {
  const file = tmp('live.db');
  const { store, ids } = seedSampleTree(file);
  const target = `${file}.bak`;
  let writes = 0;
  const writer = setInterval(() => {
    store.annotations.setLabel(ids[1 + (writes % 7)]!, 'ann', { rating: ((writes % 3) - 1) as -1 | 0 | 1 });
    writes++;
  }, 1);
  const result = await backupDatabase(file, target);
  clearInterval(writer);
  expect(result.pages).toBeGreaterThan(0);
  const copy = new Database(target, { readonly: true });
  expect(copy.pragma('integrity_check', { simple: true })).toBe('ok');
  expect((copy.prepare('SELECT count(*) AS n FROM nodes').get() as { n: number }).n).toBe(8);
  copy.close();
  store.close();
  const again = spawnSync(process.execPath, ['bin/metacot.js', 'backup', '--db', file, '--out', target], { encoding: 'utf8' });
  expect(again.status).toBe(2);
  expect(again.stderr).toMatch(/Backup target already exists/);
});
