/**
 * Runs an export: pages through the runs that match the filters, loads one tree at a time,
 * turns it into records with the chosen format, assigns each problem to train or test, and
 * streams records into the split files. Files are written into a staging folder and moved in
 * as a set only when everything succeeded, the dataset card last (./staging.ts).
 */
import fs from 'node:fs';
import path from 'node:path';
import { ApiError } from '../../../common/contract/define';
import type { ExportOptions, ExportRequest, ExportSummary } from '../../../common/contract/export';
import type { Connection } from '../store/db';
import { VERSION } from '../version';
import { datasetCard } from './card';
import { writerFor } from './formats';
import { countInto, type FormatContext } from './formats/types';
import { resolveLabels } from './labels';
import { prepareOutputDir } from './paths';
import { ExportStaging } from './staging';
import { ExportQueries } from './queries';
import { JsonlSink } from './sinks/jsonl';
import { ParquetSink } from './sinks/parquet';
import type { ExportRow, RecordSink } from './sinks/types';
import { splitOf, type SplitName } from './split';
import { ExportTree } from './tree';

export interface ExportProgress {
  runs: number;
  records: number;
}

export interface ExportControl {
  signal?: AbortSignal;
  onProgress?: (progress: ExportProgress) => void;
}

interface SplitStats {
  records: number;
  problems: Set<number>;
  runs: number;
  labels: Record<string, number>;
}

type Emit = (split: SplitName, row: ExportRow) => Promise<void>;

const SPLITS: SplitName[] = ['train', 'test'];
const YIELD_EVERY_MS = 25;

function passesLabelStatus(tree: ExportTree, options: ExportOptions, labeled: (i: number) => boolean): boolean {
  const status = options.filters.labelStatus;
  if (status === 'any') return true;
  let steps = 0;
  let withLabel = 0;
  for (const i of tree.steps()) {
    steps += 1;
    if (labeled(i)) withLabel += 1;
  }
  if (status === 'unlabeled') return withLabel === 0;
  if (status === 'labeled') return withLabel > 0;
  return steps > 0 && withLabel === steps;
}

/** The part shared by export and preview: records from every matching tree, with statistics. */
async function produce(
  db: Connection,
  options: ExportOptions,
  emit: Emit,
  control: ExportControl,
): Promise<Omit<ExportSummary, 'files' | 'durationMs'>> {
  const writer = writerFor(options);
  const prepared = writer.prepare?.(db, options);
  const queries = new ExportQueries(db);
  const stats = Object.fromEntries(
    SPLITS.map((s) => [s, { records: 0, problems: new Set<number>(), runs: 0, labels: {} } satisfies SplitStats]),
  ) as Record<SplitName, SplitStats>;
  const labels: Record<string, number> = {};
  const skipped: Record<string, number> = {};
  const splitByProblem = new Map<number, SplitName>();
  const problemCache = new Map<number, ReturnType<ExportQueries['problem']>>();
  let runs = 0;
  let records = 0;
  let sample: ExportRow | null = null;
  let lastYield = Date.now();

  for (const run of queries.runs(options.filters)) {
    if (control.signal?.aborted) throw new ApiError('conflict', 'Export cancelled.');
    let problem = problemCache.get(run.problemId);
    if (!problem) {
      problem = queries.problem(run.problemId);
      // Many runs share a problem; keep a bounded cache of recent ones.
      if (problemCache.size > 1024) problemCache.clear();
      problemCache.set(run.problemId, problem);
    }
    const tree = new ExportTree(queries.load(run, problem), options.includePruned);
    if (tree.root < 0) {
      countInto(skipped, 'tree with no root (empty or pruned)');
      continue;
    }
    const view = resolveLabels(tree, db, options.labels);
    if (!passesLabelStatus(tree, options, (i) => view.rating(i) !== null)) {
      countInto(skipped, `tree not matching label status "${options.filters.labelStatus}"`);
      continue;
    }
    let split = splitByProblem.get(problem.id);
    if (!split) {
      split = splitOf(problem, options.split);
      splitByProblem.set(problem.id, split);
    }
    const ctx: FormatContext = { options, db, labels: view, prepared, skip: (reason, n = 1) => countInto(skipped, reason, n) };
    const s = stats[split];
    let treeRecords = 0;
    for (const record of writer.records(tree, ctx)) {
      await emit(split, record.row);
      sample ??= record.row;
      treeRecords += 1;
      for (const [k, n] of Object.entries(record.labels)) {
        countInto(labels, k, n);
        countInto(s.labels, k, n);
      }
    }
    runs += 1;
    if (treeRecords > 0) {
      s.records += treeRecords;
      s.runs += 1;
      s.problems.add(problem.id);
      records += treeRecords;
    }
    control.onProgress?.({ runs, records });
    if (Date.now() - lastYield > YIELD_EVERY_MS) {
      // Let other work (API calls, progress events) run between trees.
      await new Promise((resolve) => setImmediate(resolve));
      lastYield = Date.now();
    }
  }

  const problems = new Set([...stats.train.problems, ...stats.test.problems]);
  return {
    format: options.format,
    records,
    runs: stats.train.runs + stats.test.runs,
    problems: problems.size,
    splits: SPLITS.map((split) => ({
      split,
      records: stats[split].records,
      problems: stats[split].problems.size,
      runs: stats[split].runs,
      labels: stats[split].labels,
    })),
    labels,
    skipped,
    sample,
  };
}

