// better-sqlite3 is a native addon compiled for one ABI. Plain Node (CLI, serve, tests) uses the
// package's own build. Electron needs a build for its own ABI: we keep that one in a separate
// cache folder, built once per Electron version with @electron/rebuild, and point the engine at
// it through METACOT_SQLITE_BINDING, so neither runtime ever overwrites the other's binary.
// (onnxruntime-node uses N-API, which is ABI-stable: one binary serves both.)
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);

export function electronVersion() {
  return require('electron/package.json').version;
}

/** Path of the Electron-ABI better-sqlite3 binary, building it first when missing. */
export async function ensureElectronSqlite() {
  const version = electronVersion();
  const cache = path.join(root, 'node_modules', '.cache', 'metacot-native', `electron-${version}`);
  const binary = path.join(cache, 'node_modules', 'better-sqlite3', 'build', 'Release', 'better_sqlite3.node');
  if (fs.existsSync(binary)) return binary;
  process.stdout.write(`Building better-sqlite3 for Electron ${version} (once)...\n`);
  const source = path.dirname(require.resolve('better-sqlite3/package.json'));
  fs.rmSync(cache, { recursive: true, force: true });
  fs.mkdirSync(path.join(cache, 'node_modules'), { recursive: true });
  fs.cpSync(source, path.join(cache, 'node_modules', 'better-sqlite3'), {
    recursive: true,
    filter: (p) => !p.includes(`${path.sep}build${path.sep}`),
  });
  fs.writeFileSync(
    path.join(cache, 'package.json'),
    JSON.stringify({ name: 'metacot-native-cache', private: true, dependencies: { 'better-sqlite3': '*' } }),
  );
  const { rebuild } = await import('@electron/rebuild');
  await rebuild({ buildPath: cache, electronVersion: version, onlyModules: ['better-sqlite3'], force: true });
  if (!fs.existsSync(binary)) throw new Error(`Electron build of better-sqlite3 did not produce ${binary}`);
  return binary;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  process.stdout.write(`${await ensureElectronSqlite()}\n`);
}
