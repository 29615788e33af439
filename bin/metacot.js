#!/usr/bin/env node
// The `metacot` command. It runs the prebuilt JavaScript in out/cli/ (scripts/cli-bundle.mjs, built
// at `npm install` and `npm run build`) while every source file it was built from is unchanged;
// otherwise (a source checkout being edited, or no build yet) it runs the TypeScript through tsx,
// which compiles at each start. METACOT_CLI=source forces the TypeScript path.
import { bundleIsFresh, CLI_BUNDLE_DIR } from '../scripts/cli-bundle.mjs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

// `metacot runs | head`: a reader that closes the pipe early ends the output, not with a crash.
process.stdout.on('error', (error) => {
  if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw error;
});
let main;
if (process.env.METACOT_CLI !== 'source' && bundleIsFresh()) {
  ({ main } = await import(pathToFileURL(path.join(CLI_BUNDLE_DIR, 'metacot.js')).href));
} else {
  const { register } = await import('tsx/esm/api');
  register();
  ({ main } = await import('../main/engine/cli/index.ts'));
}
process.exitCode = await main(process.argv);
