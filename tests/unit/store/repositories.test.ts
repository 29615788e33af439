import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, expect, test } from 'vitest';
import { seedSampleTree, type SeededTree } from '../../helpers/seed';

let t: SeededTree;
beforeEach(() => {
  t = seedSampleTree(path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'metacot-repo-')), 'r.db'));
});
afterEach(() => t.store.close());

test('nodes come back in creation order with parents resolved', () => {
  const nodes = t.store.nodes.forRun(t.runId);
  expect(nodes.map((n) => n.seq)).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
  const bySeq = new Map(nodes.map((n) => [n.seq, n]));
  expect(bySeq.get(5)!.parentId).toBe(bySeq.get(2)!.id);
  expect(bySeq.get(0)!.parentId).toBeNull();
  expect(t.store.nodes.children(bySeq.get(2)!.id).map((n) => n.stepText)).toEqual(['4*6=24', '6-4=2']);
  expect(t.store.nodes.path(bySeq.get(5)!.id).map((n) => n.stepText)).toEqual(['', '9-3=6', '4*6=24']);
  expect(t.store.runs.get(t.runId)).toMatchObject({ nodeCount: 8, solved: true, status: 'done', task: 'countdown' });
});

test('runs list filters, sorts and pages, with labeling progress', () => {
  const second = t.store.runs.create({ problemId: t.problemId, algorithm: 'mcts', policy: 'p', seed: 2 });
  t.store.annotations.setLabel(t.ids[1]!, 'ann', { rating: -1 });
  t.store.annotations.setLabel(t.ids[1]!, 'bob', { rating: 1 });
  t.store.annotations.setLabel(t.ids[2]!, 'ann', { rating: 1 });
  const all = t.store.runs.list({ limit: 10, offset: 0 });
  expect(all.total).toBe(2);
  expect(all.runs[0]!.id).toBe(second.id);
  expect(all.runs.find((r) => r.id === t.runId)!.labeledCount).toBe(2);
  expect(t.store.runs.list({ algorithm: 'mcts', limit: 10, offset: 0 }).runs.map((r) => r.id)).toEqual([second.id]);
  expect(t.store.runs.list({ solved: true, limit: 10, offset: 0 }).total).toBe(1);
  expect(t.store.runs.list({ search: '[4, 9', limit: 10, offset: 0 }).total).toBe(2);
  expect(t.store.runs.list({ search: '%', limit: 10, offset: 0 }).total).toBe(0);
  expect(t.store.runs.list({ limit: 1, offset: 1 }).runs.map((r) => r.id)).toEqual([t.runId]);
  expect(t.store.runs.list({ sort: 'labeled', direction: 'desc', limit: 1, offset: 0 }).runs[0]!.id).toBe(t.runId);
});

test('runs left running by a dead process are marked interrupted on open', () => {
  const run = t.store.runs.create({ problemId: t.problemId, algorithm: 'dfs', policy: 'p' });
  t.store.runs.setStatus(run.id, 'running');
  expect(t.store.runs.markOrphansInterrupted()).toEqual([]); // this process is alive
  t.store.connection.prepare('UPDATE runs SET owner_pid = 999999999 WHERE id = ?').run(run.id);
  expect(t.store.runs.markOrphansInterrupted()).toEqual([run.id]);
  expect(t.store.runs.get(run.id).status).toBe('interrupted');
});

test('labels keep one row per annotator and every change lands in history with its previous value', () => {
  const node = t.ids[2]!;
  t.store.annotations.setLabel(node, 'ann', { rating: 1 });
  t.store.annotations.setLabel(node, 'ann', { note: 'clean step' });
  t.store.annotations.setLabel(node, 'ann', { rating: 0, flagged: true });
  const { annotations } = t.store.annotations.forRun(t.runId);
  expect(annotations).toHaveLength(1);
  expect(annotations[0]).toMatchObject({ rating: 0, flagged: true, note: 'clean step' });
  const history = t.store.annotations.history(t.runId, 10);
  expect(history.map((h) => [h.action, h.before, h.after])).toEqual([
    ['do', { rating: 1, flagged: false, note: 'clean step' }, { rating: 0, flagged: true, note: 'clean step' }],
    ['do', { rating: 1, flagged: false, note: '' }, { rating: 1, flagged: false, note: 'clean step' }],
    ['do', null, { rating: 1, flagged: false, note: '' }],
  ]);
  expect(() => t.store.connection.prepare('UPDATE history SET after = NULL').run()).toThrow(/append-only/);
  expect(() => t.store.connection.prepare('DELETE FROM history').run()).toThrow(/append-only/);
});

