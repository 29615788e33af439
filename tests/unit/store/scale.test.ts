/**
 * The queries the studio runs on every screen use indexes, so they stay fast however big the
 * database grows (checked with EXPLAIN QUERY PLAN on a synthetic database).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { buildSyntheticDb } from '../../../main/engine/sample/synthetic';
import { Store } from '../../../main/engine/store/store';

let store: Store;
let bigRunId: number;
beforeAll(() => {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'metacot-scale-')), 'synth.db');
  const built = buildSyntheticDb(file, { runs: 60, nodesPerRun: 40, bigRunNodes: 2000, seed: 3 });
  bigRunId = built.bigRunId!;
  store = Store.open(file);
  store.connection.exec('ANALYZE');
});
afterAll(() => store.close());

function plan(sql: string, ...params: unknown[]): string {
  return (store.connection.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...params) as { detail: string }[]).map((r) => r.detail).join(' | ');
}

test('the synthetic database has realistic trees', () => {
  const nodes = store.nodes.forRun(bigRunId);
  expect(nodes).toHaveLength(2000);
  const children = new Map<number, number>();
  for (const n of nodes) if (n.parentId !== null) children.set(n.parentId, (children.get(n.parentId) ?? 0) + 1);
  const fanout = [...children.values()];
  expect(Math.min(...fanout)).toBeGreaterThanOrEqual(1);
  expect(Math.max(...fanout)).toBeLessThanOrEqual(4);
  expect(Math.max(...nodes.map((n) => n.depth))).toBeGreaterThan(5);
});

test("a run's tree, a node's children and a node's path are index lookups, not scans", () => {
  expect(plan('SELECT * FROM nodes WHERE run_id = ? ORDER BY seq', bigRunId)).toMatch(/SEARCH nodes USING INDEX nodes_run_seq \(run_id=\?\)/);
  expect(plan('SELECT * FROM nodes WHERE parent_id = ? ORDER BY seq', 5)).toMatch(/SEARCH nodes USING INDEX nodes_parent \(parent_id=\?\)/);
  expect(plan('SELECT * FROM nodes WHERE run_id = ? AND seq = ?', bigRunId, 3)).toMatch(/USING INDEX nodes_run_seq \(run_id=\? AND seq=\?\)/);
  expect(plan('SELECT * FROM annotations WHERE run_id = ?', bigRunId)).toMatch(/USING INDEX annotations_run/);
  expect(plan('SELECT * FROM nodes WHERE run_id = ? ORDER BY seq', bigRunId)).not.toMatch(/SCAN nodes|TEMP B-TREE/);
});

test('the library page query does not scan or sort nodes', () => {
  const sql = `SELECT r.*, p.task, p.prompt FROM runs r JOIN problems p ON p.id = r.problem_id
               WHERE r.status = 'done' ORDER BY r.id DESC LIMIT 100`;
  const detail = plan(sql);
  // Labeling progress and node counts are kept on the run row, so no page touches nodes or
  // annotations, and rows come in id order without a sort.
  expect(detail).not.toMatch(/nodes|annotations|TEMP B-TREE/);
  expect(detail).toMatch(/SEARCH p USING INTEGER PRIMARY KEY/);
  expect(store.runs.list({ status: 'done', limit: 100, offset: 0 }).runs).toHaveLength(61);
});
