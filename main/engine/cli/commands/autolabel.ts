import type { Command } from 'commander';
import { Engine } from '../../engine';
import { autolabelRun } from '../../api/suggest';
import { listenForInterrupt } from '../interrupt';
import { CliError, parseIntOption } from '../util';

const METHODS = ['mc', 'first-error', 'exact', 'scorer'] as const;
type Method = (typeof METHODS)[number];

export function registerAutolabel(program: Command): void {
  program
    .command('autolabel')
    .description('Automatic step labels as suggestions (never replacing human labels): Monte-Carlo, first-error search, exact, scorer')
    .requiredOption('--db <file>', 'database file')
    .requiredOption('--method <method>', `one of ${METHODS.join(', ')}`)
    .option('--run <id>', 'only this run (default: every finished run)', parseIntOption('run', 1))
    .option('--rollouts <n>', 'rollouts per estimate (mc, first-error)', parseIntOption('rollouts', 1, 256), 8)
    .option('--policy <name>', "rollout policy (default: each run's own)")
    .option('--scorer <name>', "scorer for --method scorer (default: each run's own)")
    .action(async (opts: { db: string; method: string; run?: number; rollouts: number; policy?: string; scorer?: string }) => {
      if (!(METHODS as readonly string[]).includes(opts.method)) {
        throw new CliError(`unknown --method "${opts.method}" (methods: ${METHODS.join(', ')})`);
      }
      const engine = Engine.open(opts.db, { mustExist: true });
      const interrupt = listenForInterrupt();
      try {
        const runIds =
          opts.run !== undefined
            ? [opts.run]
            : engine.store.runs.idsWithStatus(['done', 'cancelled', 'interrupted']);
        let total = 0;
        for (const runId of runIds) {
          if (interrupt.signal.aborted) break;
          try {
            const r = await autolabelRun(
              engine.store,
              { runId, method: opts.method as Method, rollouts: opts.rollouts, policy: opts.policy, scorer: opts.scorer },
              { signal: interrupt.signal },
            );
            total += r.labeled;
            process.stdout.write(`run ${runId}: ${r.labeled} ${opts.method === 'first-error' ? 'paths with a first error' : 'steps labeled'}${r.batches !== undefined ? ` (${r.batches} rollout batches)` : ''}\n`);
          } catch (error) {
            if (interrupt.signal.aborted) break;
            throw new CliError(`run ${runId}: ${(error as Error).message}`);
          }
        }
        process.stdout.write(`${interrupt.signal.aborted ? 'cancelled; saved so far: ' : ''}${total} labels over ${runIds.length} runs\n`);
      } finally {
        interrupt.dispose();
        engine.close();
      }
      const interrupted = interrupt.exitError('the labels written so far are kept');
      if (interrupted) throw interrupted;
    });
}
