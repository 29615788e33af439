import type { Command } from 'commander';
import fs from 'node:fs';
import { buildSyntheticDb } from '../../sample/synthetic';
import { CliError, parseIntOption } from '../util';

export function registerSynthDb(program: Command): void {
  program
    .command('synth-db')
    .description('Build a synthetic database at scale (benchmarks, trying the studio on big data)')
    .requiredOption('--db <file>', 'database file to create (must not exist)')
    .option('--runs <n>', 'number of runs', parseIntOption('runs', 1, 1_000_000), 10_000)
    .option('--nodes-per-run <n>', 'mean nodes per run', parseIntOption('nodes-per-run', 2, 100_000), 100)
    .option('--big-run <n>', 'one extra run with exactly this many nodes (0: none)', parseIntOption('big-run', 0, 1_000_000), 10_000)
    .option('--seed <n>', 'random seed', parseIntOption('seed', 0), 1)
    .action((opts: { db: string; runs: number; nodesPerRun: number; bigRun: number; seed: number }) => {
      if (fs.existsSync(opts.db)) throw new CliError(`${opts.db} already exists; synth-db only creates new databases`);
      const start = performance.now();
      const built = buildSyntheticDb(opts.db, {
        runs: opts.runs,
        nodesPerRun: opts.nodesPerRun,
        bigRunNodes: opts.bigRun,
        seed: opts.seed,
        onProgress: (runs, nodes) => process.stderr.write(`\r${runs} runs, ${nodes} nodes`),
      });
      process.stderr.write('\n');
      process.stdout.write(
        `${opts.db}: ${built.runs} runs, ${built.nodes} nodes in ${((performance.now() - start) / 1000).toFixed(1)} s` +
          `${built.bigRunId ? ` (big run: ${built.bigRunId})` : ''}\n`,
      );
    });
}
