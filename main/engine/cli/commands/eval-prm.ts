/**
 * `metacot eval-prm`: how well a scorer (PRM) finds wrong steps, against gold, human or exact
 * labels: ProcessBench's error/correct accuracy and F1, PRMBench's PRMScore per error class, ROC
 * AUC, and Best-of-N reranking. Step scores are stored as they come, so Ctrl+C keeps them and the
 * next run resumes; every evaluation is stored under the scorer's name (`--compare` lists them).
 */
import cliProgress from 'cli-progress';
import type { Command } from 'commander';
import { EvalInputError, evaluatePrm, listEvaluations, type EvalResult } from '../../eval/evaluate';
import { REFERENCES, type ReferenceChoice } from '../../eval/reference';
import { ModelError } from '../../models/errors';
import { ProviderError } from '../../providers';
import { Store } from '../../store/store';
import { CliError } from '../util';

interface EvalCliOptions {
  db: string;
  scorer?: string;
  runs?: string;
  against: string;
  threshold?: string;
  tuneOn?: string;
  policy?: string;
  json?: boolean;
  compare?: boolean;
}

/** `1,2,7-9` → [1, 2, 7, 8, 9]. */
export function parseRunList(value: string): number[] {
  const ids: number[] = [];
  for (const part of value.split(',').map((s) => s.trim()).filter(Boolean)) {
    const m = /^(\d+)(?:-(\d+))?$/.exec(part);
    if (!m) throw new CliError(`--runs: "${part}" is not a run id or a range like 3-9`);
    const from = Number(m[1]);
    const to = m[2] === undefined ? from : Number(m[2]);
    if (to < from || to - from > 1_000_000) throw new CliError(`--runs: the range ${part} is backwards or too long`);
    for (let id = from; id <= to; id++) ids.push(id);
  }
  if (!ids.length) throw new CliError('--runs names no run');
  return ids;
}

function fraction(name: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isFinite(n)) throw new CliError(`--${name} must be a number, got "${value}"`);
  return n;
}

const pct = (x: number | null) => (x === null ? '-' : `${(x * 100).toFixed(1)}%`);
const num = (x: number | null) => (x === null ? '-' : x.toFixed(3));

function report(r: EvalResult): string {
  const t = r.threshold.tuned
    ? `${r.threshold.value} (tuned on ${r.threshold.tuned.runs} runs, ${pct(r.threshold.tuned.fraction)} of them, F1 there ${num(r.threshold.tuned.f1)})`
    : String(r.threshold.value);
  const pb = r.processBench;
  const lines = [
    `scorer ${r.scorer} against ${r.reference} labels: ${r.runs} runs, ${r.paths} paths, ${r.labeledSteps} of ${r.steps} steps labeled; threshold ${t}`,
    `ProcessBench  error acc ${pct(pb.errorAccuracy)} (${pb.erroneous} paths)  correct acc ${pct(pb.correctAccuracy)} (${pb.correct} paths)  F1 ${pct(pb.f1)}`,
    `steps         ROC AUC ${num(r.stepLevel.auc)}  F1 ${num(r.stepLevel.f1)}  negative F1 ${num(r.stepLevel.negativeF1)}  PRMScore ${num(r.stepLevel.prmScore)}`,
  ];
  if (r.prmBench) {
    lines.push(`PRMBench      PRMScore ${num(r.prmBench.overall.prmScore)} overall`);
    for (const [c, s] of Object.entries(r.prmBench.byClass)) lines.push(`  ${c.padEnd(22)} PRMScore ${num(s.prmScore)}  (F1 ${num(s.f1)}, negative F1 ${num(s.negativeF1)})`);
  }
  const b = r.bestOfN;
  lines.push(
    b.runs
      ? `Best-of-N     ${b.runs} runs, mean N ${num(b.meanN)}: min ${pct(b.accuracy.min)}  last ${pct(b.accuracy.last)}  product ${pct(b.accuracy.product)}  (random ${pct(b.random)}, oracle ${pct(b.oracle)})`
      : 'Best-of-N     no run with two or more finished, checked paths',
  );
  lines.push(`stored as evaluation ${r.id}`);
  return `${lines.join('\n')}\n`;
}

