/**
 * `metacot import`: problems, PRM800K, Math-Shepherd, and the studio's own TRL and trace files.
 * A file with bad lines imports nothing and lists them; `--partial` imports the good lines and
 * writes the rest, with reasons, to a report.
 */
import type { Command } from 'commander';
import fs from 'node:fs';
import { ApiError, invalidInput } from '../../../../common/contract/define';
import { IMPORT_FORMATS, ImportRequest, type ImportSummary } from '../../../../common/contract/export';
import { LONG_COT_FIELDS, SEGMENTER_NAMES } from '../../../../common/longcot';
import { importFile } from '../../import/run-import';
import { Store } from '../../store/store';
import { CliError } from '../util';

interface ImportCliOptions {
  db: string;
  format: string;
  type?: string;
  preset?: string;
  task?: string;
  promptField?: string;
  answerField?: string;
  answerFormat?: string;
  annotator?: string;
  partial?: boolean;
  report?: string;
  segment?: string;
  field?: Record<string, string>;
}

/** `--field reasoning=my_column`, repeatable: long-cot record fields under other names. */
function fieldOption(value: string, previous: Record<string, string> = {}): Record<string, string> {
  const at = value.indexOf('=');
  if (at <= 0 || at === value.length - 1) throw new CliError(`--field ${value}: expected NAME=COLUMN, e.g. reasoning=deepseek_reasoning`);
  return { ...previous, [value.slice(0, at)]: value.slice(at + 1) };
}

const SHOWN_ERRORS = 20;

/** A file that cannot be read is an error before any database is opened (or created). */
function checkReadable(file: string): void {
  try {
    if (!fs.statSync(file).isFile()) throw new CliError(`${file} is not a file`);
    fs.accessSync(file, fs.constants.R_OK);
  } catch (error) {
    if (error instanceof CliError) throw error;
    throw new CliError(`cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
}

/** An import that wrote nothing leaves no database it created behind. */
function removeDatabase(db: string): void {
  for (const f of [db, `${db}-wal`, `${db}-shm`]) fs.rmSync(f, { force: true });
}

function errorLines(s: ImportSummary): string {
  const lines = s.errors.slice(0, SHOWN_ERRORS).map((e) => `  line ${e.line}: ${e.reason}`);
  if (s.errorCount > SHOWN_ERRORS) lines.push(`  ... and ${s.errorCount - SHOWN_ERRORS} more`);
  return lines.join('\n');
}

export function registerImport(program: Command): void {
  program
    .command('import')
    .description('Import problems (GSM8K, MATH, ToT 24.csv, countdown), PRM800K, Math-Shepherd, or studio TRL/trace exports')
    .argument('<file>', 'JSONL (or CSV for problems; text or Markdown for long-cot) to import')
    .requiredOption('--db <file>', 'database file (created if missing)')
    .requiredOption('--format <format>', `one of ${IMPORT_FORMATS.join(', ')}`)
    .option('--type <type>', 'jsonl | csv (default: from the file name)')
    .option('--preset <preset>', 'problems: auto | gsm8k | math | tot24 | custom')
    .option('--task <task>', 'task of the imported problems (countdown, game24, math)')
    .option('--prompt-field <name>', 'problems: field holding the question')
    .option('--answer-field <name>', 'problems: field holding the answer or solution')
    .option('--answer-format <format>', 'problems: raw | gsm8k (#### 18) | boxed (\\boxed{})')
    .option('--annotator <name>', 'trl/trace: store their labels under this annotator')
    .option('--segment <segmenter>', `long-cot: ${SEGMENTER_NAMES.join(' | ')} (default discourse)`)
    .option('--field <name=column>', `long-cot: read a field under another name (${LONG_COT_FIELDS.join(', ')}); repeatable`, fieldOption)
    .option('--partial', 'import the good lines and write the bad ones to a report')
    .option('--report <file>', 'where --partial writes rejected lines (default: <file>.rejected.jsonl)')
    .action(async (file: string, opts: ImportCliOptions) => {
      const parsed = ImportRequest.safeParse({
        format: opts.format,
        path: file,
        fileType: opts.type,
        mapping: {
          preset: opts.preset ?? 'auto',
          task: opts.task,
          promptField: opts.promptField,
          answerField: opts.answerField,
          answerFormat: opts.answerFormat,
        },
        longCot: { segment: opts.segment, fields: opts.field },
        annotator: opts.annotator ?? 'import',
        partial: opts.partial ?? false,
        reportPath: opts.report,
      });
      if (!parsed.success) throw new CliError(invalidInput(parsed.error, 'import options').message);
      checkReadable(file);
      const created = !fs.existsSync(opts.db);
      const store = Store.open(opts.db);
      let summary: ImportSummary;
      try {
        summary = await importFile(store, parsed.data);
      } catch (error) {
        store.close();
        if (created) removeDatabase(opts.db);
        if (error instanceof ApiError) throw new CliError(error.message);
        throw error;
      }
      store.close();
      if (!summary.committed) {
        if (created) removeDatabase(opts.db);
        throw new CliError(
          `${file}: ${summary.errorCount} bad line${summary.errorCount === 1 ? '' : 's'}; nothing was imported ` +
            `(fix them, or use --partial to import the rest)\n${errorLines(summary)}`,
        );
      }
      const out = process.stdout;
      out.write(
        `imported ${summary.problems} new problems (${summary.existingProblems} already there), ${summary.runs} trees, ` +
          `${summary.nodes} nodes, ${summary.labels} labels from ${summary.lines} lines in ${(summary.durationMs / 1000).toFixed(1)} s\n`,
      );
      if (summary.errorCount) {
        out.write(`skipped ${summary.errorCount} bad lines, listed with reasons in ${summary.reportPath}\n${errorLines(summary)}\n`);
      }
    });
}
