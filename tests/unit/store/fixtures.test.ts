/**
 * Databases written by earlier schema versions open in this build with every row intact.
 * Keep one fixture per released schema version (tests/fixtures/db/schema-vN.db).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect, test } from 'vitest';
import { MIGRATIONS } from '../../../main/engine/store/migrations';
import { Store } from '../../../main/engine/store/store';

const FIXTURES = path.resolve('tests/fixtures/db');

test('a schema-v1 database upgrades to the current schema with all data intact', () => {
  const copy = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'metacot-v1-')), 'v1.db');
  fs.copyFileSync(path.join(FIXTURES, 'schema-v1.db'), copy);
  const store = Store.open(copy);
  const versions = store.connection.prepare('SELECT version FROM schema_migrations ORDER BY version').pluck().all();
  expect(versions).toEqual(MIGRATIONS.map((m) => m.version));

  expect(store.problems.get(1)).toMatchObject({ task: 'countdown', prompt: '24:[4, 9, 3]', goldAnswer: '24', metadata: { target: 24 } });
  expect(store.runs.get(1)).toMatchObject({ algorithm: 'bfs', seed: 7, status: 'done', nodeCount: 8, finishReason: 'solution' });
  const nodes = store.nodes.forRun(1);
  expect(nodes.map((n) => n.stepText)).toEqual(['', '9*3=27', '9-3=6', '4+3=7', '27-4=23', '4*6=24', '6-4=2', '9+7=16']);
  expect(nodes.find((n) => n.seq === 3)!.pruned).toBe(true);
  const { annotations, branchRatings } = store.annotations.forRun(1);
  expect(annotations.map((a) => [a.nodeId, a.rating, a.note])).toEqual([
    [2, -1, ''],
    [3, 1, 'right move'],
  ]);
  expect(branchRatings).toMatchObject([{ leafNodeId: 6, score: 5, preferred: true }]);
  expect(store.annotations.history(1, 100)).toHaveLength(5);
  // The history still undoes across the upgrade.
  expect(store.annotations.undo('ann')!.entry.entity).toBe('finish_reason');
  expect(store.runs.get(1).finishReason).toBeNull();
  store.close();
});
