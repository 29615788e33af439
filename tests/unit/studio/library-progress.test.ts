/** listRuns reports the asking annotator's progress beside everyone's. */
import { afterEach, expect, test } from 'vitest';
import type { Engine } from '../../../main/engine/engine';
import { callEngine } from '../../helpers/engine-call';
import { engineOnSampleTree } from '../../helpers/sample-engine';

let engine: Engine | null = null;
afterEach(() => engine?.close());

test('myLabeledCount counts only the named annotator, and is absent when none is named', async () => {
  const opened = engineOnSampleTree();
  engine = opened.engine;
  const { ids } = opened;
  await callEngine(engine, 'setLabel', { nodeId: ids[1], annotator: 'ada', rating: 1 });
  await callEngine(engine, 'setLabel', { nodeId: ids[2], annotator: 'ada', rating: -1 });
  await callEngine(engine, 'setLabel', { nodeId: ids[3], annotator: 'bob', rating: 0 });
  const run = async (input: object) => (await callEngine(engine!, 'listRuns', input)).runs[0];
  expect((await run({ annotator: 'ada' })).myLabeledCount).toBe(2);
  expect((await run({ annotator: 'bob' })).myLabeledCount).toBe(1);
  expect((await run({ annotator: 'cy' })).myLabeledCount).toBe(0);
  const anyone = await run({});
  expect(anyone.myLabeledCount).toBeUndefined();
  expect(anyone.labeledCount).toBe(3);
});
