/** `metacot import` that imports nothing leaves no database behind, and a missing file is named. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect, test } from 'vitest';
import { Store } from '../../../main/engine/store/store';
import { runCli } from '../../helpers/cli';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'metacot-import-nothing-'));

test('a missing file: exit 2 naming it, no database created', async () => {
  const db = path.join(dir, 'never.db');
  const r = await runCli('import', '--db', db, '--format', 'problems', path.join(dir, 'missing.jsonl'));
  expect(r.code).toBe(2);
  expect(r.err).toMatch(/cannot read .*missing\.jsonl: ENOENT/);
  expect(fs.readdirSync(dir).filter((f) => f.startsWith('never.db'))).toEqual([]);
});

test('a file whose every line is bad: nothing imported, no new database; an existing one is kept', async () => {
  const bad = path.join(dir, 'bad.jsonl');
  fs.writeFileSync(bad, 'not json\n');
  const db = path.join(dir, 'new.db');
  expect((await runCli('import', '--db', db, '--format', 'trl', bad)).code).toBe(2);
  expect(fs.readdirSync(dir).filter((f) => f.startsWith('new.db'))).toEqual([]);

  const existing = path.join(dir, 'existing.db');
  Store.open(existing).close();
  expect((await runCli('import', '--db', existing, '--format', 'trl', bad)).code).toBe(2);
  expect(fs.existsSync(existing)).toBe(true);
});
