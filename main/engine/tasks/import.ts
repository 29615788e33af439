/**
 * Problem files, per task. Every line is checked before anything is returned, so a caller can
 * write all the problems in one transaction or none (a bad line 37 names line 37).
 *
 * - countdown: JSONL `{"numbers": [4, 9, 3], "target": 24}` (Stream of Search's `nums` also read),
 *   a JSON array of such objects, or lines `24:[4, 9, 3]`.
 * - game24: Tree of Thoughts' `24.csv` (a `Puzzles` column), lines `4 5 6 10`, or JSONL `{"numbers": [...]}`.
 * - math: JSONL word problems (see parseMathJsonl for field names).
 */
import type { NewProblem, TaskName } from '../../../common/domain';
import { countdownProblem } from './countdown';
import { ProblemFormatError } from './errors';
import { game24Problem, parsePuzzle, parseTot24Csv } from './game24';
import { parseMathJsonl, type MathFields } from './math';
import { NumbersProblemData, parseStateLine } from './numbers-task';

export interface ParseOptions {
  /** Field names for math JSONL. */
  fields?: MathFields;
}

function recordToNumbers(record: unknown, line: number, needTarget: boolean): NumbersProblemData {
  if (typeof record !== 'object' || record === null || Array.isArray(record)) {
    throw new ProblemFormatError('expected a JSON object', line);
  }
  const r = record as Record<string, unknown>;
  const numbers = r.numbers ?? r.nums ?? (typeof r.Puzzles === 'string' ? parsePuzzle(r.Puzzles, line) : undefined);
  const parsed = NumbersProblemData.safeParse({ numbers, target: needTarget ? r.target : 24 });
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new ProblemFormatError(`${issue.path.join('.') || 'record'}: ${issue.message}`, line);
  }
  return parsed.data;
}

/** Non-blank lines with their 1-based numbers; a whole-file JSON array becomes one record per item. */
function records(text: string): { line: number; text: string; json?: unknown }[] {
  const trimmed = text.trim();
  if (trimmed.startsWith('[')) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(trimmed);
    } catch (error) {
      throw new ProblemFormatError(`not a valid JSON array (${(error as Error).message})`);
    }
    if (!Array.isArray(parsed)) throw new ProblemFormatError('expected a JSON array');
    return parsed.map((json, i) => ({ line: i + 1, text: '', json }));
  }
  return text
    .split(/\r?\n/)
    .map((t, i) => ({ line: i + 1, text: t.trim() }))
    .filter((r) => r.text !== '');
}

function parseJsonLine(text: string, line: number): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new ProblemFormatError(`not valid JSON (${(error as Error).message})`, line);
  }
}

function parseCountdown(text: string): NewProblem[] {
  return records(text).map(({ line, text: t, json }) => {
    if (json === undefined && !t.startsWith('{')) {
      const data = parseStateLine(t);
      if (!data) throw new ProblemFormatError(`expected "24:[4, 9, 3]" or a JSON object, got "${t.slice(0, 60)}"`, line);
      return countdownProblem(data.numbers, data.target);
    }
    const data = recordToNumbers(json ?? parseJsonLine(t, line), line, true);
    return countdownProblem(data.numbers, data.target);
  });
}

function parseGame24(text: string): NewProblem[] {
  const firstLine = text.split(/\r?\n/, 1)[0] ?? '';
  if (/(^|,)\s*"?puzzles"?\s*(,|$)/i.test(firstLine)) return parseTot24Csv(text);
  return records(text).map(({ line, text: t, json }) => {
    if (json === undefined && !t.startsWith('{')) return game24Problem(parsePuzzle(t, line));
    const data = recordToNumbers(json ?? parseJsonLine(t, line), line, false);
    return game24Problem(data.numbers);
  });
}

export function parseProblems(task: TaskName, text: string, options: ParseOptions = {}): NewProblem[] {
  let problems: NewProblem[];
  switch (task) {
    case 'countdown':
      problems = parseCountdown(text);
      break;
    case 'game24':
      problems = parseGame24(text);
      break;
    case 'math':
      problems = parseMathJsonl(text, options.fields);
      break;
  }
  if (problems.length === 0) throw new ProblemFormatError('the file holds no problems');
  return problems;
}
