/**
 * Game of 24 (Tree of Thoughts): four numbers, target 24, fractions allowed along the way
 * (3 3 8 8 needs 8/(3-8/3)). Reads ToT's `24.csv` and its step format.
 */
import type { NewProblem } from '../../../common/domain';
import { ProblemFormatError } from './errors';
import { createNumbersTask, formatStateLine, NumbersProblemData } from './numbers-task';

export const game24Task = createNumbersTask('game24', { fractions: true });

export function game24Problem(numbers: readonly number[], extra: Record<string, unknown> = {}): NewProblem {
  return {
    task: 'game24',
    prompt: formatStateLine(numbers, 24),
    goldAnswer: '24',
    metadata: { numbers: [...numbers], target: 24, ...extra },
  };
}

/** `4 5 6 10` (ToT's Puzzles column) → numbers, or an error naming the line. */
export function parsePuzzle(text: string, line?: number): number[] {
  const items = text.trim().split(/[\s,]+/).filter(Boolean);
  const numbers = items.map(Number);
  const parsed = NumbersProblemData.shape.numbers.safeParse(numbers);
  if (items.length === 0 || !parsed.success || numbers.some((n) => !Number.isFinite(n))) {
    const why = parsed.success ? 'not all numbers' : parsed.error.issues[0]!.message;
    throw new ProblemFormatError(`cannot read puzzle "${text.trim()}" (${why})`, line);
  }
  return parsed.data;
}

/** Splits one CSV line, honouring double quotes. */
function splitCsvLine(line: string): string[] {
  const out: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (quoted) {
      if (c === '"' && line[i + 1] === '"') (field += '"'), i++;
      else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') out.push(field), (field = '');
    else field += c;
  }
  out.push(field);
  return out;
}

/**
 * Tree of Thoughts' `24.csv` (`Rank,Puzzles,AMT (s),Solved rate,...`): one problem per row, with
 * its rank and human solve rate kept in metadata. Rows are in file order (easy to hard).
 */
export function parseTot24Csv(text: string): NewProblem[] {
  const lines = text.split(/\r?\n/);
  const header = splitCsvLine(lines[0] ?? '').map((h) => h.trim());
  const col = header.findIndex((h) => h.toLowerCase() === 'puzzles');
  if (col < 0) throw new ProblemFormatError(`no "Puzzles" column in the header (${header.join(', ')})`, 1);
  const rankCol = header.findIndex((h) => h.toLowerCase() === 'rank');
  const rateCol = header.findIndex((h) => h.toLowerCase() === 'solved rate');
  const problems: NewProblem[] = [];
  lines.slice(1).forEach((raw, i) => {
    if (!raw.trim()) return;
    const cells = splitCsvLine(raw);
    const puzzle = cells[col];
    if (puzzle === undefined) throw new ProblemFormatError(`row has no Puzzles cell`, i + 2);
    const extra: Record<string, unknown> = { source: '24.csv' };
    const rank = rankCol >= 0 ? Number(cells[rankCol]) : NaN;
    if (Number.isInteger(rank)) extra.rank = rank;
    if (rateCol >= 0 && cells[rateCol]?.trim()) extra.solvedRate = cells[rateCol]!.trim();
    problems.push(game24Problem(parsePuzzle(puzzle, i + 2), extra));
  });
  if (problems.length === 0) throw new ProblemFormatError('the CSV has no puzzle rows');
  return problems;
}
