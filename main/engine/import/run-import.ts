/**
 * Runs an import in two passes over the file. The first reads and checks every record (writing
 * nothing) and collects each bad one with its line and reason. If there are errors and the
 * caller did not ask for a partial import, nothing is written. Otherwise the second pass writes
 * the good records in short transactions that commit all or nothing (./sliced-write.ts): a crash,
 * a failed write or a cancel leaves the database as it was, and other clients are not stalled.
 * A partial import writes the rejected lines, with reasons, to a report file.
 */
import fs from 'node:fs';
import path from 'node:path';
import { ApiError } from '../../../common/contract/define';
import { ImportRequest, type ImportLineError as LineErrorInfo, type ImportMapping, type ImportSummary } from '../../../common/contract/export';
import type { NewProblem } from '../../../common/domain';
import { writeNewFile } from '../files/path-policy';
import type { Store } from '../store/store';
import { mathShepherdParser } from './math-shepherd';
import { prm800kParser } from './prm800k';
import { prmBenchParser } from './prmbench';
import { processBenchParser } from './processbench';
import { problemsParser } from './problems';
import { longCotParser } from './long-cot';
import { CsvError, isJsonArrayFile, jsonArrayRecords, readCsv, readLines } from './records';
import { traceParser } from './trace';
import { trlParser } from './trl';
import { ImportLineError, type ImportItem, type ImportParser, type ImportRecord } from './types';
import { writeInSlices } from './sliced-write';
import type { WriteCounts } from './writer';

const LISTED_ERRORS = 1000;
const YIELD_EVERY_MS = 10;

export interface ImportControl {
  onProgress?: (lines: number) => void;
  /** Stops the import between two slices; what it wrote is undone. */
  signal?: AbortSignal;
}

function createParser(request: ImportRequest, type: FileType): ImportParser {
  const file = path.basename(request.path);
  switch (request.format) {
    case 'problems':
      return problemsParser(request.mapping);
    case 'prm800k':
      return prm800kParser(request.mapping, file);
    case 'math-shepherd':
      return mathShepherdParser(request.mapping, file);
    case 'trl':
      return trlParser(request.mapping, request.annotator, file);
    case 'trace':
      return traceParser(request.mapping, request.annotator, file);
    case 'processbench':
      return processBenchParser(request.mapping, file);
    case 'prmbench':
      return prmBenchParser(request.mapping, file);
    case 'long-cot':
      return longCotParser(request, type);
  }
}

type FileType = 'jsonl' | 'csv' | 'text';

/** The request's file type, else guessed from the name (a problem list in .txt is read line by line). */
function fileTypeOf(request: ImportRequest): FileType {
  if (request.fileType) return request.fileType;
  if (/\.csv$/i.test(request.path)) return 'csv';
  if (/\.(?:txt|md|markdown)$/i.test(request.path)) return request.format === 'problems' ? 'jsonl' : 'text';
  return 'jsonl';
}

/** Records of the file: JSON Lines (blank lines skipped), CSV rows keyed by the header, or one text document. */
function* fileRecords(file: string, type: FileType): Generator<ImportRecord | { line: number; error: string }> {
  if (type === 'text') {
    yield { line: 1, text: fs.readFileSync(file, 'utf8').replace(/^\uFEFF/, '') };
    return;
  }
  if (type === 'jsonl') {
    if (isJsonArrayFile(file)) {
      yield* jsonArrayRecords(file); // a `.json` array (ProcessBench ships its splits so)
      return;
    }
    for (const { line, text } of readLines(file)) if (text.trim()) yield { line, text };
    return;
  }
  let header: string[] | null = null;
  try {
    for (const { line, cells } of readCsv(readLines(file))) {
      if (!header) {
        header = cells.map((c) => c.trim());
        continue;
      }
      if (cells.length !== header.length) {
        yield { line, error: `row has ${cells.length} cells but the header has ${header.length}` };
        continue;
      }
      yield { line, row: Object.fromEntries(header.map((h, k) => [h, cells[k]!])) };
    }
  } catch (error) {
    if (error instanceof CsvError) yield { line: error.line, error: error.message };
    else throw error;
  }
  if (!header) yield { line: 1, error: 'the CSV file has no header row' };
}

/**
 * Feeds every record through a parser; bad records go to `onError`, good items to `onItem`.
 * A generator that pauses after each record, so the checking pass can yield to the event loop
 * while the writing pass runs straight through inside its transaction.
 */
