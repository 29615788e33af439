/**
 * Problem files with field mapping: GSM8K (`question`, `answer` ending `#### 18`), MATH
 * (`problem`, `solution` with `\boxed{}`), Tree of Thoughts' `24.csv` (`Puzzles`), Game of 24
 * lines `4 5 6 10`, countdown (`{"numbers"|"nums": [...], "target": 24}` or `24:[4, 9, 3]`), or
 * any JSONL/CSV with named fields (by default the first of QUESTION_FIELDS and ANSWER_FIELDS).
 * Each record is read on its own, so every bad one is reported with its line. This is the one
 * reader of problem files: `metacot import`, the studio and `metacot search --problems` use it.
 */
import { z } from 'zod';
import type { ImportMapping } from '../../../common/contract/export';
import { NewProblem, type TaskName } from '../../../common/domain';
import { countdownProblem } from '../tasks/countdown';
import { game24Problem, parsePuzzle } from '../tasks/game24';
import { extractBoxed, extractGoldAnswer } from '../tasks/math-answer';
import { NumbersProblemData, parseStateLine } from '../tasks/numbers-task';
import { ImportLineError, jsonObject, type ImportItem, type ImportParser, type ImportRecord } from './types';

/** Where a word problem's question and answer are looked for when no field is named, in order. */
const QUESTION_FIELDS = ['question', 'problem', 'prompt', 'input'];
const ANSWER_FIELDS = ['answer', 'solution', 'ground_truth_answer', 'final_answer'];

const PRESET_FIELDS = {
  gsm8k: { prompt: 'question', answer: 'answer', format: 'gsm8k' },
  math: { prompt: 'problem', answer: 'solution', format: 'boxed' },
} as const;

/** Validates a problem as the store will, so a bad one is a line error, not a failed transaction. */
export function checkedProblem(problem: z.input<typeof NewProblem>): NewProblem {
  const parsed = NewProblem.safeParse(problem);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new ImportLineError(`${issue.path.join('.') || 'problem'}: ${issue.message}`);
  }
  return parsed.data;
}

function text(value: unknown, field: string): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return String(value);
  throw new ImportLineError(`field "${field}" is ${value === undefined ? 'missing' : 'not text'}`);
}

function goldAnswer(answer: string, format: 'raw' | 'gsm8k' | 'boxed' | undefined): string | null {
  if (format === 'raw') return answer.trim() || null;
  if (format === 'gsm8k') {
    const m = /####\s*(.+?)\s*$/s.exec(answer);
    if (!m) throw new ImportLineError('the answer has no "#### " final answer (GSM8K format)');
    return m[1]!.trim();
  }
  if (format === 'boxed') {
    const boxed = extractBoxed(answer);
    if (boxed === null) throw new ImportLineError('the solution has no \\boxed{} answer (MATH format)');
    return boxed;
  }
  return extractGoldAnswer(answer);
}

/** The other fields of a record, kept as metadata (level, type, unique id, ...). */
function extras(record: Record<string, unknown>, used: string[]): Record<string, unknown> {
  return Object.fromEntries(Object.entries(record).filter(([k]) => !used.includes(k)));
}

function numbersProblem(record: Record<string, unknown>, task: TaskName | undefined): NewProblem {
  const numbers = record.numbers ?? record.nums;
  const wantTask = task ?? (record.target === undefined ? 'game24' : 'countdown');
  const parsed = NumbersProblemData.safeParse({ numbers, target: wantTask === 'game24' ? 24 : record.target });
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new ImportLineError(`${issue.path.join('.') || 'record'}: ${issue.message}`);
  }
  const { numbers: n, target } = parsed.data;
  return wantTask === 'game24' ? game24Problem(n) : countdownProblem(n, target);
}

const firstPresent = (record: Record<string, unknown>, fields: string[]) => fields.find((f) => record[f] !== undefined && record[f] !== null);

