/**
 * What `metacot search` stores about its inputs: model folders as absolute `onnx:` names (so a
 * run's scorer is found from any folder), problems the database already holds reused rather than
 * stored again (with their source tag), and problems searched straight from the database.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { Store } from '../../../main/engine/store/store';
import { runCli } from '../../helpers/cli';

let dir: string;
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'metacot-search-problems-'));
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const FAST = ['--algo', 'bfs', '--budget', '3', '--policy', 'enumerator'];
const PRM = 'tests/fixtures/models/prm-tiny'; // relative to the working folder, as a user types it

function readDb<T>(db: string, read: (store: Store) => T): T {
  const store = Store.open(db, { create: false });
  try {
    return read(store);
  } finally {
    store.close();
  }
}

test('search needs --db, like every other command', async () => {
  const r = await runCli('search', '--task', 'countdown', '--count', '1', ...FAST);
  expect(r.code).toBe(2);
  expect(r.err).toMatch(/required option '--db <file>'/);
});

test('a model folder given relative (onnx:dir or the bare dir) is stored absolute, and autolabel finds it from elsewhere', async () => {
  const db = path.join(dir, 'scorer.db');
  expect((await runCli('search', '--task', 'countdown', '--count', '1', ...FAST, '--scorer', `onnx:${PRM}`, '--db', db)).code).toBe(0);
  expect((await runCli('search', '--task', 'countdown', '--count', '1', '--seed', '2', ...FAST, '--scorer', `${PRM}?agg=min`, '--db', db)).code).toBe(0);
  const scorers = readDb(db, (s) => s.runs.list({ limit: 10, offset: 0 }).runs.map((r) => r.scorer).reverse());
  expect(scorers).toEqual([`onnx:${path.resolve(PRM)}`, `onnx:${path.resolve(PRM)}?agg=min`]);

  const home = process.cwd();
  process.chdir(dir);
  try {
    const labeled = await runCli('autolabel', '--db', db, '--method', 'scorer');
    expect(labeled.code, labeled.err).toBe(0);
    expect(labeled.out).toMatch(/[1-9]\d* labels over 2 runs/);
  } finally {
    process.chdir(home);
  }
});

test('problems already in the database are searched as they are: not stored twice, source tag kept', async () => {
  const db = path.join(dir, 'reuse.db');
  const csv = path.join(dir, '24.csv');
  fs.writeFileSync(csv, 'Rank,Puzzles,AMT (s)\n1,1 1 4 6,4.4\n2,4 5 6 10,5\n');
  expect((await runCli('import', '--db', db, '--format', 'problems', csv)).code).toBe(0);
  const imported = readDb(db, (s) => s.problems.list({ limit: 10, offset: 0 }).problems);
  expect(imported.map((p) => p.metadata.source)).toEqual(['24.csv', '24.csv']);

  const again = await runCli('search', '--task', 'game24', '--problems', csv, ...FAST, '--db', db);
  expect(again.code, again.err).toBe(0);
  expect(again.out).toMatch(/2 of these problems are in the database already/);
  const more = path.join(dir, 'more.txt');
  fs.writeFileSync(more, '4 5 6 10\n3 3 8 8\n3 3 8 8\n');
  const mixed = await runCli('search', '--task', 'game24', '--problems', more, ...FAST, '--db', db);
  expect(mixed.code, mixed.err).toBe(0);
  expect(mixed.out).toMatch(/1 of these problems are in the database already and get new runs there; 1 repeated problems searched once/);

  readDb(db, (s) => {
    const problems = s.problems.list({ limit: 10, offset: 0 }).problems.reverse();
    expect(problems.map((p) => [p.prompt, p.metadata.source])).toEqual([
      ['24:[1, 1, 4, 6]', '24.csv'],
      ['24:[4, 5, 6, 10]', '24.csv'],
      ['24:[3, 3, 8, 8]', 'more.txt'],
    ]);
    const runs = s.runs.list({ limit: 10, offset: 0 }).runs.reverse();
    expect(runs.map((r) => r.problemId)).toEqual([problems[0]!.id, problems[1]!.id, problems[1]!.id, problems[2]!.id]);
  });
});

test('--from-db searches the problems the database holds, one source at a time', async () => {
  const db = path.join(dir, 'from-db.db');
  expect((await runCli('search', '--task', 'countdown', '--count', '2', ...FAST, '--db', db)).code).toBe(0);
  const csv = path.join(dir, 'hard.csv');
  fs.writeFileSync(csv, 'Rank,Puzzles,AMT (s)\n901,4 5 6 10,5\n');
  expect((await runCli('import', '--db', db, '--format', 'problems', csv)).code).toBe(0);

  const r = await runCli('search', '--task', 'countdown', '--from-db', ...FAST, '--db', db);
  expect(r.code, r.err).toBe(0);
  expect(r.out).toMatch(/^2 runs:/m);
  const game = await runCli('search', '--task', 'game24', '--from-db', '--source', '24.csv', ...FAST, '--db', db);
  expect(game.code, game.err).toBe(0);
  expect(game.out).toMatch(/^1 runs:/m);
  expect(readDb(db, (s) => [s.problems.count(), s.runs.count()])).toEqual([3, 5]);

  const none = await runCli('search', '--task', 'game24', '--from-db', '--source', 'GSM8K', ...FAST, '--db', db);
  expect(none.code).toBe(2);
  expect(none.err).toMatch(/the database holds no game24 problems with source "GSM8K"/);
  const missing = path.join(dir, 'missing.db');
  expect((await runCli('search', '--task', 'game24', '--from-db', ...FAST, '--db', missing)).code).toBe(2);
  expect(fs.existsSync(missing)).toBe(false);
  expect(readDb(db, (s) => s.runs.count())).toBe(5);
});
