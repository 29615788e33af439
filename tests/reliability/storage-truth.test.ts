/**
 * Attack cases 8 and 10 of issue 21: a database is not written before its schema is accepted
 * (future migrations, user_version), read-only files and full disks still open for reading and
 * say why writes fail in one line, queued runs of a dead process are recognised, a 0-byte file is
 * not a database, lone surrogates are stored as one U+FFFD, and backup leaves no side files.
 * CLI cases run `bin/metacot.js` as a child process: as another user (root ignores file modes)
 * or under a file-size limit (a full disk SQLite cannot grow into).
 */
import Database from 'better-sqlite3';
import { spawn, spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect, test } from 'vitest';
import { Engine } from '../../main/engine/engine';
import { backupDatabase } from '../../main/engine/store/backup';
import { Store } from '../../main/engine/store/store';
import { seedSampleTree } from '../helpers/seed';

const CLI = path.resolve('bin/metacot.js');
const tmpDir = () => fs.mkdtempSync(path.join(os.tmpdir(), 'metacot-storage-'));
const digest = (file: string) => crypto.createHash('sha256').update(fs.readFileSync(file)).digest('hex');
const IS_ROOT = process.getuid?.() === 0;

function metacot(args: string[], options: { asOtherUser?: boolean; fileSizeBlocks?: number } = {}) {
  const env = { ...process.env, HOME: os.tmpdir() };
  const run = options.fileSizeBlocks === undefined
    ? spawnSync(process.execPath, [CLI, ...args], { env, encoding: 'utf8', timeout: 120_000, ...(options.asOtherUser && IS_ROOT ? { uid: 65534, gid: 65534 } : {}) })
    : spawnSync('bash', ['-c', `trap '' XFSZ; ulimit -f ${options.fileSizeBlocks}; exec "$0" "$@"`, process.execPath, CLI, ...args], { env, encoding: 'utf8', timeout: 120_000 });
  return { code: run.status, out: run.stdout, err: run.stderr };
}

/** A studio database whose file has gone back to a rollback journal, as an older tool leaves it. */
function rollbackJournalDb(dir: string): string {
  const file = path.join(dir, 'journal.db');
  seedSampleTree(file).store.close();
  const db = new Database(file);
  db.pragma('journal_mode = DELETE');
  db.close();
  return file;
}

test('a rollback-journal database from a newer build is refused with its bytes unchanged and no side files', () => {
  const dir = tmpDir();
  const file = rollbackJournalDb(dir);
  const db = new Database(file);
  db.prepare("INSERT INTO schema_migrations (version, name) VALUES (999, 'future')").run();
  db.close();
  const before = digest(file);
  expect(() => Store.open(file)).toThrow(/newer than this build/);
  expect(digest(file)).toBe(before);
  expect(fs.readdirSync(dir)).toEqual(['journal.db']);
});

test('user_version from the future alone is noticed, before anything is written', () => {
  const dir = tmpDir();
  const file = rollbackJournalDb(dir);
  const db = new Database(file);
  db.pragma('user_version = 999');
  db.close();
  const before = digest(file);
  expect(() => Store.open(file)).toThrow(/user_version is 999/);
  expect(digest(file)).toBe(before);
});

test('migrating records the schema version in user_version', () => {
  const store = Store.open(path.join(tmpDir(), 'fresh.db'));
  expect(store.connection.pragma('user_version', { simple: true })).toBeGreaterThan(0);
  store.close();
});

test('a 0-byte file is not a database for runs, agreement and export: one line, exit 2, still 0 bytes', () => {
  const file = path.join(tmpDir(), 'empty.db');
  fs.writeFileSync(file, '');
  for (const args of [['runs', '--db', file], ['agreement', '--db', file], ['export', '--db', file, '--format', 'trl', '--dry-run']]) {
    const r = metacot(args);
    expect(r.code, args[0]).toBe(2);
    expect(r.err.trim().split('\n'), args[0]).toHaveLength(1);
    expect(r.err).toMatch(/empty \(0 bytes\)/);
    expect(fs.statSync(file).size).toBe(0);
  }
});

test('queued runs of a dead process are recognised like running ones; a live process keeps its queue', () => {
  const file = path.join(tmpDir(), 'queued.db');
  const { store, problemId } = seedSampleTree(file);
  const dead = store.runs.create({ problemId, algorithm: 'bfs', policy: 'enumerator', status: 'queued' });
  const alive = store.runs.create({ problemId, algorithm: 'bfs', policy: 'enumerator', status: 'queued' });
  store.connection.prepare('UPDATE runs SET owner_pid = 2147483646 WHERE id = ?').run(dead.id);
  store.close();
  const reopened = Store.open(file);
  expect(reopened.runs.get(dead.id).status).toBe('interrupted');
  expect(reopened.runs.get(alive.id).status).toBe('queued');
  reopened.close();
});