/** `guessed`: the preset was told from the fields (auto), so the answer's format is not enforced. */
function textProblem(record: Record<string, unknown>, mapping: ImportMapping, preset: 'gsm8k' | 'math' | 'custom', guessed: boolean): NewProblem {
  const defaults = preset === 'custom' ? undefined : PRESET_FIELDS[preset];
  const promptField = mapping.promptField ?? defaults?.prompt ?? firstPresent(record, QUESTION_FIELDS);
  if (!promptField) throw new ImportLineError(`no prompt field (looked for ${QUESTION_FIELDS.join(', ')}): give the field that holds the question`);
  const answerField = mapping.answerField ?? defaults?.answer ?? (mapping.promptField ? undefined : firstPresent(record, ANSWER_FIELDS));
  const prompt = text(record[promptField], promptField).trim();
  let gold: string | null = null;
  const metadata: Record<string, unknown> = extras(record, [promptField, answerField ?? '']);
  if (answerField) {
    const answer = text(record[answerField], answerField);
    // Without a format the answer's own shape decides: `#### 18`, a last \boxed{}, else the text.
    gold = goldAnswer(answer, mapping.answerFormat ?? (guessed ? undefined : defaults?.format));
    metadata.reference = answer;
  }
  if (preset !== 'custom') metadata.source = preset === 'gsm8k' ? 'GSM8K' : 'MATH';
  return { task: mapping.task ?? 'math', prompt, goldAnswer: gold, metadata };
}

/** Which reading fits a record when the preset is `auto`. */
function guessPreset(record: Record<string, unknown>): 'tot24' | 'numbers' | 'gsm8k' | 'math' | 'custom' {
  if ('Puzzles' in record) return 'tot24';
  if ('numbers' in record || 'nums' in record) return 'numbers';
  if ('question' in record && 'answer' in record) return 'gsm8k';
  if ('problem' in record && 'solution' in record) return 'math';
  if (firstPresent(record, QUESTION_FIELDS)) return 'custom';
  throw new ImportLineError(
    `cannot tell what this record is (fields: ${Object.keys(record).join(', ') || 'none'}); ` +
      'choose a preset or give the prompt field',
  );
}

/** A problem of the mapping's task, when it names one (a countdown line in a game24 file is an error). */
export function problemFromRecord(record: ImportRecord, mapping: ImportMapping): NewProblem {
  const problem = readProblem(record, mapping);
  if (mapping.task && problem.task !== mapping.task) {
    throw new ImportLineError(`this is a ${problem.task} problem (${problem.prompt.slice(0, 40)}), not ${mapping.task}`);
  }
  return problem;
}

function readProblem(record: ImportRecord, mapping: ImportMapping): NewProblem {
  if (record.text !== undefined && !record.text.trim().startsWith('{')) {
    // Plain lines: a countdown state `24:[4, 9, 3]` or a Game of 24 puzzle `4 5 6 10`.
    const state = parseStateLine(record.text);
    if (state) return checkedProblem(countdownProblem(state.numbers, state.target));
    if (mapping.task === 'game24' || /^[\d\s]+$/.test(record.text.trim())) {
      try {
        return checkedProblem(game24Problem(parsePuzzle(record.text)));
      } catch (error) {
        throw new ImportLineError((error as Error).message);
      }
    }
  }
  const obj = jsonObject(record);
  const preset = mapping.preset === 'auto' ? (mapping.promptField ? 'custom' : guessPreset(obj)) : mapping.preset;
  if (preset === 'tot24') {
    const puzzle = text(obj.Puzzles, 'Puzzles');
    let numbers: number[];
    try {
      numbers = parsePuzzle(puzzle);
    } catch (error) {
      throw new ImportLineError((error as Error).message);
    }
    const extra: Record<string, unknown> = { source: '24.csv' };
    const rank = Number(obj.Rank);
    if (Number.isInteger(rank)) extra.rank = rank;
    if (typeof obj['Solved rate'] === 'string' && obj['Solved rate'].trim()) extra.solvedRate = obj['Solved rate'].trim();
    return checkedProblem(game24Problem(numbers, extra));
  }
  if (preset === 'numbers') return checkedProblem(numbersProblem(obj, mapping.task));
  return checkedProblem(textProblem(obj, mapping, preset, mapping.preset === 'auto'));
}

export function problemsParser(mapping: ImportMapping): ImportParser {
  return {
    push: (record): ImportItem[] => [{ kind: 'problem', problem: problemFromRecord(record, mapping) }],
    finish: () => [],
  };
}
