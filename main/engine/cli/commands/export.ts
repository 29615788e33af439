/**
 * `metacot export`: PRM training data and Meta-CoT corpora from a database, as JSONL or Parquet
 * with a dataset card. Options map one to one onto the export API's options.
 */
import type { Command } from 'commander';
import cliProgress from 'cli-progress';
import { z } from 'zod';
import { ApiError, invalidInput } from '../../../../common/contract/define';
import { EXPORT_FORMATS, ExportRequest, LabelSource, type ExportSummary } from '../../../../common/contract/export';
import { labelAlternatives, labelFlag } from '../../export/label-alternatives';
import { ExportExistsError, exportDataset, previewExport } from '../../export/run-export';
import { ExportQueries } from '../../export/queries';
import { Store } from '../../store/store';
import { CliError } from '../util';

interface ExportCliOptions {
  db: string;
  format: string;
  out?: string;
  parquet?: boolean;
  overwrite?: boolean;
  allowEmpty?: boolean;
  dryRun?: boolean;
  labels: string;
  annotator?: string;
  runs?: string;
  task?: string;
  status?: string;
  labelStatus: string;
  from?: string;
  to?: string;
  testFraction?: string;
  splitSeed?: string;
  includePruned?: boolean;
  neutral: string;
  stopAtFirstError?: boolean;
  fullyLabeled?: boolean;
  meta: boolean;
  spines: string;
  continueAfterError?: boolean;
  soft?: boolean;
  labelList?: boolean;
  stepNumbers: boolean;
  order: string;
  syntax: string;
  backtrack: string;
  keep: string;
  failedBranches?: string;
  dropRate?: string;
  dropTrace?: string;
  dropSeed?: string;
  lossMask: string;
  appendSolution?: boolean;
  chat?: boolean;
  stopAtGoal: boolean;
  traceLabels: boolean;
  chatPrompt: boolean;
  minMargin?: string;
  maxPairs?: string;
  target: string;
  minSolveRate?: string;
  maxSolveRate?: string;
  unmeasured: boolean;
  prmAggregate: string;
  variant: string;
}

const list = (value: string | undefined) => value?.split(',').map((s) => s.trim()).filter(Boolean);

/** `1,2,5-9` → [1, 2, 5, 6, 7, 8, 9]. */
export function parseRunList(value: string): number[] {
  const out: number[] = [];
  for (const part of list(value) ?? []) {
    const m = /^(\d+)(?:-(\d+))?$/.exec(part);
    if (!m) throw new CliError(`--runs: "${part}" is not a run id or a range like 5-9`);
    const from = Number(m[1]);
    const to = m[2] === undefined ? from : Number(m[2]);
    if (to < from || to - from > 1_000_000) throw new CliError(`--runs: bad range "${part}"`);
    for (let id = from; id <= to; id++) out.push(id);
  }
  return out;
}

/** `majority`, `adjudicated`, `exact`, `mc`, `auto:import`, `annotator:alice`. */
export function parseLabelSource(value: string): z.input<typeof LabelSource> {
  const [kind, rest] = value.includes(':') ? [value.slice(0, value.indexOf(':')), value.slice(value.indexOf(':') + 1)] : [value, ''];
  if (kind === 'annotator') return { kind, annotator: rest };
  if (kind === 'auto') return { kind, source: rest as 'import' };
  return { kind: kind as 'majority' };
}

const num = (value: string | undefined) => (value === undefined ? undefined : Number(value));

/** Each format's own options from the flags; a request carries only its format's entry. */
function formatOptionsFromCli(o: ExportCliOptions): Record<string, [key: string, options: unknown]> {
  return {
    trl: [
      'trl',
      { neutralAs: o.neutral, stopAtFirstError: o.stopAtFirstError ?? false, fullyLabeledOnly: o.fullyLabeled ?? false, meta: o.meta },
    ],
    prm800k: ['prm800k', { spines: o.spines, stopAtFirstError: !o.continueAfterError }],
    'math-shepherd': [
      'mathShepherd',
      {
        variant: o.soft ? 'soft' : 'hard',
        labelStyle: o.labelList ? 'list' : 'text',
        neutralAs: o.neutral === 'false' ? '-' : '+',
        stepNumbers: o.stepNumbers,
      },
    ],
    trace: [
      'trace',
      {
        order: o.order,
        syntax: o.syntax,
        backtrack: o.backtrack,
        keep: o.keep,
        failedBranches: num(o.failedBranches),
        drop: { rate: num(o.dropRate), wholeTrace: num(o.dropTrace), seed: num(o.dropSeed) },
        lossMask: o.lossMask,
        appendSolution: o.appendSolution ?? false,
        style: o.chat ? 'chat' : 'sft',
        stopAtGoal: o.stopAtGoal,
        includeLabels: o.traceLabels,
      },
    ],
    preference: ['preference', { minScoreMargin: num(o.minMargin) ?? 1, maxPairsPerTree: num(o.maxPairs) ?? 64 }],
    rl: [
      'rl',
      {
        target: o.target,
        chat: o.chatPrompt,
        minSolveRate: num(o.minSolveRate),
        maxSolveRate: num(o.maxSolveRate),
        includeUnmeasured: o.unmeasured,
        prmAggregate: o.prmAggregate,
      },
    ],
    transcript: ['transcript', { variant: o.variant }],
  };
}

