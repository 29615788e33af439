// Builds main, preload and renderer with electron-vite when any of their sources is newer than
// the built renderer, so `npm run serve` and the end-to-end tests always see current code.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const SOURCES = ['renderer', 'common', 'preload', 'main/electron', 'electron.vite.config.ts', 'package.json'];
const OUTPUT = path.join(root, 'out', 'renderer', 'index.html');

function newestMtime(p) {
  if (!fs.existsSync(p)) return 0;
  const stat = fs.statSync(p);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = stat.mtimeMs;
  for (const entry of fs.readdirSync(p)) {
    if (entry === 'node_modules') continue;
    newest = Math.max(newest, newestMtime(path.join(p, entry)));
  }
  return newest;
}

export function rendererIsStale() {
  if (!fs.existsSync(OUTPUT)) return true;
  const built = fs.statSync(OUTPUT).mtimeMs;
  return SOURCES.some((s) => newestMtime(path.join(root, s)) > built);
}

export async function ensureRendererBuilt({ force = false } = {}) {
  if (!force && !rendererIsStale()) return false;
  const bin = path.join(root, 'node_modules', '.bin', 'electron-vite');
  const result = spawnSync(bin, ['build'], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8' });
  if (result.status !== 0) {
    throw new Error(`electron-vite build failed (exit ${result.status}):\n${result.stdout}\n${result.stderr}`);
  }
  return true;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const built = await ensureRendererBuilt({ force: process.argv.includes('--force') });
  process.stdout.write(built ? 'studio built into out/\n' : 'studio build is up to date\n');
}
