/**
 * Runs of a batch that wait on a served scorer proceed together on one thread, so a local ONNX
 * policy they share may be asked again before its previous call has finished: interleaved calls
 * must give what the same calls give one after another (full and static KV layouts, shared cache).
 */
import { expect, test } from 'vitest';
import { createProviders } from '../../../main/engine/providers';
import { countdownTask as task } from '../../../main/engine/tasks/countdown';
import { countdown, proposeRequest } from '../search/helpers';
import { fixture } from './fixtures';

const providers = createProviders();
const problems = [countdown([4, 9, 3, 2], 24, 1), countdown([5, 7, 2, 8], 30, 2), countdown([6, 1, 3, 9], 17, 3), countdown([4, 9, 3, 2], 11, 4)];
const calls = problems.map((p, i) => [proposeRequest(task, p, [], 4, 10 + i)]);

for (const model of ['hf-tiny', 'hf-static-tiny']) {
  test(`${model}: interleaved propose calls answer what sequential ones do`, async () => {
    const make = () => providers.createPolicy(`onnx:${fixture(model)}?max_tokens=12&temperature=1&kv_cache_mb=64`, { task, seed: 1 });
    const sequential = await make();
    const expected = [];
    for (const call of calls) expected.push(await sequential.propose(call));
    const interleaved = await make();
    expect(await Promise.all(calls.map((call) => interleaved.propose(call)))).toEqual(expected);
    // Again on the now warm cache: siblings of cached paths, still interleaved.
    expect(await Promise.all(calls.map((call) => interleaved.propose(call)))).toEqual(expected);
    await sequential.close?.();
    await interleaved.close?.();
  });
}
