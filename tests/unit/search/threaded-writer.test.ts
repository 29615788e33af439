import { expect, test } from 'vitest';
import { runSearch, type SearchSpec } from '../../../main/engine/search/run-service';
import { decodeNodes, decodeStats, encodeStats, NodeEncoder } from '../../../main/engine/store/packed-nodes';
import type { FlushResult, NewNode } from '../../../main/engine/store/node-writer';
import { Store } from '../../../main/engine/store/store';
import { countdownProblem } from '../../../main/engine/tasks/countdown';
import { runtimesClosedAfterAll, tempDbFile } from './helpers';

/** The database's runtime (writer thread), closed after the file's tests. */
const runtimeOf = runtimesClosedAfterAll();

const dbFile = () => tempDbFile('metacot-writer-thread-');

test('batches survive encoding exactly, nulls and absent fields included', () => {
  const nodes: NewNode[] = [
    { seq: 0, parentSeq: null, depth: 0, expansion: 0, stepText: '', state: '24:[4, 9, 3]' },
    { seq: 1, parentSeq: 0, depth: 1, expansion: 1, stepText: '9*3=27', state: null, tokenCount: 5, logprob: -0.25, prior: 0.5, value: 1, visits: 3, q: 0.75, score: 0, isTerminal: true, valid: false, outcome: 'incorrect', exactLabel: -1 },
    { seq: 2, parentSeq: 0, depth: 1, expansion: 1, stepText: '9-3=6', logprob: -Infinity, outcome: 'correct', exactLabel: 1 },
  ];
  const encoder = new NodeEncoder();
  for (let i = 0; i < 700; i++) encoder.add(nodes[i % 3]!); // grows past its first buffer
  const decoded = decodeNodes(encoder.take());
  expect(decoded).toHaveLength(700);
  const full = (n: NewNode) => ({ state: null, tokenCount: null, logprob: null, prior: null, value: null, visits: 0, q: null, score: null, isTerminal: false, valid: true, outcome: null, exactLabel: null, ...n });
  expect(decoded.slice(0, 3)).toEqual(nodes.map(full));
  const stats = [{ seq: 4, visits: 2 }, { seq: 5, q: null, value: 0.5 }, { seq: 6, score: 1, q: 0.25, visits: 0 }];
  expect(decodeStats(encodeStats(stats, stats.length))).toEqual(stats);
});

test('a run written through the writer thread stores the same tree as one written inline, with events', async () => {
  const store = Store.open(dbFile());
  const [problemId] = store.problems.insertMany([countdownProblem([2, 3, 5, 7, 11], 1000)]);
  const spec: SearchSpec = { problemId: problemId!, algorithm: 'mcts', config: { k: 8 }, policy: 'enumerator', scorer: 'exact', seed: 4, budget: { maxExpansions: 150 } };
  const inline = await runSearch(store, spec);
  const flushes: FlushResult[] = [];
  const threaded = await runSearch(store, spec, { runtime: runtimeOf(store), writer: 'thread', onFlush: (_id, r) => flushes.push(r) });
  expect(threaded.status).toBe('done');
  expect(threaded.nodeCount).toBe(inline.nodeCount);
  const strip = (runId: number) => store.nodes.forRun(runId).map(({ id, runId: _r, parentId, ...rest }) => ({ ...rest, parent: parentId === null ? null : store.nodes.get(parentId).seq }));
  expect(strip(threaded.id)).toEqual(strip(inline.id));
  expect(flushes.flatMap((f) => f.inserted.map((n) => n.id))).toEqual(store.nodes.forRun(threaded.id).map((n) => n.id));
  expect(flushes.some((f) => f.updated.length > 0)).toBe(true);
  store.close();
});

test('a write error in the thread fails the sink: finished() rejects and the next add throws', async () => {
  const file = dbFile();
  const store = Store.open(file);
  const problemId = store.problems.insert(countdownProblem([4, 9, 3], 24));
  const run = store.runs.create({ problemId, algorithm: 'bfs', policy: 'test' });
  const sink = runtimeOf(store).writer()!.open(run.id);
  sink.add({ seq: 0, parentSeq: null, depth: 0, expansion: 0, stepText: '' });
  sink.add({ seq: 1, parentSeq: 7, depth: 1, expansion: 1, stepText: 'x' });
  sink.flush();
  await expect(sink.finished()).rejects.toThrow(/names unknown parent 7/);
  expect(() => sink.add({ seq: 2, parentSeq: 0, depth: 1, expansion: 1, stepText: 'y' })).toThrow(/unknown parent|closed/);
  store.close();
});

test('the writer thread refuses nodes of a run that does not exist (its own check, with foreign keys off)', async () => {
  const file = dbFile();
  const store = Store.open(file);
  const sink = runtimeOf(store).writer()!.open(999);
  sink.add({ seq: 0, parentSeq: null, depth: 0, expansion: 0, stepText: '' });
  await expect(sink.finished()).rejects.toThrow(/Run 999 no longer exists/);
  expect(store.connection.prepare('SELECT count(*) FROM nodes').pluck().get()).toBe(0);
  store.close();
});
