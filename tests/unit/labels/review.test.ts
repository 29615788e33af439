import { execFileSync, spawnSync } from 'node:child_process';
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
  dbPath = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'metacot-review-')), 'r.db');
  t = seedSampleTree(dbPath);
  engine = new Engine(t.store);
});
afterEach(() => engine.close());

const call = (method: string, input: unknown) => callEngine(engine, method, input);

async function label(annotator: string, ratings: (-1 | 0 | 1)[]) {
  for (const [i, rating] of ratings.entries()) await call('setLabel', { nodeId: t.ids[i + 1], annotator, rating });
}

test('agreement, balance and gold accuracy from the studio labels', async () => {
  // Exact labels of seq 1..7: -1, 1, -1, -1, 1, -1, -1.
  await label('ann', [-1, 1, -1, -1, 1, -1, -1]);
  await label('bob', [-1, 1, -1, -1, 1, -1, -1]);
  await label('cy', [1, 1, -1, 0, 1, -1, -1]);
  expect(await call('goldFromExactLabels', { runId: t.runId })).toEqual({ runId: t.runId, goldSteps: 7 });
  const { overall, byTask } = await call('agreement', {});
  expect(overall.items).toBe(7);
  expect(overall.labelCounts).toEqual({ '-1': 13, '0': 1, '1': 7 });
  const pairs = Object.fromEntries(overall.pairwiseCohen.map((p: any) => [`${p.a}-${p.b}`, p.kappa]));
  expect(pairs['ann-bob']).toBe(1);
  expect(pairs['ann-cy']).toBeLessThan(1);
  const acc = Object.fromEntries(overall.perAnnotator.map((p: any) => [p.annotator, p.goldAccuracy]));
  expect(acc).toEqual({ ann: 1, bob: 1, cy: 5 / 7 });
  expect(byTask.map((r: any) => r.scope.task)).toEqual(['countdown']);
  expect(overall.fleissKappa).toBeGreaterThan(0.5);
  expect(overall.fleissKappa).toBeLessThan(1);
});

test('disagreements are listed until a reviewer adjudicates them', async () => {
  await label('ann', [-1, 1]);
  await label('bob', [1, 1]);
  const { items } = await call('listDisagreements', { runId: t.runId });
  expect(items).toHaveLength(1);
  expect(items[0]).toMatchObject({ nodeId: t.ids[1], stepText: '9*3=27', adjudicated: null });
  await call('adjudicate', { nodeId: t.ids[1], reviewer: 'lead', rating: -1, note: 'dead end: 27 and 4 cannot make 24' });
  expect((await call('listDisagreements', { runId: t.runId })).items[0].adjudicated).toBe(-1);
  expect(t.store.connection.prepare('SELECT rating, reviewer FROM adjudications').all()).toEqual([{ rating: -1, reviewer: 'lead' }]);
});

test('metacot agreement prints the statistics, and refuses a missing database with exit 2', () => {
  t.store.annotations.setLabel(t.ids[1]!, 'ann', { rating: -1 });
  t.store.annotations.setLabel(t.ids[1]!, 'bob', { rating: -1 });
  const out = execFileSync(process.execPath, ['bin/metacot.js', 'agreement', '--db', dbPath, '--json'], { encoding: 'utf8' });
  expect(JSON.parse(out).overall.pairwiseCohen).toEqual([{ a: 'ann', b: 'bob', items: 1, kappa: 1 }]);
  const missing = spawnSync(process.execPath, ['bin/metacot.js', 'agreement', '--db', '/nonexistent/x.db'], { encoding: 'utf8' });
  expect(missing.status).toBe(2);
  expect(missing.stderr).toMatch(/^metacot: Database file not found: \/nonexistent\/x.db\n$/);
  expect(fs.existsSync('/nonexistent/x.db')).toBe(false);
});
