import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect, test } from 'vitest';
import { Store } from '../../../main/engine/store/store';
import type { FlushResult } from '../../../main/engine/store/node-writer';

function freshRun() {
  const store = Store.open(path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'metacot-writer-')), 'w.db'));
  const problemId = store.problems.insert({ task: 'countdown', prompt: '10:[1, 2, 3, 4]' });
  const run = store.runs.create({ problemId, algorithm: 'bfs', policy: 'test' });
  return { store, runId: run.id };
}

test('many small writes land exactly once, batched, in order, with parents resolved', () => {
  const { store, runId } = freshRun();
  const flushes: FlushResult[] = [];
  const writer = store.nodeWriter(runId, { maxBatch: 64, flushIntervalMs: 60_000, onFlush: (r) => flushes.push(r) });
  const N = 5000;
  writer.add({ seq: 0, parentSeq: null, depth: 0, expansion: 0, stepText: '' });
  for (let seq = 1; seq < N; seq++) {
    const parentSeq = Math.floor((seq - 1) / 3);
    writer.add({ seq, parentSeq, depth: 0, expansion: seq, stepText: `step ${seq}`, logprob: -seq / 100 });
    if (seq % 7 === 0) writer.update({ seq: parentSeq, visits: seq, q: seq / N });
  }
  writer.close();
  expect(flushes.length).toBeGreaterThan(N / 64 - 1);
  expect(flushes.every((f) => f.inserted.length + f.updated.length <= 64)).toBe(true);
  const nodes = store.nodes.forRun(runId);
  expect(nodes).toHaveLength(N);
  const idBySeq = new Map(nodes.map((n) => [n.seq, n.id]));
  for (const n of nodes) {
    if (n.seq === 0) continue;
    expect(n.parentId).toBe(idBySeq.get(Math.floor((n.seq - 1) / 3)));
  }
  expect(store.runs.get(runId).nodeCount).toBe(N);
  const last = 4998; // the last update of seq 1666 came from 4998
  expect(store.nodes.bySeq(runId, Math.floor((last - 1) / 3))!.visits).toBe(last);
  store.close();
});

test('a CPU-bound caller that never yields still gets flushes every interval', () => {
  const { store, runId } = freshRun();
  const writer = store.nodeWriter(runId, { flushIntervalMs: 5, maxBatch: 1_000_000 });
  writer.add({ seq: 0, parentSeq: null, depth: 0, expansion: 0, stepText: '' });
  const until = Date.now() + 30;
  let seq = 1;
  while (Date.now() < until) writer.add({ seq: seq++, parentSeq: 0, depth: 1, expansion: 1, stepText: 'x' });
  // Without closing: what was acknowledged by time-based flushes is already in the database.
  const committed = store.nodes.forRun(runId).length;
  expect(committed).toBeGreaterThan(0);
  expect(committed).toBeLessThanOrEqual(seq);
  writer.close();
  expect(store.nodes.forRun(runId)).toHaveLength(seq);
  store.close();
});

test('a node naming an unknown parent rolls back its whole batch', () => {
  const { store, runId } = freshRun();
  const writer = store.nodeWriter(runId, { flushIntervalMs: 60_000 });
  writer.add({ seq: 0, parentSeq: null, depth: 0, expansion: 0, stepText: '' });
  writer.add({ seq: 1, parentSeq: 42, depth: 1, expansion: 1, stepText: 'orphan' });
  expect(() => writer.flush()).toThrow(/unknown parent 42/);
  expect(store.nodes.forRun(runId)).toHaveLength(0);
  expect(store.runs.get(runId).nodeCount).toBe(0);
  store.close();
});

test('a resumed writer continues a run it did not start', () => {
  const { store, runId } = freshRun();
  const first = store.nodeWriter(runId);
  first.add({ seq: 0, parentSeq: null, depth: 0, expansion: 0, stepText: '' });
  first.add({ seq: 1, parentSeq: 0, depth: 1, expansion: 1, stepText: 'a' });
  first.close();
  const second = store.nodeWriter(runId);
  expect(second.size).toBe(2);
  second.add({ seq: 2, parentSeq: 1, depth: 2, expansion: 2, stepText: 'b' });
  second.close();
  expect(store.nodes.path(store.nodes.bySeq(runId, 2)!.id).map((n) => n.stepText)).toEqual(['', 'a', 'b']);
  store.close();
});
