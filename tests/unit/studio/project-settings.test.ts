/** Project settings through the contract: stored in the database, and no self-adjudication unless allowed. */
import { afterEach, expect, test } from 'vitest';
import { Engine } from '../../../main/engine/engine';
import { Store } from '../../../main/engine/store/store';
import { callEngine } from '../../helpers/engine-call';
import { engineOnSampleTree } from '../../helpers/sample-engine';

let engine: Engine | null = null;
afterEach(() => engine?.close());

function open() {
  const opened = engineOnSampleTree();
  engine = opened.engine;
  return opened;
}

test('settings default, change in part, and survive reopening the database', async () => {
  const { db } = open();
  expect(await callEngine(engine!, 'getProjectSettings', {})).toEqual({ blindLabeling: false, selfAdjudication: false });
  expect(await callEngine(engine!, 'setProjectSettings', { annotator: 'lead', blindLabeling: true })).toEqual({ blindLabeling: true, selfAdjudication: false });
  engine!.close();
  engine = new Engine(Store.open(db));
  expect((await callEngine(engine, 'getProjectSettings', {})).blindLabeling).toBe(true);
  await expect(callEngine(engine, 'setProjectSettings', { annotator: 'lead', blindLabeling: 'yes' })).rejects.toThrow(/blindLabeling/);
});

test('an annotator cannot adjudicate a step they labeled unless the project allows it', async () => {
  const { ids } = open();
  const step = ids[2]!;
  await callEngine(engine!, 'setLabel', { nodeId: step, annotator: 'ada', rating: 1 });
  await callEngine(engine!, 'setLabel', { nodeId: step, annotator: 'bob', rating: -1 });
  await expect(callEngine(engine!, 'adjudicate', { nodeId: step, reviewer: 'ada', rating: 1 })).rejects.toThrow(/ada rated this step, so another reviewer adjudicates it \(self-adjudication is off/);
  // Someone who did not label it may; so may ada once the project allows it.
  await callEngine(engine!, 'adjudicate', { nodeId: step, reviewer: 'lead', rating: -1 });
  await callEngine(engine!, 'setProjectSettings', { annotator: 'lead', selfAdjudication: true });
  expect(await callEngine(engine!, 'adjudicate', { nodeId: step, reviewer: 'ada', rating: 1 })).toEqual({ nodeId: step, rating: 1 });
});