function compareTable(store: Store): string {
  const rows = listEvaluations(store);
  if (!rows.length) return 'no stored evaluations\n';
  const head = 'id  scorer                          against  runs  threshold  PB F1   AUC    PRMScore  BoN min';
  const body = rows.map((e) => {
    const m = e.metrics;
    return [
      String(e.id).padEnd(3),
      e.scorer.slice(0, 30).padEnd(31),
      e.reference.padEnd(8),
      String(m.runs).padStart(5),
      String(e.threshold).padStart(10),
      pct(m.processBench.f1).padStart(7),
      num(m.stepLevel.auc).padStart(6),
      num(m.prmBench?.overall.prmScore ?? m.stepLevel.prmScore).padStart(9),
      pct(m.bestOfN.accuracy.min).padStart(8),
    ].join(' ');
  });
  return `${[head, ...body].join('\n')}\n`;
}

export function registerEvalPrm(program: Command): void {
  program
    .command('eval-prm')
    .description('Measure a scorer (PRM) against gold, human or exact step labels: ProcessBench F1, PRMBench PRMScore, ROC AUC, Best-of-N')
    .requiredOption('--db <file>', 'database file')
    .option('--scorer <name>', 'scorer to evaluate, as metacot search --scorer takes it (countdown-prm, onnx:DIR, vllm-prm:URL#model, ...)')
    .option('--runs <ids>', 'only these runs: 1,2,7-9 (default: every finished run)')
    .option('--against <labels>', `reference labels: ${REFERENCES.join(' | ')} (auto: gold, else exact, else human)`, 'auto')
    .option('--threshold <x>', 'score below which a step counts as wrong (default 0.5)')
    .option('--tune-on <fraction>', 'tune the threshold on this share of the runs and report the rest')
    .option('--policy <name>', 'policy for scorers that roll one out (rollout:N)')
    .option('--json', 'print the result as JSON')
    .option('--compare', 'list the stored evaluations side by side and exit')
    .action(async (opts: EvalCliOptions) => {
      const store = Store.open(opts.db, { create: false });
      try {
        if (opts.compare) {
          process.stdout.write(compareTable(store));
          return;
        }
        if (!opts.scorer) throw new CliError('give --scorer <name> (or --compare to list stored evaluations)');
        if (!(REFERENCES as readonly string[]).includes(opts.against)) throw new CliError(`--against must be one of ${REFERENCES.join(', ')}`);
        if (opts.threshold !== undefined && opts.tuneOn !== undefined) throw new CliError('give --threshold or --tune-on, not both');
        const controller = new AbortController();
        const cancel = () => controller.abort();
        process.once('SIGINT', cancel);
        const bar = process.stderr.isTTY
          ? new cliProgress.SingleBar({ format: 'scoring [{bar}] {value}/{total} steps', hideCursor: true }, cliProgress.Presets.shades_classic)
          : null;
        let started = false;
        try {
          const result = await evaluatePrm(store, {
            scorer: opts.scorer,
            runIds: opts.runs ? parseRunList(opts.runs) : undefined,
            reference: opts.against as ReferenceChoice,
            threshold: fraction('threshold', opts.threshold),
            tuneOn: fraction('tune-on', opts.tuneOn),
            policy: opts.policy,
            signal: controller.signal,
            onProgress: (done, total) => {
              if (!started) bar?.start(total, done);
              started = true;
              bar?.update(done);
            },
          });
          bar?.stop();
          process.stdout.write(opts.json ? `${JSON.stringify(result, null, 2)}\n` : report(result));
        } catch (error) {
          bar?.stop();
          if (controller.signal.aborted) throw new CliError('cancelled; the step scores so far are stored, and the next eval-prm resumes from them');
          // What the user can fix: the request, the scorer's name, or the model or server it names.
          if (error instanceof EvalInputError || error instanceof ProviderError || error instanceof ModelError) throw new CliError(error.message);
          throw error;
        } finally {
          process.off('SIGINT', cancel);
        }
      } finally {
        store.close();
      }
    });
}
