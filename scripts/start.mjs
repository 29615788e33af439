// `npm start`: make sure the Electron binary is there (first, so a machine that cannot fetch it
// hears so at once, with the browser alternative), build the studio if its sources changed, make
// sure the sample database and the Electron-ABI native build exist, then open the desktop window.
import { spawn, spawnSync } from 'node:child_process';
import { promises as dns } from 'node:dns';
import fs from 'node:fs';
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

const BROWSER_HINT =
  'Open the same studio in a browser instead:  npm run serve\n' +
  '  (Electron later: `npx install-electron --no` where its download host is reachable, or set\n' +
  '  ELECTRON_OVERRIDE_DIST_PATH to an unpacked Electron, or ELECTRON_MIRROR to a reachable mirror.)';

/** Where Electron's installer downloads from (its default unless a mirror is configured). */
function downloadHost() {
  const mirror = process.env.ELECTRON_MIRROR ?? process.env.npm_config_electron_mirror ?? 'https://github.com/electron/electron/releases/download/';
  try {
    return new URL(mirror).hostname;
  } catch {
    return null;
  }
}

/**
 * The Electron executable. electron's own index.js downloads a missing binary when first required,
 * which offline takes minutes of silence and ends in a stack trace; so a missing binary is fetched
 * here, after a quick check that the download host resolves, with the useful hint on failure.
 */
async function electronBinary() {
  const electronDir = path.dirname(require.resolve('electron/package.json'));
  const pathFile = path.join(electronDir, 'path.txt');
  const installed = fs.existsSync(pathFile) && fs.existsSync(path.join(electronDir, 'dist', fs.readFileSync(pathFile, 'utf8')));
  if (!installed && !process.env.ELECTRON_OVERRIDE_DIST_PATH) {
    const host = downloadHost();
    const proxied = ['HTTPS_PROXY', 'https_proxy', 'GLOBAL_AGENT_HTTPS_PROXY'].some((k) => process.env[k]);
    if (host && !proxied) {
      try {
        await dns.lookup(host);
      } catch (error) {
        fail(`the desktop app needs Electron's binary, which is not installed and cannot be downloaded from here (${host}: ${error.code ?? error.message}).\n${BROWSER_HINT}`);
      }
    }
    process.stderr.write('npm start: downloading the Electron binary (first start, about 100 MB)...\n');
    const download = spawnSync(process.execPath, [path.join(electronDir, 'install.js')], { stdio: ['ignore', 'inherit', 'pipe'], encoding: 'utf8' });
    if (download.status !== 0) {
      const reason = (download.stderr ?? '').split('\n').find((line) => /error/i.test(line))?.trim() ?? `exit code ${download.status}`;
      fail(`could not download Electron's binary (${reason}).\n${BROWSER_HINT}`);
    }
  }
  try {
    return require('electron');
  } catch (error) {
    fail(`the Electron binary is not available: ${error.message.split('\n')[0]}\n${BROWSER_HINT}`);
  }
}

const electron = await electronBinary();
await ensureRendererBuilt();

// The sample database (grown by the bundled model) is created on first start.
const sample = spawnSync(process.execPath, [path.join(root, 'bin', 'metacot.js'), 'sample-db', '--if-missing'], { stdio: 'inherit' });
if (sample.status !== 0) fail('could not create the sample database (see above)');

let binding;
try {
  binding = await ensureElectronSqlite();
} catch (error) {
  fail(`could not build better-sqlite3 for Electron: ${error.message}\n` +
    'This needs Electron headers from the network once. Without them, use `npm run serve` (same studio in a browser).');
}

const child = spawn(electron, [root], {
  stdio: 'inherit',
  env: { ...process.env, METACOT_SQLITE_BINDING: binding },
});
child.on('exit', (code) => process.exit(code ?? 0));
