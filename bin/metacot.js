#!/usr/bin/env node
// The `metacot` command. It runs the prebuilt JavaScript in out/cli/ (scripts/build-cli.mjs, built
// at `npm install` and `npm run build`) while every source file it was built from is unchanged;
// otherwise (a source checkout being edited, or no build yet) it runs the TypeScript through tsx,
// which compiles at each start. METACOT_CLI=source forces the TypeScript path.
import fs from 'node:fs';

const bundleDir = new URL('../out/cli/', import.meta.url);
const root = new URL('../', import.meta.url);

/** Whether out/cli/ was built from exactly the sources on disk now. */
function bundleIsFresh() {
  if (process.env.METACOT_CLI === 'source') return false;
  let manifest;
  try {
    manifest = JSON.parse(fs.readFileSync(new URL('manifest.json', bundleDir), 'utf8'));
  } catch {
    return false;
  }
  for (const [file, mtimeMs] of Object.entries(manifest.inputs)) {
    const stat = fs.statSync(new URL(file, root), { throwIfNoEntry: false });
    if (!stat || stat.mtimeMs !== mtimeMs) return false;
  }
  return true;
}

// `metacot runs | head`: a reader that closes the pipe early ends the output, not with a crash.
process.stdout.on('error', (error) => {
  if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw error;
});
let main;
if (bundleIsFresh()) {
  ({ main } = await import(new URL('metacot.js', bundleDir)));
} else {
  const { register } = await import('tsx/esm/api');
  register();
  ({ main } = await import('../main/engine/cli/index.ts'));
}
process.exitCode = await main(process.argv);
