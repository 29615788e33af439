import { expect, test } from 'vitest';
import { getTask } from '../../../main/engine/tasks/registry';

test('the registry knows the three tasks and rejects others', () => {
  expect(getTask('countdown').name).toBe('countdown');
  expect(getTask('game24').name).toBe('game24');
  expect(getTask('math', { stepDelimiter: '\n\n' }).stepDelimiter).toBe('\n\n');
  expect(() => getTask('chess')).toThrow(/unknown task "chess"/);
});
