/**
 * `npm start` where Electron's binary is missing and cannot be downloaded: it says so first, with
 * the browser alternative, and stops before building anything or creating the sample database;
 * no stack trace. The download host is a name under `.invalid`, which never resolves (RFC 2606),
 * so the test behaves the same with or without a network.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { expect, test } from 'vitest';

const require = createRequire(import.meta.url);
const electronDir = path.dirname(require.resolve('electron/package.json'));
const installed = fs.existsSync(path.join(electronDir, 'path.txt'));
if (installed) console.log('skipping the npm start test: the Electron binary is installed here');

test.skipIf(installed)('without an Electron binary, npm start fails at once with the npm run serve hint and no stack trace', () => {
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'metacot-start-'));
  const env: NodeJS.ProcessEnv = { ...process.env, METACOT_HOME: home, ELECTRON_MIRROR: 'https://electron-mirror.invalid/' };
  for (const k of ['HTTPS_PROXY', 'https_proxy', 'GLOBAL_AGENT_HTTPS_PROXY', 'ELECTRON_OVERRIDE_DIST_PATH']) delete env[k];
  const r = spawnSync(process.execPath, ['scripts/start.mjs'], { encoding: 'utf8', env });
  expect(r.status).toBe(1);
  const lines = r.stderr.trim().split('\n');
  expect(lines[0]).toMatch(/^npm start: the desktop app needs Electron's binary, which is not installed and cannot be downloaded from here \(electron-mirror\.invalid: [A-Z_]+\)/);
  expect(lines[1]).toMatch(/npm run serve/);
  expect(r.stderr).not.toMatch(/^\s+at /m);
  expect(r.stdout).toBe('');
  expect(fs.readdirSync(home)).toEqual([]); // the sample database was not started on
});