export function exportRequestFromCli(o: ExportCliOptions): ExportRequest {
  const own = formatOptionsFromCli(o)[o.format];
  const input = {
    format: o.format,
    outDir: o.out ?? '.',
    parquet: o.parquet ?? false,
    overwrite: o.overwrite ?? false,
    labels: parseLabelSource(o.annotator ? `annotator:${o.annotator}` : o.labels),
    filters: {
      runIds: o.runs ? parseRunList(o.runs) : undefined,
      tasks: list(o.task),
      statuses: list(o.status),
      labelStatus: o.labelStatus,
      createdFrom: o.from,
      createdTo: o.to,
    },
    split: { testFraction: num(o.testFraction) ?? 0, seed: num(o.splitSeed) ?? 0 },
    includePruned: o.includePruned ?? false,
    ...(own ? { [own[0]]: own[1] } : {}),
  };
  const parsed = ExportRequest.safeParse(input);
  if (!parsed.success) throw new CliError(invalidInput(parsed.error, 'export options').message);
  return parsed.data;
}

function printSummary(s: ExportSummary, dryRun: boolean): void {
  const out = process.stdout;
  const splits = s.splits.filter((x) => x.records > 0).map((x) => `${x.split} ${x.records}`).join(', ');
  out.write(
    `${dryRun ? 'would write' : 'wrote'} ${s.records} ${s.format} records (${splits || 'none'}) from ${s.runs} runs, ` +
      `${s.problems} problems in ${(s.durationMs / 1000).toFixed(1)} s\n`,
  );
  const labels = Object.entries(s.labels).map(([k, n]) => `${k}: ${n}`);
  if (labels.length) out.write(`  labels  ${labels.join('   ')}\n`);
  for (const [reason, n] of Object.entries(s.skipped)) out.write(`  left out ${n}: ${reason}\n`);
  for (const f of s.files) out.write(`  ${f.path} (${f.bytes.toLocaleString('en')} bytes)\n`);
}

/**
 * The error for an export that came out empty: which other `--labels` choices would give data
 * (counted with the same filters), since the usual cause is `majority` on automatic labels only.
 */
async function emptyExportError(store: Store, request: ExportRequest): Promise<CliError> {
  const current = labelFlag(request.labels);
  process.stderr.write(`0 records with --labels ${current}; counting what the other label sources here would give...\n`);
  const others = await labelAlternatives(store.connection, request);
  const why = current === 'majority' ? ' (majority counts human labels only; autolabel writes automatic ones)' : '';
  const hint = others.length
    ? `--labels ${others.map((o) => `${o.flag} gives ${o.records}`).join(', --labels ')}`
    : 'no other label source gives records with these filters either';
  return new CliError(`nothing written: 0 records with --labels ${current}${why}. ${hint}; --allow-empty accepts an empty export`);
}

