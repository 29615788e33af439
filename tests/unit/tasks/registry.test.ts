import { expect, test } from 'vitest';
import { parseProblems } from '../../../main/engine/tasks/import';
import { getTask } from '../../../main/engine/tasks/registry';

test('countdown files: JSONL (numbers or nums), JSON arrays, state lines', () => {
  const text = '{"numbers": [4, 9, 3], "target": 24}\n{"nums": [1, 2, 3], "target": 6}\n10:[1, 2, 3, 4]\n';
  expect(parseProblems('countdown', text).map((p) => p.prompt)).toEqual(['24:[4, 9, 3]', '6:[1, 2, 3]', '10:[1, 2, 3, 4]']);
  expect(parseProblems('countdown', '[{"nums": [5, 5], "target": 25}]')[0]!.metadata).toEqual({ numbers: [5, 5], target: 25 });
  expect(() => parseProblems('countdown', '24:[4, 9, 3]\n24:[4, 9\n')).toThrow(/line 2/);
  expect(() => parseProblems('countdown', '{"numbers": [4], "target": 24}')).toThrow(/line 1: numbers: a puzzle needs at least 2/);
  expect(() => parseProblems('countdown', '{"numbers": [4, 1.5], "target": 24}')).toThrow(/line 1: numbers.1: numbers must be whole/);
  expect(() => parseProblems('countdown', '{"numbers": [4, 5]}')).toThrow(/line 1: target/);
  expect(() => parseProblems('countdown', '')).toThrow(/no problems/);
});

test('game24 files: 24.csv or puzzle lines', () => {
  expect(parseProblems('game24', '4 5 6 10\n1 1 4 6\n').map((p) => p.prompt)).toEqual(['24:[4, 5, 6, 10]', '24:[1, 1, 4, 6]']);
  expect(parseProblems('game24', 'Rank,Puzzles\n1,1 1 4 6\n')).toHaveLength(1);
  expect(() => parseProblems('game24', '4 5 six 10')).toThrow(/line 1/);
});

test('the registry knows the three tasks and rejects others', () => {
  expect(getTask('countdown').name).toBe('countdown');
  expect(getTask('game24').name).toBe('game24');
  expect(getTask('math', { stepDelimiter: '\n\n' }).stepDelimiter).toBe('\n\n');
  expect(() => getTask('chess')).toThrow(/unknown task "chess"/);
});
