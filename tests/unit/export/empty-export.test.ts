/**
 * An export that matches no record is an error on the command line (exit 2) that names the
 * `--labels` choices with data, writes nothing (no dataset card, no folder), and leaves an earlier
 * export in place; a folder holding an export is refused with a message naming --overwrite.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { ExportRequest } from '../../../common/contract/export';
import { previewExport } from '../../../main/engine/export/run-export';
import { Store } from '../../../main/engine/store/store';
import { runCli } from '../../helpers/cli';
import { buildFixtureDb } from './fixtures';

let dir: string;
let db: string;
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'metacot-empty-export-'));
  db = path.join(dir, 'f.db');
  buildFixtureDb(db).store.close();
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

async function records(labels: string): Promise<number> {
  const store = Store.open(db, { create: false });
  try {
    const [kind, rest] = labels.split(':');
    const source = kind === 'annotator' ? { kind, annotator: rest } : { kind };
    return (await previewExport(store.connection, ExportRequest.parse({ format: 'trl', outDir: dir, labels: source }))).records;
  } finally {
    store.close();
  }
}

test('0 records: exit 2, the label sources with data and their counts, nothing written', async () => {
  const out = path.join(dir, 'empty');
  const r = await runCli('export', '--db', db, '--format', 'trl', '--labels', 'auto:mc', '--out', out);
  expect(r.code).toBe(2);
  expect(r.out).toMatch(/wrote 0 trl records/);
  const message = r.err.trim().split('\n').at(-1)!;
  expect(message).toMatch(/nothing written: 0 records with --labels auto:mc\./);
  for (const flag of ['majority', 'annotator:alice', 'annotator:bob', 'mc']) {
    const n = await records(flag);
    expect(n, flag).toBeGreaterThan(0);
    expect(message, flag).toContain(`--labels ${flag} gives ${n}`);
  }
  expect(message).toMatch(/--allow-empty/);
  expect(fs.existsSync(out)).toBe(false);

  const allowed = await runCli('export', '--db', db, '--format', 'trl', '--labels', 'auto:mc', '--out', out, '--allow-empty');
  expect(allowed.code).toBe(0);
  expect(fs.existsSync(out)).toBe(false);
  const dry = await runCli('export', '--db', db, '--format', 'trl', '--labels', 'auto:mc', '--dry-run');
  expect(dry.code).toBe(2);
});

test('majority on a database without human labels says that majority counts human labels only', async () => {
  const r = await runCli('export', '--db', db, '--format', 'trl', '--runs', '3', '--out', path.join(dir, 'run3'));
  expect(r.code).toBe(2);
  expect(r.err).toMatch(/0 records with --labels majority \(majority counts human labels only/);
});

test('a folder holding an export: refused naming --overwrite; an empty export never replaces it', async () => {
  const out = path.join(dir, 'kept');
  expect((await runCli('export', '--db', db, '--format', 'trl', '--annotator', 'alice', '--out', out)).code).toBe(0);
  const before = fs.readFileSync(path.join(out, 'train.jsonl'), 'utf8');
  const again = await runCli('export', '--db', db, '--format', 'trl', '--annotator', 'alice', '--out', out);
  expect(again.code).toBe(2);
  expect(again.err).toMatch(/already holds an export \(README\.md, train\.jsonl\); add --overwrite to replace it/);
  const empty = await runCli('export', '--db', db, '--format', 'trl', '--labels', 'auto:mc', '--out', out, '--overwrite', '--allow-empty');
  expect(empty.code).toBe(0);
  expect(fs.readdirSync(out).sort()).toEqual(['README.md', 'train.jsonl']);
  expect(fs.readFileSync(path.join(out, 'train.jsonl'), 'utf8')).toBe(before);
  expect((await runCli('export', '--db', db, '--format', 'trl', '--annotator', 'bob', '--out', out, '--overwrite')).code).toBe(0);
  expect(fs.readFileSync(path.join(out, 'train.jsonl'), 'utf8')).not.toBe(before);
});
