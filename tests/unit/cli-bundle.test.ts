/**
 * The prebuilt `metacot` (scripts/cli-bundle.mjs): it runs commands and worker threads as plain
 * JavaScript, and a bundle built from other sources than those on disk is known to be stale.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { buildCli, bundleIsFresh, CLI_BUNDLE_DIR } from '../../scripts/cli-bundle.mjs';

const outDir = `${CLI_BUNDLE_DIR}-test-${process.pid}`;
beforeAll(async () => {
  expect(await buildCli(outDir)).toBeGreaterThan(50);
});
afterAll(() => fs.rmSync(outDir, { recursive: true, force: true }));

/** Runs the bundled command in a child process (a two-line runner beside it, as bin/metacot.js imports it). */
function bundled(...args: string[]) {
  const runner = path.join(outDir, 'run.mjs');
  if (!fs.existsSync(runner)) fs.writeFileSync(runner, "const { main } = await import('./metacot.js');\nprocess.exitCode = await main(process.argv);\n");
  return spawnSync(process.execPath, [runner, ...args], { encoding: 'utf8' });
}

test('the bundle runs a search on worker threads of its own and lists the runs', () => {
  const db = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'metacot-bundle-')), 'trees.db');
  const search = bundled('search', '--task', 'countdown', '--count', '3', '--algo', 'bfs', '--budget', '10', '--policy', 'enumerator', '--scorer', 'exact', '--workers', '2', '--db', db);
  expect(search.stderr).toBe(''); // a worker that could not start would warn here and run inline
  expect(search.status).toBe(0);
  expect(search.stdout).toMatch(/3 runs: \d+ solved/);
  const runs = bundled('runs', '--db', db);
  expect(runs.status).toBe(0);
  expect(runs.stdout).toMatch(/countdown\s+bfs\s+3\s+3\s/);
  const unknown = bundled('nosuch');
  expect(unknown.status).toBe(2);
  expect(unknown.stderr).toMatch(/unknown command 'nosuch'/);
});

test('a bundle is fresh only while every source it was built from is unchanged', () => {
  expect(bundleIsFresh(outDir)).toBe(true);
  const manifestFile = path.join(outDir, 'manifest.json');
  const manifest = JSON.parse(fs.readFileSync(manifestFile, 'utf8')) as { inputs: Record<string, number> };
  expect(Object.keys(manifest.inputs)).toContain('main/engine/cli/index.ts');
  const changed = { inputs: { ...manifest.inputs, 'main/engine/cli/index.ts': manifest.inputs['main/engine/cli/index.ts']! - 1000 } };
  fs.writeFileSync(manifestFile, JSON.stringify(changed));
  expect(bundleIsFresh(outDir)).toBe(false);
  fs.writeFileSync(manifestFile, JSON.stringify({ inputs: { ...manifest.inputs, 'main/engine/gone.ts': 1 } }));
  expect(bundleIsFresh(outDir)).toBe(false);
  fs.writeFileSync(manifestFile, JSON.stringify(manifest));
  expect(bundleIsFresh(outDir)).toBe(true);
  expect(bundleIsFresh(`${outDir}-missing`)).toBe(false);
});
