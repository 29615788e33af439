/**
 * Attack cases 1 and 2 of issue 21: an import's report may not overwrite the database (even with
 * the files folder set to the database's own folder) and may not leave the files folder through
 * a link, neither a named report path nor the default `<file>.rejected.jsonl`.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { Engine } from '../../main/engine/engine';
import { runCli } from '../helpers/cli';
import { seedSampleTree } from '../helpers/seed';

let dir: string;
let dbFile: string;
let engine: Engine;
let outside: string;
const SECRET = 'SECRET-outside-the-files-folder\n';

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'metacot-files-attack-'));
  dbFile = path.join(dir, 'served.db');
  engine = new Engine(seedSampleTree(dbFile).store);
  // The worst setting an operator can pick: the files folder is the database's own folder.
  engine.context.fileRoot = dir;
  fs.writeFileSync(path.join(dir, 'problems.jsonl'), '{"question":"What is 2+2?","answer":"#### 4"}\nnot json at all\n');
  const elsewhere = fs.mkdtempSync(path.join(os.tmpdir(), 'metacot-elsewhere-'));
  outside = path.join(elsewhere, 'precious.txt');
  fs.writeFileSync(outside, SECRET);
});
afterAll(() => engine.close());

const header = (file: string) => fs.readFileSync(file).subarray(0, 16).toString('latin1');

test('a partial import whose reportPath names the database (or its -wal/-shm) is refused and the database is untouched', async () => {
  for (const reportPath of ['served.db', 'served.db-wal', 'served.db-shm', './sub/../served.db']) {
    const r = await engine.call('importData', { format: 'problems', path: 'problems.jsonl', partial: true, reportPath });
    expect(r, reportPath).toMatchObject({ ok: false, error: { code: 'forbidden', message: expect.stringMatching(/database/) } });
  }
  expect(header(dbFile)).toBe('SQLite format 3\u0000');
  expect(engine.store.connection.pragma('integrity_check', { simple: true })).toBe('ok');
});

test('a hard link to the database inside the files folder is the database too', async () => {
  fs.linkSync(dbFile, path.join(dir, 'innocent.jsonl'));
  const r = await engine.call('importData', { format: 'problems', path: 'problems.jsonl', partial: true, reportPath: 'innocent.jsonl' });
  expect(r).toMatchObject({ ok: false, error: { code: 'forbidden' } });
  expect(header(dbFile)).toBe('SQLite format 3\u0000');
});

test('a dangling link as reportPath is refused; nothing is created where it points', async () => {
  const target = path.join(path.dirname(outside), 'created-through-link.jsonl');
  fs.symlinkSync(target, path.join(dir, 'dangling.jsonl'));
  const r = await engine.call('importData', { format: 'problems', path: 'problems.jsonl', partial: true, reportPath: 'dangling.jsonl' });
  expect(r).toMatchObject({ ok: false, error: { code: 'forbidden' } });
  expect(fs.existsSync(target)).toBe(false);
});

test('the default report name, planted as a link to a file outside, is refused and the file keeps its content', async () => {
  fs.writeFileSync(path.join(dir, 'planted.jsonl'), '{"question":"What is 3+3?","answer":"#### 6"}\n{broken\n');
  fs.symlinkSync(outside, path.join(dir, 'planted.jsonl.rejected.jsonl'));
  const r = await engine.call('importData', { format: 'problems', path: 'planted.jsonl', partial: true });
  expect(r).toMatchObject({ ok: false, error: { code: 'forbidden' } });
  expect(fs.readFileSync(outside, 'utf8')).toBe(SECRET);
});

test('a report through a linked folder that leads out is refused', async () => {
  fs.symlinkSync(path.dirname(outside), path.join(dir, 'out-link'));
  const r = await engine.call('importData', { format: 'problems', path: 'problems.jsonl', partial: true, reportPath: 'out-link/report.jsonl' });
  expect(r).toMatchObject({ ok: false, error: { code: 'forbidden', message: expect.stringMatching(/through a link/) } });
  expect(fs.existsSync(path.join(path.dirname(outside), 'report.jsonl'))).toBe(false);
});

test('a plain report inside the folder still works and replaces an earlier one whole', async () => {
  fs.writeFileSync(path.join(dir, 'old-report.jsonl'), 'previous report\n');
  const r = await engine.call('importData', { format: 'problems', path: 'problems.jsonl', partial: true, reportPath: 'old-report.jsonl' });
  expect(r).toMatchObject({ ok: true, value: { committed: true, errorCount: 1 } });
  const lines = fs.readFileSync(path.join(dir, 'old-report.jsonl'), 'utf8').trim().split('\n');
  expect(lines).toHaveLength(1);
  expect(JSON.parse(lines[0]!)).toMatchObject({ line: 2 });
  expect(fs.readdirSync(dir).filter((n) => n.endsWith('.partial'))).toEqual([]);
});

test('CLI: the default report name planted as a link is refused with one line and exit code 2', async () => {
  const cliDir = fs.mkdtempSync(path.join(os.tmpdir(), 'metacot-files-cli-'));
  const file = path.join(cliDir, 'p.jsonl');
  fs.writeFileSync(file, '{"question":"What is 5+5?","answer":"#### 10"}\nnope\n');
  fs.symlinkSync(outside, `${file}.rejected.jsonl`);
  const r = await runCli('import', file, '--db', path.join(cliDir, 'cli.db'), '--format', 'problems', '--partial');
  expect(r.code).toBe(2);
  expect(r.err.trim().split('\n')).toHaveLength(1);
  expect(r.err).toMatch(/link/);
  expect(fs.readFileSync(outside, 'utf8')).toBe(SECRET);
});
