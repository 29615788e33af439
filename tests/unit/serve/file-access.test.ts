/** Under serve, exports and imports stay inside the files folder; links cannot lead out. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { Engine } from '../../../main/engine/engine';
import { seedSampleTree } from '../../helpers/seed';

let dir: string;
let files: string;
let engine: Engine;
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'metacot-files-'));
  files = path.join(dir, 'files');
  fs.mkdirSync(files);
  engine = new Engine(seedSampleTree(path.join(dir, 'f.db')).store);
  engine.context.fileRoot = files;
});
afterAll(() => engine.close());

test('an export into a relative folder lands inside the files folder', async () => {
  const r = await engine.call('exportData', { format: 'trl', outDir: 'run-1', labels: { kind: 'exact' } });
  expect(r.ok).toBe(true);
  expect(fs.readdirSync(path.join(files, 'run-1'))).toContain('README.md');
});

test('absolute paths elsewhere, ../ escapes and links out are refused, and nothing is written', async () => {
  const outside = path.join(dir, 'outside');
  for (const outDir of [outside, '../outside', 'a/../../outside']) {
    const r = await engine.call('exportData', { format: 'trl', outDir });
    expect(r).toMatchObject({ ok: false, error: { code: 'forbidden' } });
  }
  fs.symlinkSync(dir, path.join(files, 'link'));
  const viaLink = await engine.call('exportData', { format: 'trl', outDir: 'link/outside' });
  expect(viaLink).toMatchObject({ ok: false, error: { code: 'forbidden', message: expect.stringMatching(/through a link/) } });
  expect(fs.existsSync(outside)).toBe(false);
  const read = await engine.call('importData', { format: 'problems', path: '/etc/passwd' });
  expect(read).toMatchObject({ ok: false, error: { code: 'forbidden' } });
});
