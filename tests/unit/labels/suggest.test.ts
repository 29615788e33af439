import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, expect, test } from 'vitest';
import { Engine } from '../../../main/engine/engine';
import { callEngine } from '../../helpers/engine-call';
import { seedSampleTree, type SeededTree } from '../../helpers/seed';

let t: SeededTree;
let engine: Engine;
let dbPath: string;
beforeEach(() => {
  dbPath = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'metacot-suggest-')), 's.db');
  t = seedSampleTree(dbPath);
  t.store.connection.prepare("UPDATE runs SET policy = 'enumerator'").run();
  engine = new Engine(t.store);
});
afterEach(() => engine.close());

const call = (method: string, input: unknown) => callEngine(engine, method, input);

test('accepted suggestions skip rated steps and are one action: one undo and one redo take the batch, one event each', async () => {
  expect(await call('autolabel', { runId: t.runId, method: 'exact' })).toEqual({ labeled: 7 });
  await call('setLabel', { nodeId: t.ids[2], annotator: 'ann', rating: 0 });
  await call('setLabel', { nodeId: t.ids[3], annotator: 'bob', rating: 1 });
  const events: { runId: number; annotations: { nodeId: number }[]; removedAnnotations: { nodeId: number }[] }[] = [];
  engine.events.subscribe((name, payload) => name === 'annotationsChanged' && events.push(payload as (typeof events)[number]));
  const labels = () => Object.fromEntries(t.store.annotations.forRun(t.runId).annotations.map((a) => [`${a.annotator}:${a.nodeId}`, a.rating]));
  const before = labels();

  const res = await call('acceptSuggestions', { annotator: 'ann', source: 'exact', nodeIds: [t.ids[1], t.ids[2], t.ids[5]] });
  expect(res).toEqual({ accepted: 2, skipped: 1 });
  const accepted = labels();
  expect(accepted).toEqual({ ...before, [`ann:${t.ids[1]}`]: -1, [`ann:${t.ids[5]}`]: 1 });
  // Every window hears the batch as one event.
  expect(events.map((e) => e.annotations.map((a) => a.nodeId))).toEqual([[t.ids[1], t.ids[5]]]);
  // Another annotator's later work is not part of ann's batch.
  await call('setLabel', { nodeId: t.ids[4], annotator: 'bob', rating: -1 });
  const withBob = labels();

  const undone = await call('undo', { annotator: 'ann' });
  expect(undone.entries.map((e: { nodeId: number; action: string }) => [e.action, e.nodeId])).toEqual([
    ['undo', t.ids[5]],
    ['undo', t.ids[1]],
  ]);
  expect(undone.entry).toEqual(undone.entries[1]);
  expect(labels()).toEqual({ ...before, [`bob:${t.ids[4]}`]: -1 });
  expect(events.at(-1)!.removedAnnotations.map((a) => a.nodeId)).toEqual([t.ids[5], t.ids[1]]);

  const redone = await call('redo', { annotator: 'ann' });
  expect(redone.entries.map((e: { nodeId: number; action: string }) => [e.action, e.nodeId])).toEqual([
    ['redo', t.ids[1]],
    ['redo', t.ids[5]],
  ]);
  expect(labels()).toEqual(withBob);
  // The next undo takes the whole batch again; the one after it, ann's single label before it.
  expect((await call('undo', { annotator: 'ann' })).entries).toHaveLength(2);
  expect((await call('undo', { annotator: 'ann' })).entries.map((e: { nodeId: number }) => e.nodeId)).toEqual([t.ids[2]]);
  expect(await call('undo', { annotator: 'ann' })).toEqual({ entry: null, entries: [] });
  expect(events).toHaveLength(1 + 1 + 1 + 1 + 1 + 1); // accept, bob, undo, redo, undo, undo

  // The history keeps one row per change; a batch's rows share the id of its first row.
  const groups = t.store.connection
    .prepare("SELECT action, node_id AS nodeId, id, group_id AS groupId FROM history WHERE annotator = 'ann' ORDER BY id")
    .all() as { action: string; nodeId: number; id: number; groupId: number | null }[];
  const batch = groups.filter((g) => g.action === 'do' && g.nodeId !== t.ids[2]);
  expect(batch.map((g) => g.groupId)).toEqual([batch[0]!.id, batch[0]!.id]);
  expect(groups.find((g) => g.nodeId === t.ids[2] && g.action === 'do')!.groupId).toBeNull();
  // Undoing the batch wrote a group of its own; undoing the single label, a row alone.
  const undos = groups.filter((g) => g.action === 'undo');
  expect(undos.map((g) => g.groupId)).toEqual([undos[0]!.id, undos[0]!.id, undos[2]!.id, undos[2]!.id, null]);
});

test('a batch that fails part way leaves nothing behind', async () => {
  await call('autolabel', { runId: t.runId, method: 'exact' });
  const history = () => t.store.connection.prepare('SELECT count(*) FROM history').pluck().get();
  const rows = history();
  // A trigger makes the second label of the batch fail inside the transaction.
  t.store.connection.exec(`CREATE TEMP TRIGGER refuse_second BEFORE INSERT ON annotations WHEN NEW.node_id = ${t.ids[5]} BEGIN SELECT RAISE(ABORT, 'refused'); END;`);
  const events: unknown[] = [];
  engine.events.subscribe((name) => name === 'annotationsChanged' && events.push(name));
  const r = await engine.call('acceptSuggestions', { annotator: 'ann', source: 'exact', nodeIds: [t.ids[1], t.ids[5]] });
  expect(r.ok).toBe(false);
  expect(t.store.annotations.forRun(t.runId).annotations).toEqual([]);
  expect(history()).toBe(rows);
  expect(events).toEqual([]);
  expect(await call('undo', { annotator: 'ann' })).toEqual({ entry: null, entries: [] });
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
  t.store.autoLabels.save(t.runId, [
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
  const rows = engine.store.connection.prepare("SELECT count(*) FROM auto_labels WHERE source = 'mc' AND rollouts = 4").pluck().get();
  expect(rows).toBe(7);
});
