/** The studio's time-spent methods: totals per annotator, validated input, unknown runs refused. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, expect, test } from 'vitest';
import { Engine } from '../../../main/engine/engine';
import { seedSampleTree, type SeededTree } from '../../helpers/seed';

let seeded: SeededTree;
let engine: Engine;

beforeEach(() => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'metacot-time-'));
  seeded = seedSampleTree(path.join(dir, 't.db'));
  engine = new Engine(seeded.store);
});
afterEach(() => engine.close());

test('adds up active seconds per annotator and in total', async () => {
  expect(await engine.call('getTimeSpent', { runId: seeded.runId })).toEqual({
    ok: true,
    value: { runId: seeded.runId, byAnnotator: {}, totalSeconds: 0 },
  });
  await engine.call('addTimeSpent', { runId: seeded.runId, annotator: 'ada', seconds: 30 });
  await engine.call('addTimeSpent', { runId: seeded.runId, annotator: 'bob', seconds: 12 });
  const last = await engine.call('addTimeSpent', { runId: seeded.runId, annotator: 'ada', seconds: 5 });
  expect(last).toEqual({ ok: true, value: { runId: seeded.runId, byAnnotator: { ada: 35, bob: 12 }, totalSeconds: 47 } });
  // Survives a reopen: it is in the database, not in memory.
  const again = await engine.call('getTimeSpent', { runId: seeded.runId });
  expect(again).toMatchObject({ ok: true, value: { totalSeconds: 47 } });
});

test('refuses bad input and unknown runs with messages that say what was wrong', async () => {
  const negative = await engine.call('addTimeSpent', { runId: seeded.runId, annotator: 'ada', seconds: -3 });
  expect(negative).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
  expect(JSON.stringify(negative)).toContain('seconds');
  const tooLong = await engine.call('addTimeSpent', { runId: seeded.runId, annotator: 'ada', seconds: 7200 });
  expect(JSON.stringify(tooLong)).toContain('at most an hour');
  const missing = await engine.call('addTimeSpent', { runId: 999, annotator: 'ada', seconds: 3 });
  expect(missing).toMatchObject({ ok: false, error: { code: 'not_found', message: 'Run 999 not found' } });
  expect(await engine.call('getTimeSpent', { runId: 999 })).toMatchObject({ ok: false, error: { code: 'not_found' } });
});

test('a damaged stored entry restarts the count instead of failing', async () => {
  seeded.store.setSetting(`time_spent/run/${seeded.runId}`, JSON.stringify({ ada: 'lots' }));
  expect(await engine.call('getTimeSpent', { runId: seeded.runId })).toMatchObject({ ok: true, value: { totalSeconds: 0 } });
  seeded.store.setSetting(`time_spent/run/${seeded.runId}`, '{not json');
  const r = await engine.call('addTimeSpent', { runId: seeded.runId, annotator: 'ada', seconds: 4 });
  expect(r).toMatchObject({ ok: true, value: { byAnnotator: { ada: 4 }, totalSeconds: 4 } });
});
