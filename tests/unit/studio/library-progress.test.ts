/** listRuns reports the asking annotator's progress beside everyone's. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, expect, test } from 'vitest';
import { Engine } from '../../../main/engine/engine';
import { Store } from '../../../main/engine/store/store';
import { callEngine } from '../../helpers/engine-call';
import { seedSampleTree } from '../../helpers/seed';

let engine: Engine | null = null;
afterEach(() => engine?.close());

test('myLabeledCount counts only the named annotator, and is absent when none is named', async () => {
  const db = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'metacot-progress-')), 'p.db');
  const { ids, store } = seedSampleTree(db);
  store.close();
  engine = new Engine(Store.open(db));
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
