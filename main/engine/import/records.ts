/**
 * Reading an import file record by record with flat memory: JSON Lines (one record a line) or
 * CSV (RFC 4180: quoted fields may hold commas, quotes and line breaks). Every record carries the
 * 1-based line it starts on, so errors can name it.
 */
import fs from 'node:fs';
import { ApiError } from '../../../common/contract/define';
import { StringDecoder } from 'node:string_decoder';

const CHUNK = 1 << 20;
/** Longest line read (in characters): a file with no line breaks is refused here, not held whole. */
export const MAX_LINE_CHARS = 8 << 20;

export interface TextLine {
  line: number;
  text: string;
}

/** Lines of a UTF-8 file (BOM and `\r` removed), read in 1 MB chunks, each at most MAX_LINE_CHARS. */
export function* readLines(file: string): Generator<TextLine> {
  const fd = fs.openSync(file, 'r');
  try {
    const decoder = new StringDecoder('utf8');
    const buffer = Buffer.allocUnsafe(CHUNK);
    let carry = '';
    let line = 0;
    let first = true;
    for (;;) {
      const read = fs.readSync(fd, buffer, 0, CHUNK, null);
      let text = read > 0 ? carry + decoder.write(buffer.subarray(0, read)) : carry + decoder.end();
      if (first && text.charCodeAt(0) === 0xfeff) text = text.slice(1);
      first = false;
      let start = 0;
      for (let nl = text.indexOf('\n'); nl >= 0; nl = text.indexOf('\n', start)) {
        line += 1;
        yield { line, text: text.slice(start, nl > start && text[nl - 1] === '\r' ? nl - 1 : nl) };
        start = nl + 1;
      }
      carry = text.slice(start);
      if (carry.length > MAX_LINE_CHARS) {
        throw new ApiError('invalid_input', `${file}: line ${line + 1} is longer than ${MAX_LINE_CHARS >> 20} M characters; is this a JSON Lines file?`);
      }
      if (read <= 0) {
        if (carry) yield { line: line + 1, text: carry.endsWith('\r') ? carry.slice(0, -1) : carry };
        return;
      }
    }
  } finally {
    fs.closeSync(fd);
  }
}

export interface CsvRecord {
  line: number;
  cells: string[];
}

export class CsvError extends Error {
  constructor(
    readonly line: number,
    message: string,
  ) {
    super(message);
  }
}

/** CSV records (the header included), each with the line it starts on; blank lines are skipped. */
export function* readCsv(lines: Iterable<TextLine>): Generator<CsvRecord> {
  let cells: string[] = [];
  let field = '';
  let quoted = false;
  let startLine = 0;
  for (const { line, text } of lines) {
    if (!quoted) {
      if (text.trim() === '') continue;
      startLine = line;
    } else {
      field += '\n';
    }
    for (let i = 0; i < text.length; i++) {
      const c = text[i]!;
      if (quoted) {
        if (c === '"' && text[i + 1] === '"') (field += '"'), i++;
        else if (c === '"') quoted = false;
        else field += c;
      } else if (c === '"' && field === '') quoted = true;
      else if (c === ',') cells.push(field), (field = '');
      else field += c;
    }
    if (!quoted) {
      cells.push(field);
      yield { line: startLine, cells };
      cells = [];
      field = '';
    }
  }
  if (quoted) throw new CsvError(startLine, 'a quoted field is never closed');
}

/** Whether a file holds one JSON array of records (`[{...}, ...]`, as ProcessBench ships) rather than JSON Lines. */
export function isJsonArrayFile(file: string): boolean {
  const fd = fs.openSync(file, 'r');
  try {
    const head = Buffer.alloc(4096);
    const read = fs.readSync(fd, head, 0, head.length, 0);
    return /^\uFEFF?\s*\[/.test(head.subarray(0, read).toString('utf8'));
  } finally {
    fs.closeSync(fd);
  }
}

/** The 1-based line on which each top-level element of a JSON array starts (strings skipped). */
function elementLines(text: string): number[] {
  const lines: number[] = [];
  let line = 1;
  let depth = 0;
  let inString = false;
  let expectElement = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (ch === '\n') line++;
    if (inString) {
      if (ch === '\\') i++;
      else if (ch === '"') inString = false;
      continue;
    }
    if (depth === 1 && expectElement && !/\s/.test(ch) && ch !== ']') {
      lines.push(line);
      expectElement = false;
    }
    if (ch === '"') inString = true;
    else if (ch === '[' || ch === '{') {
      depth++;
      if (depth === 1) expectElement = true;
    } else if (ch === ']' || ch === '}') depth--;
    else if (ch === ',' && depth === 1) expectElement = true;
  }
  return lines;
}

/**
 * Largest JSON array file read whole (ProcessBench's splits are a few MB). A JSON array cannot be
 * read record by record as JSON Lines can, so a bigger one would hold the whole file, its parsed
 * value and its records in memory at once.
 */
export const MAX_JSON_ARRAY_BYTES = 256 * 2 ** 20;

/** The elements of a JSON array file as records, each with the line it starts on; one error if the file is no JSON array. */
export function* jsonArrayRecords(file: string, maxBytes = MAX_JSON_ARRAY_BYTES): Generator<TextLine | { line: number; error: string }> {
  const size = fs.statSync(file).size;
  if (size > maxBytes) {
    yield { line: 1, error: `a JSON array file of ${(size / 2 ** 20).toFixed(0)} MB is over the ${(maxBytes / 2 ** 20).toFixed(0)} MB read whole; write it as JSON Lines (one record a line), which is read record by record` };
    return;
  }
  const text = fs.readFileSync(file, 'utf8').replace(/^\uFEFF/, '');
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    yield { line: 1, error: `the file starts with [ but is not valid JSON (${(error as Error).message})` };
    return;
  }
  if (!Array.isArray(value)) {
    yield { line: 1, error: 'expected a JSON array of records' };
    return;
  }
  const lines = elementLines(text);
  for (let k = 0; k < value.length; k++) yield { line: lines[k] ?? 1, text: JSON.stringify(value[k]) };
}
