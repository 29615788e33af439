/** reviewLabels: what the studio shows on a step (gold labels, adjudicated final labels), per run. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, expect, test } from 'vitest';
import { Engine } from '../../../main/engine/engine';
import { callEngine } from '../../helpers/engine-call';
import { seedSampleTree, type SeededTree } from '../../helpers/seed';

let t: SeededTree;
let engine: Engine;
beforeEach(() => {
  t = seedSampleTree(path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'metacot-review-labels-')), 'r.db'));
  engine = new Engine(t.store);
});
afterEach(() => engine.close());

const call = (method: string, input: unknown) => callEngine(engine, method, input);

test('gold labels and adjudications of a run come back per step; cleared ones are gone', async () => {
  expect(await call('reviewLabels', { runId: t.runId })).toEqual({ gold: [], adjudications: [] });
  await call('setGold', { nodeId: t.ids[2], setBy: 'lead', rating: 1 });
  await call('setGold', { nodeId: t.ids[4], setBy: 'lead', rating: -1 });
  await call('adjudicate', { nodeId: t.ids[1], reviewer: 'lead', rating: -1, note: 'dead end' });
  await call('setGold', { nodeId: t.ids[4], setBy: 'lead', rating: null });
  expect(await call('reviewLabels', { runId: t.runId })).toEqual({
    gold: [{ nodeId: t.ids[2], rating: 1, setBy: 'lead' }],
    adjudications: [{ nodeId: t.ids[1], rating: -1, reviewer: 'lead', note: 'dead end' }],
  });
  const missing = await engine.call('reviewLabels', { runId: 999 });
  expect(missing.ok).toBe(false);
});