/** Counts what an export would produce without writing anything. */
export async function previewExport(db: Connection, options: ExportOptions, control: ExportControl = {}): Promise<ExportSummary> {
  const started = performance.now();
  const summary = await produce(db, options, async () => undefined, control);
  return { ...summary, files: [], durationMs: performance.now() - started };
}

const EXPORT_FILES = /^(train|test)\.(jsonl|parquet)$/;

/** The output folder holds an earlier export and the request did not ask to overwrite it. */
export class ExportExistsError extends ApiError {
  constructor(
    readonly dir: string,
    readonly files: string[],
  ) {
    super('conflict', `${dir} already holds an export (${files.join(', ')}); choose another folder or overwrite.`);
  }
}

/**
 * Writes the export into `request.outDir`: split files and README.md, nothing else, nowhere else.
 * An export with no records writes nothing at all (no card, no folder it had to create), and an
 * earlier export there is left as it was.
 */
export async function exportDataset(db: Connection, request: ExportRequest, control: ExportControl = {}): Promise<ExportSummary> {
  const started = performance.now();
  const dirExisted = fs.existsSync(path.resolve(request.outDir));
  const dir = prepareOutputDir(request.outDir);
  const ext = request.parquet ? 'parquet' : 'jsonl';
  const existing = fs.readdirSync(dir).filter((name) => EXPORT_FILES.test(name) || name === 'README.md');
  if (existing.length && !request.overwrite) throw new ExportExistsError(dir, existing);
  const writer = writerFor(request);
  const columns = writer.columns(request);
  // Every file goes into a fresh staging folder first; the set moves in whole (./staging.ts).
  const staging = ExportStaging.open(dir);
  const sinks = new Map<SplitName, { sink: RecordSink; name: string; records: number }>();

  const emit: Emit = async (split, row) => {
    let entry = sinks.get(split);
    if (!entry) {
      const name = `${split}.${ext}`;
      const file = staging.file(name);
      const sink = request.parquet ? new ParquetSink(file, columns, `Meta-CoT Studio ${VERSION}`) : await JsonlSink.open(file);
      entry = { sink, name, records: 0 };
      sinks.set(split, entry);
    }
    entry.records += 1;
    await entry.sink.write(row);
  };

  let summary: Omit<ExportSummary, 'files' | 'durationMs'>;
  const bytes: number[] = [];
  try {
    summary = await produce(db, request, emit, control);
    for (const entry of sinks.values()) bytes.push(await entry.sink.close());
  } catch (error) {
    await Promise.all([...sinks.values()].map((e) => e.sink.abort()));
    staging.abort();
    throw error;
  }
  if (summary.records === 0) {
    staging.abort();
    if (!dirExisted) fs.rmdirSync(dir); // created above and still empty
    return { ...summary, files: [], durationMs: performance.now() - started };
  }
  const entries = [...sinks.entries()];
  const { outDir: _dir, overwrite: _overwrite, ...options } = request;
  const card = datasetCard(
    options,
    summary,
    entries.map(([split, e]) => ({ split, name: e.name })),
    writer,
    new Date().toISOString(),
  );
  let committed: { files: string[]; card: string };
  try {
    committed = staging.commit(entries.map(([, e]) => e.name), card, existing);
  } catch (error) {
    staging.abort();
    throw error;
  }
  const files: ExportSummary['files'] = entries.map(([, e], i) => ({ path: committed.files[i]!, bytes: bytes[i]!, records: e.records }));
  files.push({ path: committed.card, bytes: Buffer.byteLength(card), records: null });
  return { ...summary, files, durationMs: performance.now() - started };
}
