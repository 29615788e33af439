import type { Command } from 'commander';
import { TaskName } from '../../../../common/domain';
import { Engine } from '../../engine';
import { CliError, parseIntOption } from '../util';
import type { AgreementReport } from '../../../../common/contract/review';

const fmt = (x: number | null) => (x === null ? '—' : x.toFixed(3));

function printReport(title: string, r: AgreementReport): void {
  const out = process.stdout;
  out.write(`\n${title}: ${r.items} labeled steps, ${r.multiplyLabeled} labeled by 2+ annotators\n`);
  out.write(`  labels  -1: ${r.labelCounts['-1']}   0: ${r.labelCounts['0']}   +1: ${r.labelCounts['1']}\n`);
  out.write(`  Fleiss' kappa ${fmt(r.fleissKappa)}   Krippendorff's alpha nominal ${fmt(r.krippendorffAlphaNominal)}, interval ${fmt(r.krippendorffAlphaInterval)}\n`);
  for (const p of r.pairwiseCohen) out.write(`  Cohen's kappa ${p.a} × ${p.b}: ${fmt(p.kappa)} over ${p.items} steps\n`);
  for (const a of r.perAnnotator) {
    const gold = a.goldAccuracy === null ? 'no gold' : `gold accuracy ${(a.goldAccuracy * 100).toFixed(1)}% of ${a.goldItems}`;
    const pace = a.secondsPerStep === null ? '' : `, ${a.secondsPerStep.toFixed(1)} s/step`;
    out.write(`  ${a.annotator}: ${a.labeled} labels (${a.counts['-1']}/${a.counts['0']}/${a.counts['1']}), ${gold}${pace}\n`);
  }
}

export function registerAgreement(program: Command): void {
  program
    .command('agreement')
    .description("Inter-annotator agreement (Cohen's, Fleiss' kappa, Krippendorff's alpha), label balance, gold accuracy")
    .requiredOption('--db <file>', 'database file')
    .option('--task <task>', 'only this task')
    .option('--run <id>', 'only this run', parseIntOption('run', 1))
    .option('--json', 'print JSON instead of a report')
    .action(async (opts: { db: string; task?: string; run?: number; json?: boolean }) => {
      const task = opts.task === undefined ? undefined : TaskName.safeParse(opts.task);
      if (task && !task.success) throw new CliError(`unknown task "${opts.task}" (tasks: ${TaskName.options.join(', ')})`);
      const engine = Engine.open(opts.db, { mustExist: true });
      try {
        const result = await engine.call('agreement', { task: task?.data, runId: opts.run });
        if (!result.ok) throw new CliError(result.error.message);
        const value = result.value as { overall: AgreementReport; byTask: AgreementReport[] };
        if (opts.json) {
          process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
          return;
        }
        printReport('All tasks', value.overall);
        for (const r of value.byTask) printReport(`Task ${r.scope.task}`, r);
      } finally {
        engine.close();
      }
    });
}
