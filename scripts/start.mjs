// `npm start`: build the studio if its sources changed, make sure the sample database and the
// Electron-ABI native build exist, then open the desktop window.
import { spawn, spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureRendererBuilt } from './ensure-build.mjs';
import { ensureElectronSqlite } from './native.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);

function fail(message) {
  process.stderr.write(`npm start: ${message}\n`);
  process.exit(1);
}

await ensureRendererBuilt();

// The sample database (grown by the bundled model) is created on first start.
const sample = spawnSync(process.execPath, [path.join(root, 'bin', 'metacot.js'), 'sample-db', '--if-missing'], { stdio: 'inherit' });
if (sample.status !== 0) fail('could not create the sample database (see above)');

let electronBinary;
try {
  electronBinary = require('electron'); // downloads the Electron binary on first use
} catch (error) {
  fail(`the Electron binary is not available: ${error.message}\nUse \`npm run serve\` to open the studio in a browser instead.`);
}

let binding;
try {
  binding = await ensureElectronSqlite();
} catch (error) {
  fail(`could not build better-sqlite3 for Electron: ${error.message}\n` +
    'This needs Electron headers from the network once. Without them, use `npm run serve` (same studio in a browser).');
}

const child = spawn(electronBinary, [root], {
  stdio: 'inherit',
  env: { ...process.env, METACOT_SQLITE_BINDING: binding },
});
child.on('exit', (code) => process.exit(code ?? 0));
