// The `metacot` command as plain JavaScript: esbuild bundles it and its worker threads into out/cli/
// so the command starts without compiling TypeScript (bin/metacot.js). Built at `npm install`
// (prepare) and `npm run build` (`node scripts/cli-bundle.mjs`). Packages stay in node_modules
// (native ones must); each command is its own chunk, loaded only when it runs. manifest.json lists
// every source file with its modification time, so a command can tell a bundle built from other
// sources than those on disk (bundleIsFresh) and run the TypeScript instead.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
// Two levels below the root, like main/engine/: paths.ts finds the package root from either.
export const CLI_BUNDLE_DIR = path.join(root, 'out', 'cli');

/** Builds the bundle into `outDir` (swapped in whole when done); returns how many source files went in. */
export async function buildCli(outDir = CLI_BUNDLE_DIR) {
  const { build } = await import('esbuild');
  const staging = `${outDir}.tmp-${process.pid}`;
  fs.rmSync(staging, { recursive: true, force: true });
  const result = await build({
    absWorkingDir: root,
    entryPoints: {
      metacot: 'main/engine/cli/bundle-entry.ts',
      'search-worker': 'main/engine/search/worker/search-worker.ts',
      'writer-thread': 'main/engine/search/writer/writer-thread.ts',
    },
    outdir: staging,
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    packages: 'external',
    sourcemap: 'linked',
    metafile: true,
    logLevel: 'warning',
  });
  const inputs = {};
  for (const file of Object.keys(result.metafile.inputs)) inputs[file] = fs.statSync(path.join(root, file)).mtimeMs;
  fs.writeFileSync(path.join(staging, 'manifest.json'), JSON.stringify({ inputs }));
  // A command starting meanwhile sees the old bundle, none (and runs the sources), or the new one.
  const old = `${outDir}.old-${process.pid}`;
  if (fs.existsSync(outDir)) fs.renameSync(outDir, old);
  fs.renameSync(staging, outDir);
  fs.rmSync(old, { recursive: true, force: true });
  return Object.keys(inputs).length;
}

/** Whether the bundle in `outDir` was built from exactly the source files on disk now (one stat each). */
export function bundleIsFresh(outDir = CLI_BUNDLE_DIR) {
  let manifest;
  try {
    manifest = JSON.parse(fs.readFileSync(path.join(outDir, 'manifest.json'), 'utf8'));
  } catch {
    return false;
  }
  for (const [file, mtimeMs] of Object.entries(manifest.inputs)) {
    const stat = fs.statSync(path.join(root, file), { throwIfNoEntry: false });
    if (!stat || stat.mtimeMs !== mtimeMs) return false;
  }
  return true;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const count = await buildCli();
  process.stdout.write(`metacot command bundled into out/cli/ (${count} source files)\n`);
}