export function registerExport(program: Command): void {
  program
    .command('export')
    .description('Export PRM training data, Meta-CoT traces or preference pairs (JSONL or Parquet, with a dataset card)')
    .requiredOption('--db <file>', 'database file')
    .requiredOption('--format <format>', `one of ${EXPORT_FORMATS.join(', ')}`)
    .option('--out <dir>', 'folder to write train/test files and README.md into (created if missing)')
    .option('--parquet', 'write Parquet instead of JSONL')
    .option('--overwrite', 'replace an earlier export in the same folder')
    .option('--allow-empty', 'exit 0 when no record matches (otherwise exit 2 naming the --labels choices that have data)')
    .option('--dry-run', 'count what would be written, write nothing')
    .option(
      '--labels <source>',
      'majority (of human annotators) | adjudicated | exact | mc | auto:<mc|first-error|exact|scorer|import> (stored by autolabel or import) | annotator:<name>',
      'majority',
    )
    .option('--annotator <name>', 'labels of this annotator (same as --labels annotator:<name>)')
    .option('--runs <ids>', 'only these runs: 1,2,5-9')
    .option('--task <tasks>', 'only these tasks (comma-separated)')
    .option('--status <statuses>', 'only runs with these statuses (comma-separated)')
    .option('--label-status <status>', 'trees: any | labeled | complete | unlabeled', 'any')
    .option('--from <date>', 'runs created on or after this date (2024-05-01 or a date-time)')
    .option('--to <date>', 'runs created on or before this date')
    .option('--test-fraction <f>', 'share of problems in the test split (0-1), split by problem')
    .option('--split-seed <n>', 'seed of the train/test split')
    .option('--include-pruned', 'keep pruned subtrees')
    .option('--neutral <true|false>', 'what a 0 rating becomes (trl, math-shepherd)', 'true')
    .option('--stop-at-first-error', 'trl: end each record at its first false label')
    .option('--fully-labeled', 'trl: only paths labeled down to their leaf')
    .option('--no-meta', 'trl: leave out the meta column')
    .option('--spines <which>', 'prm800k: preferred (one per tree) | all (one per leaf)', 'preferred')
    .option('--continue-after-error', 'prm800k: keep the spine going past its first -1')
    .option('--soft', 'math-shepherd: soft Monte-Carlo labels (floats)')
    .option('--label-list', 'math-shepherd: label as a list of +/- (OpenRLHF)')
    .option('--no-step-numbers', 'math-shepherd: no "Step i:" before each step')
    .option('--order <order>', 'trace: expansion (as the search ran) | dfs | bfs | score (stored tree re-ordered)', 'expansion')
    .option('--syntax <syntax>', 'trace: auto | sos | generic', 'auto')
    .option('--backtrack <style>', 'trace: sos ("Moving to Node #..") | token ([BACK]) | natural (ASTRO-style sentences) | tree (parent pointers)', 'sos')
    .option('--keep <what>', 'trace: all | approved (paths rated +1 throughout) | first-failed | solution', 'all')
    .option('--failed-branches <n>', 'trace: dead ends kept with --keep first-failed (default 2)')
    .option('--drop-rate <p>', 'trace: Dualformer-style: drop each step off the solution path with probability p')
    .option('--drop-trace <p>', 'trace: Dualformer-style: collapse a whole trace to its solution with probability p')
    .option('--drop-seed <n>', 'trace: seed of the random dropping')
    .option('--loss-mask <variant>', 'trace: loss_spans to train on: none | all | answer | correct (incorrect branches masked)', 'none')
    .option('--append-solution', 'trace: end each trace with a "Solution:" block (the answer a trace leads to)')
    .option('--chat', 'trace: chat messages instead of prompt/completion')
    .option('--no-stop-at-goal', 'trace: keep going past the first correct answer')
    .option('--no-trace-labels', 'trace: no Evaluation lines in the generic syntax')
    .option('--min-margin <n>', 'preference: smallest score difference that makes a pair')
    .option('--max-pairs <n>', 'preference: most pairs per tree')
    .option('--target <trainer>', 'rl: trl-grpo | verl (needs --parquet) | openrlhf', 'trl-grpo')
    .option('--no-chat-prompt', 'rl: prompt as plain text instead of a chat message list (trl-grpo, openrlhf)')
    .option('--min-solve-rate <r>', 'rl: only problems the studio\'s runs solve at least this often (0-1)')
    .option('--max-solve-rate <r>', 'rl: only problems solved at most this often (0-1)')
    .option('--no-unmeasured', 'rl: leave out problems with no finished path yet')
    .option('--prm-aggregate <how>', 'rl: min | last | product: how prm_reward.py turns step scores into a reward', 'min')
    .option('--variant <variant>', 'transcript: clean (abandoned branches removed) | tagged (as written, with tags and relations)', 'clean')
    .action(async (opts: ExportCliOptions) => {
      if (!opts.out && !opts.dryRun) throw new CliError('give --out <dir> (or --dry-run to only count)');
      const request = exportRequestFromCli(opts);
      const store = Store.open(opts.db, { create: false });
      const bar = process.stderr.isTTY
        ? new cliProgress.SingleBar({ format: 'export [{bar}] {value}/{total} runs, {records} records', hideCursor: true }, cliProgress.Presets.shades_classic)
        : null;
      try {
        bar?.start(new ExportQueries(store.connection).count(request.filters), 0, { records: 0 });
        const control = { onProgress: (p: { runs: number; records: number }) => bar?.update(p.runs, { records: p.records }) };
        const summary = opts.dryRun ? await previewExport(store.connection, request, control) : await exportDataset(store.connection, request, control);
        bar?.stop();
        printSummary(summary, opts.dryRun ?? false);
        if (summary.records === 0 && !opts.allowEmpty) throw await emptyExportError(store, request);
      } catch (error) {
        bar?.stop();
        if (error instanceof ExportExistsError) {
          throw new CliError(`${error.dir} already holds an export (${error.files.join(', ')}); add --overwrite to replace it, or choose another --out`);
        }
        if (error instanceof ApiError) throw new CliError(error.message);
        throw error;
      } finally {
        store.close();
      }
    });
}
