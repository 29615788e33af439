import Database from 'better-sqlite3';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import type { Run } from '../../../common/domain';
import {
  createSearchRun,
  executeRun,
  runSearch,
  SearchInputError,
  type SearchSpec,
} from '../../../main/engine/search/run-service';
import { EnumeratorPolicy } from '../../../main/engine/search/stand-ins/enumerator';
import { Store } from '../../../main/engine/store/store';
import { countdownProblem } from '../../../main/engine/tasks/countdown';
import { SpyPolicy } from './helpers';

function tempDb(): string {
  return path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'metacot-search-')), 'trees.db');
}

function setup(file = tempDb()) {
  const store = Store.open(file);
  const [problemId] = store.problems.insertMany([countdownProblem([2, 3, 5, 7, 11], 1000), countdownProblem([4, 9, 3], 24)]);
  return { store, file, problemId: problemId!, solvableId: problemId! + 1 };
}

const spec = (problemId: number, over: Partial<SearchSpec> = {}): SearchSpec => ({
  problemId,
  algorithm: 'mcts',
  config: { k: 6 },
  policy: 'enumerator',
  scorer: 'exact',
  seed: 3,
  budget: { maxExpansions: 60 },
  ...over,
});

/** Tree shape as stored: seq, parent seq, expansion, step. */
function storedShape(store: Store, runId: number): string[] {
  const nodes = store.nodes.forRun(runId);
  const seqOf = new Map(nodes.map((n) => [n.id, n.seq]));
  return nodes.map((n) => `${n.seq}<${n.parentId === null ? '-' : seqOf.get(n.parentId)}:${n.expansion}:${n.stepText}:${n.visits}:${n.q}`);
}

describe('runSearch', () => {
  test('a run goes queued → running → done with its statistics, solved flag and every node stored', async () => {
    const { store, solvableId } = setup();
    const statuses: string[] = [];
    let flushed = 0;
    const run = await runSearch(store, spec(solvableId, { algorithm: 'bfs' }), {
      onRunChanged: (r) => statuses.push(r.status),
      onFlush: (_id, r) => (flushed += r.inserted.length),
    });
    expect(statuses).toEqual(['queued', 'running', 'done']);
    expect(run.status).toBe('done');
    expect(run.solved).toBe(true);
    const nodes = store.nodes.forRun(run.id);
    expect(run.nodeCount).toBe(nodes.length);
    expect(flushed).toBe(nodes.length);
    expect(nodes.map((n) => n.seq)).toEqual(nodes.map((_, i) => i));
    expect(run.stats).toMatchObject({ nodes: nodes.length, solved: true, stopReason: 'solved' });
    expect(run.stats.expansions).toBeGreaterThan(0);
    expect(run.stats.firstSolutionExpansion).toBe(run.stats.expansions);
    expect(typeof run.stats.wallMs).toBe('number');
    expect(run.config).toMatchObject({ k: 6, batchSize: 1, stopOnSolution: true, budget: { maxExpansions: 60 } });
    expect(nodes.find((n) => n.outcome === 'correct')?.isTerminal).toBe(true);
    expect(run.startedAt).not.toBeNull();
    expect(run.finishedAt).not.toBeNull();
  });

  test('MCTS writes visits and Q to the stored nodes', async () => {
    const { store, solvableId } = setup();
    const run = await runSearch(store, spec(solvableId));
    const nodes = store.nodes.forRun(run.id);
    expect(nodes[0]!.visits).toBe(run.stats.simulations);
    expect(nodes.some((n) => n.seq > 0 && n.visits > 1 && n.q !== null)).toBe(true);
  });

  test('bad requests fail before anything is written', () => {
    const { store, problemId } = setup();
    const bad: [Partial<SearchSpec>, RegExp][] = [
      [{ config: { k: 0 } }, /mcts config: k: k must be at least 1/],
      [{ config: { nonsense: 1 } }, /mcts config/],
      [{ budget: {} }, /budget: .*at least one of/],
      [{ budget: { maxExpansions: -3 } }, /budget: maxExpansions/],
      [{ policy: 'gpt-17' }, /unknown policy "gpt-17"/],
      [{ scorer: 'rollout:0' }, /rollout count/],
      [{ taskOptions: { stepDelimiter: '\n\n' } }, /a step delimiter applies to math only, not countdown/],
    ];
    for (const [over, why] of bad) expect(() => createSearchRun(store, spec(problemId, over))).toThrow(why);
    expect(() => createSearchRun(store, spec(problemId, over0()))).toThrow(SearchInputError);
    const mathId = store.problems.insert({ task: 'math', prompt: 'What is 1+1?', goldAnswer: '2' });
    expect(() => createSearchRun(store, spec(mathId))).toThrow(/enumerator policy needs a task with legal steps/);
    const broken = store.problems.insert({ task: 'countdown', prompt: 'make 24', metadata: { numbers: 'x' } });
    expect(() => createSearchRun(store, spec(broken))).toThrow(/Problem \d+: expected metadata/);
    expect(() => createSearchRun(store, spec(9999))).toThrow(/Problem 9999 not found/);
    expect(store.runs.count()).toBe(0);
  });

  test('a policy failure marks the run failed, keeping the nodes made so far', async () => {
    const { store, problemId } = setup();
    const policy = new SpyPolicy(new EnumeratorPolicy(3), (call) => {
      if (call === 5) throw new Error('model crashed');
    });
    const run = await runSearch(store, spec(problemId), { providers: { policy } });
    expect(run.status).toBe('failed');
    expect(run.error).toBe('model crashed');
    expect(store.nodes.forRun(run.id).length).toBeGreaterThan(4);
    expect(run.nodeCount).toBe(store.nodes.forRun(run.id).length);
  });
});

