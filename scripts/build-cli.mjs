// Bundles the `metacot` command and its worker threads into out/cli/ as plain JavaScript (esbuild),
// so the command starts without compiling TypeScript (bin/metacot.js). Runs at `npm install`
// (prepare) and `npm run build`. Packages stay in node_modules (native ones must); each command is
// its own chunk, loaded only when it runs. out/cli/manifest.json lists every source file with its
// modification time: bin/metacot.js falls back to the TypeScript sources when one has changed.
import { build } from 'esbuild';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
// Two levels below the root, like main/engine/: paths.ts finds the package root from either.
const OUT = path.join(root, 'out', 'cli');

export async function buildCli() {
  const staging = `${OUT}.tmp-${process.pid}`;
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
  // Swap the whole folder in, so a command starting meanwhile sees the old bundle or the new one.
  const old = `${OUT}.old-${process.pid}`;
  if (fs.existsSync(OUT)) fs.renameSync(OUT, old);
  fs.renameSync(staging, OUT);
  fs.rmSync(old, { recursive: true, force: true });
  return Object.keys(inputs).length;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const count = await buildCli();
  process.stdout.write(`metacot command bundled into out/cli/ (${count} source files)\n`);
}
