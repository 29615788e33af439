import Database from 'better-sqlite3';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect, test } from 'vitest';
import { migrate } from '../../../main/engine/store/migrate';
import { MIGRATIONS } from '../../../main/engine/store/migrations';
import { Store, StoreError } from '../../../main/engine/store/store';

const tmp = () => path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'metacot-mig-')), 'test.db');

test('a fresh database gets every migration, WAL and foreign keys', () => {
  const file = tmp();
  const store = Store.open(file);
  const applied = store.connection.prepare('SELECT version, name FROM schema_migrations ORDER BY version').all();
  expect(applied).toEqual(MIGRATIONS.map((m) => ({ version: m.version, name: m.name })));
  expect(store.connection.pragma('journal_mode', { simple: true })).toBe('wal');
  expect(store.connection.pragma('foreign_keys', { simple: true })).toBe(1);
  store.close();
});

test('reopening keeps data and applies nothing twice', () => {
  const file = tmp();
  const a = Store.open(file);
  const id = a.problems.insert({ task: 'countdown', prompt: '24:[1, 2, 3, 4]' });
  a.close();
  const db = new Database(file);
  expect(migrate(db)).toEqual([]);
  db.close();
  const b = Store.open(file);
  expect(b.problems.get(id).prompt).toBe('24:[1, 2, 3, 4]');
  b.close();
});

test('new migrations apply on top of an older schema in order', () => {
  const db = new Database(':memory:');
  migrate(db, MIGRATIONS);
  const next = { version: MIGRATIONS.at(-1)!.version + 1, name: 'extra', sql: 'CREATE TABLE extra (x INTEGER);' };
  expect(migrate(db, [...MIGRATIONS, next])).toEqual([next.version]);
  expect(db.prepare("SELECT name FROM sqlite_master WHERE name = 'extra'").get()).toBeTruthy();
});

function snapshot(file: string): string {
  const db = new Database(file, { readonly: true });
  const rows = db.prepare('SELECT * FROM schema_migrations ORDER BY rowid').all();
  const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").all();
  db.close();
  return JSON.stringify({ rows, tables });
}

test('a database from a newer build is refused and left untouched', () => {
  const file = tmp();
  Store.open(file).close();
  const db = new Database(file);
  db.prepare("INSERT INTO schema_migrations (version, name) VALUES (999, 'future')").run();
  db.close();
  const before = snapshot(file);
  expect(() => Store.open(file)).toThrow(/newer than this build.*999 \(future\)/);
  expect(snapshot(file)).toBe(before);
});

test('out-of-order or unknown recorded migrations are refused before any write', () => {
  const db = new Database(':memory:');
  db.exec(`CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT);
           INSERT INTO schema_migrations (version, name) VALUES (1, 'not-initial');`);
  expect(() => migrate(db)).toThrow(StoreError);
  expect(() => migrate(db)).toThrow(/out of order or unknown: position 1 records 1 \(not-initial\)/);
  expect(db.prepare("SELECT count(*) AS n FROM sqlite_master WHERE name = 'nodes'").get()).toEqual({ n: 0 });
});

test('a foreign SQLite database and a non-database file are refused with a clear message', () => {
  const foreign = tmp();
  const db = new Database(foreign);
  db.exec('CREATE TABLE invoices (id INTEGER)');
  db.close();
  expect(() => Store.open(foreign)).toThrow(/not a Meta-CoT Studio one.*invoices/);

  const text = tmp();
  fs.writeFileSync(text, 'hello, this is not sqlite at all '.repeat(200));
  const bytes = fs.readFileSync(text);
  expect(() => Store.open(text)).toThrow(/not an SQLite database/);
  expect(fs.readFileSync(text).equals(bytes)).toBe(true);
});
