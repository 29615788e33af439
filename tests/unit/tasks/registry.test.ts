import { expect, test } from 'vitest';
import { TASKS } from '../../../common/domain';
import { TASK_SPECS } from '../../../common/tasks';
import { getTask, taskOptionsProblem } from '../../../main/engine/tasks/registry';

test('the registry knows the three tasks and rejects others', () => {
  expect(getTask('countdown').name).toBe('countdown');
  expect(getTask('game24').name).toBe('game24');
  expect(getTask('math', { stepDelimiter: '\n\n' }).stepDelimiter).toBe('\n\n');
  expect(() => getTask('chess')).toThrow(/unknown task "chess"/);
});

test('TASK_SPECS says what each task implementation does', () => {
  expect(Object.keys(TASK_SPECS).sort()).toEqual([...TASKS].sort());
  for (const name of TASKS) {
    const spec = TASK_SPECS[name];
    const task = getTask(name);
    // Numbers games have an exact solver and list their legal steps; their traces use Stream of Search.
    expect([name, Boolean(task.exactLabel), Boolean(task.legalSteps)]).toEqual([name, spec.numbersGame, spec.numbersGame]);
    expect([name, spec.traceSyntax]).toEqual([name, spec.numbersGame ? 'sos' : 'generic']);
    expect(task.stepDelimiter).toBe('\n');
    if (spec.delimiterOption) {
      expect(getTask(name, { stepDelimiter: '\n\n' }).stepDelimiter).toBe('\n\n');
      expect(taskOptionsProblem(name, { stepDelimiter: '\n\n' })).toBeNull();
    } else {
      expect(taskOptionsProblem(name, { stepDelimiter: '\n\n' })).toBe(`a step delimiter applies to math only, not ${name}`);
    }
    expect(taskOptionsProblem(name, {})).toBeNull();
  }
});
