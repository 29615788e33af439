#!/usr/bin/env node
// The `metacot` command. The engine is TypeScript run through tsx, so the CLI, `serve`, tests
// and benchmarks all execute the same sources with no separate build step.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../main/engine/cli/index.ts');
process.exitCode = await main(process.argv);
