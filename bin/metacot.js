#!/usr/bin/env node
// The `metacot` command. The engine is TypeScript run through tsx, so the CLI, `serve`, tests
// and benchmarks all execute the same sources with no separate build step.
import { register } from 'tsx/esm/api';

register();
// `metacot runs | head`: a reader that closes the pipe early ends the output, not with a crash.
process.stdout.on('error', (error) => {
  if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw error;
});
const { main } = await import('../main/engine/cli/index.ts');
process.exitCode = await main(process.argv);