test('a read-only database opens for reading; a write fails in one line saying it is read-only', () => {
  const dir = tmpDir();
  const file = path.join(dir, 'ro.db');
  seedSampleTree(file).store.close();
  fs.chmodSync(file, 0o444);
  fs.chmodSync(dir, 0o755);
  const runs = metacot(['runs', '--db', file], { asOtherUser: true });
  expect(runs.err).toBe('');
  expect(runs.code).toBe(0);
  expect(runs.out).toMatch(/countdown\s+bfs\s+done/);
  const write = metacot(['import', path.resolve('tests/fixtures/formats/trl.jsonl'), '--format', 'trl', '--db', file], { asOtherUser: true });
  expect(write.code).toBe(2);
  expect(write.err.trim().split('\n')).toHaveLength(1);
  expect(write.err).toMatch(/read-only \(.*\); nothing was saved/);
  expect(fs.readdirSync(dir)).toEqual(['ro.db']);
});

test('serve on a read-only database serves its trees and answers a write with why it failed', async () => {
  const dir = tmpDir();
  const file = path.join(dir, 'served-ro.db');
  const { ids } = (() => {
    const seeded = seedSampleTree(file);
    seeded.store.close();
    return seeded;
  })();
  fs.chmodSync(file, 0o444);
  fs.chmodSync(dir, 0o755);
  const child = spawn(process.execPath, [CLI, 'serve', '--db', file, '--port', '0'], {
    env: { ...process.env, HOME: os.tmpdir() },
    stdio: ['ignore', 'pipe', 'pipe'],
    ...(IS_ROOT ? { uid: 65534, gid: 65534 } : {}),
  });
  try {
    let out = '';
    child.stdout.on('data', (chunk) => (out += String(chunk)));
    const deadline = Date.now() + 90_000;
    while (!/read-only \(/.test(out) && Date.now() < deadline && child.exitCode === null) await new Promise((r) => setTimeout(r, 100));
    const url = /http:\/\/127\.0\.0\.1:\d+\//.exec(out)?.[0];
    expect(url, out).toBeDefined();
    expect(out).toMatch(/read-only \(the file is not writable by this user\)/);
    const post = async (method: string, body: unknown) => (await fetch(`${url}api/${method}`, { method: 'POST', body: JSON.stringify(body) })).json();
    expect(await post('listRuns', {})).toMatchObject({ ok: true, value: { total: 1 } });
    const write = (await post('setLabel', { nodeId: ids[1], annotator: 'ann', rating: 1 })) as { ok: boolean; error?: { message: string } };
    expect(write).toMatchObject({ ok: false, error: { code: 'unavailable' } });
    expect(write.error!.message).toMatch(/read-only \(the file is not writable by this user\); nothing was saved/);
  } finally {
    child.kill('SIGTERM');
  }
});

test('on a full disk the orphan cleanup fails quietly and the database still opens for reading; writes fail in one line', () => {
  const dir = tmpDir();
  const file = path.join(dir, 'full.db');
  seedSampleTree(file).store.close();
  // 64 KB pages: any write needs a WAL frame bigger than the 32 KB the child may write to a file.
  const db = new Database(file);
  db.pragma('journal_mode = DELETE');
  db.pragma('page_size = 65536');
  db.exec('VACUUM');
  db.pragma('journal_mode = WAL');
  db.prepare("UPDATE runs SET status = 'running', owner_pid = 2147483646").run();
  db.close();
  const runs = metacot(['runs', '--db', file], { fileSizeBlocks: 64 });
  expect(runs.err).toBe('');
  expect(runs.code).toBe(0);
  expect(runs.out).toMatch(/countdown\s+bfs/);
  const write = metacot(['import', path.resolve('tests/fixtures/formats/trl.jsonl'), '--format', 'trl', '--db', file], { fileSizeBlocks: 64 });
  expect(write.code).toBe(2);
  expect(write.err.trim().split('\n')).toHaveLength(1);
  expect(write.err).not.toMatch(/unexpected error|\n\s+at /);
  const check = new Database(file, { readonly: true });
  expect(check.pragma('integrity_check', { simple: true })).toBe('ok');
  check.close();
});

test('lone UTF-16 surrogates are stored as one U+FFFD each, through the API', async () => {
  const { store, ids } = seedSampleTree(path.join(tmpDir(), 'surrogate.db'));
  const engine = new Engine(store);
  const r = await engine.call('setLabel', { nodeId: ids[1], annotator: 'ann', rating: 1, note: 'a\ud800b\udc00c\ud83d\ude00' });
  expect(r.ok).toBe(true);
  const note = store.connection.prepare('SELECT note FROM annotations WHERE node_id = ?').pluck().get(ids[1]) as string;
  expect(note).toBe('a\ufffdb\ufffdc\ud83d\ude00');
  engine.close();
});

test('backup leaves only the backup: no *.partial-PID-wal or -shm beside it', async () => {
  const dir = tmpDir();
  const file = path.join(dir, 'live.db');
  const { store } = seedSampleTree(file);
  await backupDatabase(file, path.join(dir, 'copy.db'));
  store.close();
  expect(fs.readdirSync(dir).filter((n) => n.includes('partial'))).toEqual([]);
  expect(fs.existsSync(path.join(dir, 'copy.db'))).toBe(true);
});