test('undo and redo walk every kind of action, per annotator', () => {
  const a = t.store.annotations;
  a.setLabel(t.ids[1]!, 'ann', { rating: -1 });
  a.setPruned(t.ids[3]!, 'ann', true);
  a.rateBranch(t.ids[5]!, 'ann', { score: 5, preferred: true });
  a.setFinishReason(t.runId, 'ann', 'solution');
  a.setLabel(t.ids[2]!, 'bob', { rating: 1 });

  expect(a.undo('ann')!.entry.entity).toBe('finish_reason');
  expect(t.store.runs.get(t.runId).finishReason).toBeNull();
  expect(a.undo('ann')!.entry.entity).toBe('branch_rating');
  expect(a.forRun(t.runId).branchRatings).toEqual([]);
  expect(a.undo('ann')!.entry.entity).toBe('prune');
  expect(t.store.nodes.get(t.ids[3]!).pruned).toBe(false);
  expect(a.undo('ann')!.entry.entity).toBe('annotation');
  expect(a.forRun(t.runId).annotations.map((x) => x.annotator)).toEqual(['bob']);
  expect(a.undo('ann')).toBeNull();

  expect(a.redo('ann')!.entry.entity).toBe('annotation');
  expect(a.redo('ann')!.entry.entity).toBe('prune');
  expect(t.store.nodes.get(t.ids[3]!).pruned).toBe(true);
  // A new action clears what is left to redo.
  a.setLabel(t.ids[4]!, 'ann', { rating: -1 });
  expect(a.redo('ann')).toBeNull();
  expect(t.store.runs.list({ limit: 5, offset: 0 }).runs[0]!.labeledCount).toBe(3);
  const actions = t.store.annotations.history(t.runId, 100).map((h) => h.action);
  expect(actions.filter((x) => x === 'undo')).toHaveLength(4);
  expect(actions.filter((x) => x === 'redo')).toHaveLength(2);
});

test('changes to unknown nodes or runs fail cleanly and write nothing', () => {
  expect(() => t.store.annotations.setLabel(99999, 'ann', { rating: 1 })).toThrow(/Node 99999 not found/);
  expect(() => t.store.annotations.setFinishReason(99999, 'ann', 'solution')).toThrow(/Run 99999 not found/);
  expect(t.store.annotations.history(t.runId, 10)).toEqual([]);
});

test('labeled_count is derived in one place: per run, or for every run, from the ratings', () => {
  const other = t.store.runs.create({ problemId: t.problemId, algorithm: 'mcts', policy: 'p', seed: 2 });
  const labeled = (id: number) => t.store.connection.prepare('SELECT labeled_count FROM runs WHERE id = ?').pluck().get(id);
  // A bulk writer (import, synthetic databases) inserts rows directly, then asks for the count.
  const insert = t.store.connection.prepare('INSERT INTO annotations (node_id, run_id, annotator, rating, flagged, note) VALUES (?, ?, ?, ?, 0, ?)');
  insert.run(t.ids[1], t.runId, 'ann', 1, '');
  insert.run(t.ids[1], t.runId, 'bob', -1, '');
  insert.run(t.ids[2], t.runId, 'ann', null, 'a note is not a label');
  expect(labeled(t.runId)).toBe(0);
  t.store.runs.refreshLabeledCount(other.id);
  expect(labeled(t.runId)).toBe(0);
  t.store.runs.refreshLabeledCount(t.runId);
  expect(labeled(t.runId)).toBe(1);
  insert.run(t.ids[3], t.runId, 'ann', 0, '');
  t.store.runs.refreshLabeledCount();
  expect([labeled(t.runId), labeled(other.id)]).toEqual([2, 0]);
  // Labels through the annotation repository keep it current, undo included.
  t.store.annotations.setLabel(t.ids[4]!, 'cy', { rating: -1 });
  expect(labeled(t.runId)).toBe(3);
  t.store.annotations.undo('cy');
  expect(labeled(t.runId)).toBe(2);
});
