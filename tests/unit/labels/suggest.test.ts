import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, expect, test } from 'vitest';
import { Engine } from '../../../main/engine/engine';
import { saveAutoLabels } from '../../../main/engine/labels/auto-labels';
import { callEngine } from '../../helpers/engine-call';
import { seedSampleTree, type SeededTree } from '../../helpers/seed';

let t: SeededTree;
let engine: Engine;
let dbPath: string;
beforeEach(() => {
  dbPath = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'metacot-suggest-')), 's.db');
  t = seedSampleTree(dbPath);
  t.store.db.prepare("UPDATE runs SET policy = 'enumerator'").run();
  engine = new Engine(t.store);
});
afterEach(() => engine.close());

const call = (method: string, input: unknown) => callEngine(engine, method, input);

test('suggestions are accepted into human labels, skip rated steps, and undo one by one', async () => {
  expect(await call('autolabel', { runId: t.runId, method: 'exact' })).toEqual({ labeled: 7 });
  await call('setLabel', { nodeId: t.ids[2], annotator: 'ann', rating: 0 });
  const res = await call('acceptSuggestions', { annotator: 'ann', source: 'exact', nodeIds: [t.ids[1], t.ids[2], t.ids[5]] });
  expect(res).toEqual({ accepted: 2, skipped: 1 });
  const labels = Object.fromEntries(t.store.annotations.forRun(t.runId).annotations.map((a) => [a.nodeId, a.rating]));
  expect(labels).toEqual({ [t.ids[1]!]: -1, [t.ids[2]!]: 0, [t.ids[5]!]: 1 });
  await call('undo', { annotator: 'ann' });
  expect(t.store.annotations.forRun(t.runId).annotations).toHaveLength(2);
});

test('unknown policies and impossible requests are input errors, not crashes', async () => {
  const r = await engine.call('autolabel', { runId: t.runId, method: 'mc', policy: 'no-such-model' });
  expect(r).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
  const fe = await engine.call('autolabel', { runId: t.runId, method: 'first-error', nodeIds: [t.ids[2]] });
  expect(fe).toMatchObject({ ok: false, error: { code: 'invalid_input', message: expect.stringMatching(/does not end a wrong finished path/) } });
});

test('the queue follows each active-learning rule', async () => {
  const order = await call('nextToLabel', { annotator: 'ann', limit: 3 });
  expect(order.items.map((i: any) => i.nodeId)).toEqual([t.ids[1], t.ids[2], t.ids[3]]);
  // Scorer probabilities: the one nearest 0.5 is the most uncertain.
  saveAutoLabels(t.store.db, t.runId, [
    { nodeId: t.ids[1]!, source: 'scorer', label: -1, value: 0.05, rollouts: null, model: 'prm' },
    { nodeId: t.ids[4]!, source: 'scorer', label: 1, value: 0.55, rollouts: null, model: 'prm' },
    { nodeId: t.ids[5]!, source: 'scorer', label: 1, value: 0.9, rollouts: null, model: 'prm' },
    { nodeId: t.ids[1]!, source: 'mc', label: 1, value: 0.8, rollouts: 8, model: 'p' },
    { nodeId: t.ids[5]!, source: 'mc', label: 1, value: 0.85, rollouts: 8, model: 'p' },
  ]);
  expect((await call('nextToLabel', { annotator: 'ann', rule: 'uncertainty', limit: 3 })).items.map((i: any) => i.nodeId)).toEqual([t.ids[4], t.ids[5], t.ids[1]]);
  expect((await call('nextToLabel', { annotator: 'ann', rule: 'scorer-vs-mc', limit: 2 })).items.map((i: any) => i.nodeId)).toEqual([t.ids[1], t.ids[5]]);
  await call('setLabel', { nodeId: t.ids[6], annotator: 'bob', rating: 1 });
  await call('setLabel', { nodeId: t.ids[6], annotator: 'cy', rating: -1 });
  expect((await call('nextToLabel', { annotator: 'ann', rule: 'annotator-disagreement' })).items.map((i: any) => i.nodeId)).toEqual([t.ids[6]]);
  // Once ann rates it, it leaves ann's queue.
  await call('setLabel', { nodeId: t.ids[6], annotator: 'ann', rating: 1 });
  expect((await call('nextToLabel', { annotator: 'ann', rule: 'annotator-disagreement' })).items).toEqual([]);
});

test('metacot autolabel writes Monte-Carlo suggestions from the command line', () => {
  engine.close();
  const out = execFileSync(process.execPath, ['bin/metacot.js', 'autolabel', '--db', dbPath, '--method', 'mc', '--rollouts', '4'], { encoding: 'utf8' });
  expect(out).toMatch(/run \d+: 7 steps labeled/);
  engine = Engine.open(dbPath);
  const rows = engine.store.db.prepare("SELECT count(*) FROM auto_labels WHERE source = 'mc' AND rollouts = 4").pluck().get();
  expect(rows).toBe(7);
});