function* parseSteps(
  request: ImportRequest,
  type: FileType,
  onItem: ((item: ImportItem) => void) | null,
  onError: (line: number, reason: string, text: string | undefined) => void,
): Generator<number, number> {
  const parser = createParser(request, type);
  let lines = 0;
  const deliver = (items: ImportItem[]) => {
    if (onItem) for (const item of items) onItem(item);
  };
  for (const record of fileRecords(request.path, type)) {
    lines = Math.max(lines, record.line);
    if ('error' in record) {
      onError(record.line, record.error, undefined);
    } else {
      try {
        if (!onItem && parser.check) parser.check(record);
        else deliver(parser.push(record));
      } catch (error) {
        if (!(error instanceof ImportLineError)) throw error;
        onError(record.line, error.message, record.text ?? JSON.stringify(record.row));
      }
    }
    yield lines;
  }
  deliver(parser.finish());
  return lines;
}

export async function importFile(store: Store, request: ImportRequest, control: ImportControl = {}): Promise<ImportSummary> {
  const started = performance.now();
  let stat: fs.Stats;
  try {
    stat = fs.statSync(request.path);
  } catch {
    throw new ApiError('not_found', `Import file not found: ${request.path}`);
  }
  if (!stat.isFile()) throw new ApiError('invalid_input', `${request.path} is not a file.`);
  const type = fileTypeOf(request);
  if (type === 'csv' && request.format !== 'problems') {
    throw new ApiError('invalid_input', `${request.format} files are JSON Lines; only problem files may be CSV.`);
  }
  if (type === 'text' && request.format !== 'long-cot') {
    throw new ApiError('invalid_input', `${request.format} files are JSON Lines; only long-cot reads text and Markdown files.`);
  }

  // Pass 1: check everything, write nothing.
  const errors: LineErrorInfo[] = [];
  let errorCount = 0;
  const rejected: string[] = [];
  const check = parseSteps(request, type, null, (line, reason, text) => {
    errorCount += 1;
    if (errors.length < LISTED_ERRORS) errors.push({ line, reason });
    if (request.partial) rejected.push(JSON.stringify({ line, reason, ...(text !== undefined ? { text } : {}) }));
  });
  let lines = 0;
  let lastYield = Date.now();
  for (let step = check.next(); ; step = check.next()) {
    lines = step.value;
    if (step.done) break;
    if (Date.now() - lastYield > YIELD_EVERY_MS) {
      control.onProgress?.(lines);
      await new Promise((resolve) => setImmediate(resolve));
      lastYield = Date.now();
    }
  }

  const summary = (committed: boolean, counts: WriteCounts | null, reportPath: string | null): ImportSummary => ({
    format: request.format,
    committed,
    lines,
    problems: counts?.problems ?? 0,
    existingProblems: counts?.existingProblems ?? 0,
    runs: counts?.runs ?? 0,
    nodes: counts?.nodes ?? 0,
    labels: counts?.labels ?? 0,
    errors,
    errorCount,
    reportPath,
    durationMs: performance.now() - started,
  });
  if (errorCount > 0 && !request.partial) return summary(false, null, null);

  let reportPath: string | null = null;
  if (errorCount > 0) {
    // Never over the database, never through a link planted at the report's name.
    const target = request.reportPath ?? `${request.path}.rejected.jsonl`;
    reportPath = writeNewFile({ database: store.path }, target, `${rejected.join('\n')}\n`, 'reportPath');
  }

  // Pass 2: the good records, in short transactions that still commit all or nothing.
  const counts = await writeInSlices(store, request.path, (write) => parseSteps(request, type, write, () => undefined), control);
  return summary(true, counts, reportPath);
}

/**
 * The problems of a problem file, read and checked exactly as a `problems` import reads them (the
 * studio, `metacot import`), writing nothing: `metacot search --problems` reads its files here.
 * Every bad record comes back with its line and reason.
 */
export function readProblemFile(file: string, mapping: Partial<ImportMapping>): { problems: NewProblem[]; errors: LineErrorInfo[] } {
  const request = ImportRequest.parse({ format: 'problems', path: file, mapping });
  const problems: NewProblem[] = [];
  const errors: LineErrorInfo[] = [];
  const steps = parseSteps(
    request,
    fileTypeOf(request),
    (item) => item.kind === 'problem' && problems.push(item.problem),
    (line, reason) => errors.push({ line, reason }),
  );
  while (!steps.next().done);
  return { problems, errors };
}