function over0(): Partial<SearchSpec> {
  return { budget: { maxNodes: 1 } };
}

describe('cancel and resume', () => {
  for (const algorithm of ['mcts', 'dfs', 'best-of-n'] as const) {
    test(`${algorithm}: a cancelled run resumes to the same tree an uninterrupted run grows, without duplicates`, async () => {
      const { store, problemId } = setup();
      const s = spec(problemId, { algorithm, config: algorithm === 'best-of-n' ? { n: 8 } : { k: 6 } });
      const abortAt = algorithm === 'best-of-n' ? 2 : 12; // best-of-n asks once per depth for all samples
      const whole = await runSearch(store, s);
      expect(whole.status).toBe('done');

      const controller = new AbortController();
      const policy = new SpyPolicy(new EnumeratorPolicy(s.seed), (call) => call === abortAt && controller.abort());
      const cancelled = await runSearch(store, s, { signal: controller.signal, providers: { policy } });
      expect(cancelled.status).toBe('cancelled');
      const partial = store.nodes.forRun(cancelled.id).length;
      expect(partial).toBeGreaterThan(1);
      expect(partial).toBeLessThan(store.nodes.forRun(whole.id).length);
      expect(cancelled.stats.stopReason ?? 'cancelled').toBe('cancelled');

      const resumed = await executeRun(store, cancelled.id);
      expect(resumed.status).toBe('done');
      expect(storedShape(store, resumed.id)).toEqual(storedShape(store, whole.id));
      expect(resumed.nodeCount).toBe(whole.nodeCount);
      expect(resumed.stats).toMatchObject({ nodes: whole.stats.nodes, expansions: whole.stats.expansions, resumedFromNodes: partial });
    });
  }

  test('a run interrupted by a dead process is marked interrupted on open and resumes, even after a torn batch', async () => {
    const { store, file, problemId } = setup();
    const s = spec(problemId, { algorithm: 'bfs', config: { k: 5, stopOnSolution: false } });
    const whole = await runSearch(store, s);
    const controller = new AbortController();
    const policy = new SpyPolicy(new EnumeratorPolicy(s.seed), (call) => call === 9 && controller.abort());
    const partial = await runSearch(store, s, { signal: controller.signal, providers: { policy } });
    store.close();

    // Pretend a process died mid-run, after writing only part of an expansion's children.
    const raw = new Database(file);
    raw.prepare("UPDATE runs SET status = 'running', owner_pid = 2147483646 WHERE id = ?").run(partial.id);
    const max = (raw.prepare('SELECT max(seq) AS m FROM nodes WHERE run_id = ?').get(partial.id) as { m: number }).m;
    raw.prepare('DELETE FROM nodes WHERE run_id = ? AND seq > ?').run(partial.id, max - 2);
    raw.close();

    const reopened = Store.open(file);
    expect(reopened.runs.get(partial.id).status).toBe('interrupted');
    const resumed = await executeRun(reopened, partial.id);
    expect(resumed.status).toBe('done');
    expect(storedShape(reopened, partial.id)).toEqual(storedShape(reopened, whole.id));
    reopened.close();
  });

  test('a stored tree the replay does not reproduce fails the resume instead of grafting onto it', async () => {
    const { store, problemId } = setup();
    const controller = new AbortController();
    const policy = new SpyPolicy(new EnumeratorPolicy(3), (call) => call === 6 && controller.abort());
    const run = await runSearch(store, spec(problemId), { signal: controller.signal, providers: { policy } });
    store.connection.prepare("UPDATE nodes SET step_text = '2+2=4' WHERE run_id = ? AND seq = 3").run(run.id);
    const before = store.nodes.forRun(run.id).length;
    const resumed: Run = await executeRun(store, run.id);
    expect(resumed.status).toBe('failed');
    expect(resumed.error).toMatch(/cannot be resumed: replaying it gave node 3/);
    expect(store.nodes.forRun(run.id).length).toBe(before);
  });

  test('done and running runs cannot be started again', async () => {
    const { store, solvableId } = setup();
    const run = await runSearch(store, spec(solvableId));
    await expect(executeRun(store, run.id)).rejects.toThrow(/is done/);
  });
});
