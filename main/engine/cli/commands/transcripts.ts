/**
 * `metacot transcripts`: search statistics of long-CoT trees (attempts, backtracks,
 * verifications, depth, tokens per branch, Failed-Step Fraction), per run and over the corpus.
 */
import type { Command } from 'commander';
import { TaskName } from '../../../../common/domain';
import { statsOfRuns, transcriptRunIds } from '../../longcot/view';
import { Store } from '../../store/store';
import { CliError, parseIntOption } from '../util';

interface Options {
  db: string;
  run?: number[];
  task?: string;
  json?: boolean;
}

const fixed = (x: number, digits = 2) => x.toFixed(digits);

export function registerTranscripts(program: Command): void {
  program
    .command('transcripts')
    .description('Search statistics of imported long chains of thought (attempts, backtracks, Failed-Step Fraction)')
    .requiredOption('--db <file>', 'database file')
    .option('--run <id>', 'only this run (repeatable)', (v: string, prev: number[] = []) => [...prev, parseIntOption('run', 1)(v)])
    .option('--task <task>', 'only problems of this task')
    .option('--json', 'print per-run and corpus statistics as JSON')
    .action((o: Options) => {
      const task = o.task === undefined ? undefined : TaskName.safeParse(o.task);
      if (task && !task.success) throw new CliError(`unknown task "${o.task}"`);
      const store = Store.open(o.db, { create: false });
      try {
        const ids = transcriptRunIds(store.connection, { runIds: o.run, task: task?.data });
        const { corpus, runs } = statsOfRuns(store.connection, ids);
        if (o.json) {
          process.stdout.write(`${JSON.stringify({ corpus, runs }, null, 2)}\n`);
          return;
        }
        if (corpus.transcripts === 0) {
          process.stdout.write(`no transcripts in ${o.db} (import some with metacot import --format long-cot)\n`);
          return;
        }
        const c = corpus;
        process.stdout.write(
          [
            `transcripts            ${c.transcripts}`,
            `steps                  ${c.steps} (${fixed(c.meanSteps, 1)} per transcript)`,
            `attempts               ${fixed(c.meanAttempts)} per transcript`,
            `backtracks             ${fixed(c.meanBacktracks)} per transcript`,
            `verifications          ${fixed(c.meanVerifications)} per transcript`,
            `depth                  ${fixed(c.meanDepth, 1)} (mean deepest step)`,
            `tokens per branch      ${fixed(c.meanTokensPerBranch, 0)} (estimated, 4 characters a token)`,
            `Failed-Step Fraction   ${fixed(c.failedStepFraction, 3)} of all steps (mean per transcript ${fixed(c.meanFailedStepFraction, 3)})`,
            `final answers correct  ${c.correct} of ${c.checked} checked against a gold answer`,
            `tags                   ${Object.entries(c.tags).map(([t, n]) => `${t} ${n}`).join(', ')}`,
          ].join('\n') + '\n',
        );
      } finally {
        store.close();
      }
    });
}
