/**
 * One reader of problem files (import/problems.ts through readProblemFile): what `metacot search
 * --problems` reads is what `metacot import --format problems` and the studio read.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ImportMapping } from '../../../common/contract/export';
import { readProblemFile } from '../../../main/engine/import/run-import';

let dir: string;
let counter = 0;
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'metacot-problem-files-'));
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function read(text: string, mapping: Partial<ImportMapping>, ext = 'jsonl') {
  const file = path.join(dir, `p-${++counter}.${ext}`);
  fs.writeFileSync(file, text);
  return readProblemFile(file, mapping);
}
const prompts = (r: ReturnType<typeof read>) => r.problems.map((p) => p.prompt);

describe('problem files', () => {
  it('countdown: JSONL with numbers or nums, JSON arrays, state lines', () => {
    const r = read('{"numbers": [4, 9, 3], "target": 24}\n{"nums": [1, 2, 3], "target": 6}\n10:[1, 2, 3, 4]\n', { task: 'countdown' });
    expect(r.errors).toEqual([]);
    expect(prompts(r)).toEqual(['24:[4, 9, 3]', '6:[1, 2, 3]', '10:[1, 2, 3, 4]']);
    expect(read('[{"nums": [5, 5], "target": 25}]', { task: 'countdown' }, 'json').problems[0]!.metadata).toEqual({ numbers: [5, 5], target: 25 });
  });

  it('countdown: every bad record is named by its line', () => {
    const r = read(
      ['24:[4, 9, 3]', '24:[4, 9', '{"numbers": [4], "target": 24}', '{"numbers": [4, 1.5], "target": 24}', '{"numbers": [4, 5]}', '4 5 6 10'].join('\n'),
      { task: 'countdown' },
    );
    expect(r.problems).toHaveLength(1);
    expect(r.errors.map((e) => e.line)).toEqual([2, 3, 4, 5, 6]);
    expect(r.errors[1]!.reason).toMatch(/numbers: a puzzle needs at least 2/);
    expect(r.errors[2]!.reason).toMatch(/numbers.1: numbers must be whole/);
    expect(r.errors[3]!.reason).toMatch(/target/);
    // A Game of 24 puzzle is not a countdown problem.
    expect(r.errors[4]!.reason).toMatch(/this is a game24 problem .*, not countdown/);
    expect(read('', { task: 'countdown' })).toEqual({ problems: [], errors: [] });
  });

  it('game24: puzzle lines (also in a .txt file), JSONL numbers, and 24.csv', () => {
    expect(prompts(read('4 5 6 10\n1 1 4 6\n', { task: 'game24' }, 'txt'))).toEqual(['24:[4, 5, 6, 10]', '24:[1, 1, 4, 6]']);
    expect(prompts(read('{"numbers": [3, 3, 8, 8]}\n', { task: 'game24' }))).toEqual(['24:[3, 3, 8, 8]']);
    const csv = read('Rank,Puzzles,AMT (s),Solved rate,1-sigma Mean (s),1-sigma STD (s)\n1,1 1 4 6,4.4,99.5%,4.67,1.48\n', { task: 'game24' }, 'csv');
    expect(csv.problems).toHaveLength(1);
    expect(csv.problems[0]!.metadata).toMatchObject({ rank: 1, source: '24.csv' });
    expect(read('4 5 six 10', { task: 'game24' }).errors[0]).toMatchObject({ line: 1 });
  });

  it('math: GSM8K and MATH records, other field names, and named fields', () => {
    const gsm = read('{"question": "Q1?", "answer": "work\\n#### 18"}\n\n{"question": "Q2?", "answer": "#### 3"}\n', { task: 'math' });
    expect(gsm.problems.map((p) => [p.prompt, p.goldAnswer])).toEqual([
      ['Q1?', '18'],
      ['Q2?', '3'],
    ]);
    expect(gsm.problems[0]!.metadata).toMatchObject({ reference: 'work\n#### 18', source: 'GSM8K' });
    expect(read('{"problem": "P?", "solution": "so $\\\\boxed{\\\\frac{1}{2}}$"}', { task: 'math' }).problems[0]!.goldAnswer).toBe('\\frac{1}{2}');
    // Other common names are found without a mapping; a question without an answer has no gold.
    expect(read('{"prompt": "P?", "final_answer": "7"}\n{"input": "I?"}', { task: 'math' }).problems.map((p) => [p.prompt, p.goldAnswer])).toEqual([
      ['P?', '7'],
      ['I?', null],
    ]);
    // Named fields (--question-field/--answer-field): the answer's own shape gives the gold answer.
    const named = read('{"q": "Q?", "a": 5}\n{"q": "R?", "a": "so \\\\boxed{9}"}', { task: 'math', promptField: 'q', answerField: 'a' });
    expect(named.problems.map((p) => p.goldAnswer)).toEqual(['5', '9']);
    expect(read('{"q": "Q?"}', { task: 'math', promptField: 'q', answerField: 'a' }).errors).toEqual([{ line: 1, reason: 'field "a" is missing' }]);
    // A guessed GSM8K record without "#### " is read by its shape; the gsm8k preset insists.
    expect(read('{"question": "Q?", "answer": "just 4"}', { task: 'math' }).problems[0]!.goldAnswer).toBe('just 4');
    expect(read('{"question": "Q?", "answer": "just 4"}', { task: 'math', preset: 'gsm8k' }).errors[0]!.reason).toMatch(/no "#### " final answer/);
    const bad = read('{"question": "Q?", "answer": "1"}\n{bad json\n{"text": "Q?"}\n[1]', { task: 'math' });
    expect(bad.errors.map((e) => [e.line, e.reason.replace(/ \(.*/, '')])).toEqual([
      [2, 'not valid JSON'],
      [3, 'cannot tell what this record is'],
      [4, 'expected a JSON object'],
    ]);
  });
});
