import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import type { EventName, EventPayload } from '../../../common/contract';
import { dispatch } from '../../../main/engine/api/dispatch';
import type { EngineContext } from '../../../main/engine/api/types';
import { EventBus } from '../../../main/engine/events';
import { SearchManager } from '../../../main/engine/search/manager';
import { Store } from '../../../main/engine/store/store';

const cleanup: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const f of cleanup.splice(0).reverse()) await f();
});

function engine(mode: 'worker' | 'inline', file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'metacot-mgr-')), 'trees.db')) {
  const store = Store.open(mode === 'inline' ? ':memory:' : file);
  const events = new EventBus();
  const searches = new SearchManager({ store, events, mode });
  const seen: { name: EventName; payload: EventPayload<EventName> }[] = [];
  events.subscribe((name, payload) => seen.push({ name, payload }));
  const ctx: EngineContext = { store, events, searches };
  cleanup.push(async () => {
    await searches.close();
    store.close();
  });
  const call = async (method: string, input: unknown) => {
    const result = await dispatch(method, input, ctx);
    if (!result.ok) throw Object.assign(new Error(result.error.message), { code: result.error.code });
    return result.value as Record<string, unknown>;
  };
  return { store, searches, seen, call, ctx };
}

const countEvents = (seen: { name: EventName; payload: any }[], runId: number, name: EventName) =>
  seen.filter((e) => e.name === name && (e.payload.runId ?? e.payload.run?.id) === runId);

describe('SearchManager', () => {
  test('worker threads run queued searches off the caller loop, streaming events; nodes land once', async () => {
    const { store, searches, seen, call } = engine('worker');
    const started = (await call('startSearch', { policy: 'enumerator',
      generate: { count: 3, numbers: 5, seed: 4, targetMin: 200, targetMax: 900 },
      algorithm: 'mcts',
      config: { k: 12 },
      budget: { maxExpansions: 400 },
      seed: 2,
    })) as { runIds: number[]; problemIds: number[] };
    expect(started.runIds).toHaveLength(3);
    expect(started.problemIds).toHaveLength(3);
    expect(store.runs.get(started.runIds[2]!).status).toBe('queued');

    // The caller's event loop keeps turning while the worker searches.
    let ticks = 0;
    const timer = setInterval(() => ticks++, 5);
    const t0 = Date.now();
    await searches.idle();
    clearInterval(timer);
    const elapsed = Date.now() - t0;
    expect(ticks).toBeGreaterThan(elapsed / 5 / 4);

    for (const runId of started.runIds) {
      const run = store.runs.get(runId);
      expect(run.status).toBe('done');
      const nodes = store.nodes.forRun(runId);
      expect(run.nodeCount).toBe(nodes.length);
      const added = countEvents(seen, runId, 'nodesAdded').flatMap((e) => (e.payload as EventPayload<'nodesAdded'>).nodes);
      expect(added.map((n) => n.id)).toEqual(nodes.map((n) => n.id));
      expect(countEvents(seen, runId, 'nodesUpdated').length).toBeGreaterThan(0);
      const statuses = countEvents(seen, runId, 'runChanged').map((e) => (e.payload as EventPayload<'runChanged'>).run.status);
      expect(statuses[0]).toBe('queued');
      expect(statuses.at(-1)).toBe('done');
      expect(statuses).toContain('running');
    }
  });

  test('cancel a running search in its worker, then resume it to the end without duplicates', async () => {
    const { store, searches, seen, call } = engine('worker');
    const { runIds } = (await call('startSearch', { policy: 'enumerator',
      generate: { count: 2, numbers: 6, seed: 9, targetMin: 500, targetMax: 999 },
      algorithm: 'bfs',
      config: { stopOnSolution: false },
      budget: { maxExpansions: 2000 },
    })) as { runIds: number[] };
    const [first, second] = runIds as [number, number];
    // Wait until the first run has written something, then cancel both (one running, one queued).
    await new Promise<void>((resolve) => {
      const check = setInterval(() => {
        if (countEvents(seen, first, 'nodesAdded').length > 0) clearInterval(check), resolve();
      }, 5);
    });
    await call('cancelRun', { runId: second });
    expect(store.runs.get(second).status).toBe('cancelled');
    await call('cancelRun', { runId: first });
    await searches.idle();
    const cancelled = store.runs.get(first);
    expect(cancelled.status).toBe('cancelled');
    const partial = store.nodes.forRun(first).length;
    expect(partial).toBeGreaterThan(0);

    await expect(call('resumeRun', { runId: first + 1000 })).rejects.toThrow(/not found/);
    const resumed = (await call('resumeRun', { runId: first })) as { run: { status: string } };
    expect(resumed.run.status).toBe('queued');
    await searches.idle();
    const done = store.runs.get(first);
    expect(done.status).toBe('done');
    const nodes = store.nodes.forRun(first);
    expect(nodes.length).toBeGreaterThan(partial);
    expect(new Set(nodes.map((n) => n.seq)).size).toBe(nodes.length);
    expect(done.stats.expansions).toBe(2000);
    await expect(call('cancelRun', { runId: first })).rejects.toThrow(/is done/);
  });

  test('if the writer thread dies, a worker writes its later runs on its own connection', async () => {
    const { store, searches, call } = engine('worker');
    const start = async (seed: number) => {
      const { runIds } = (await call('startSearch', { policy: 'enumerator', generate: { count: 1, numbers: 5, seed }, algorithm: 'bfs', budget: { maxExpansions: 30 } })) as { runIds: number[] };
      await searches.idle();
      return store.runs.get(runIds[0]!);
    };
    expect((await start(1)).status).toBe('done');
    await searches.runtime.close();
    await new Promise((r) => setTimeout(r, 50)); // the worker's channel to it closes
    const after = await start(2);
    expect(after.status).toBe('done');
    expect(store.nodes.forRun(after.id)).toHaveLength(after.nodeCount);
    expect(after.nodeCount).toBeGreaterThan(30);
  });

  test('in-memory databases run inline; startSearch is all-or-none and validates everything first', async () => {
    const { store, searches, call } = engine('inline');
    const [a] = store.problems.insertMany([{ task: 'countdown', prompt: '24:[4, 9, 3]', metadata: { numbers: [4, 9, 3], target: 24 } }]);
    const bad: [Record<string, unknown>, RegExp][] = [
      [{ problemIds: [a, 999] }, /Problem 999 not found/],
      [{ problemIds: [a], config: { cPuct: -1 } }, /mcts config: cPuct/],
      [{ problemIds: [a], budget: {} }, /at least one of/],
      [{ problemIds: [a], policy: 'nope' }, /unknown policy "nope"/],
      [{ generate: { count: 2, targetMin: 90, targetMax: 10 } }, /targetMin/],
      [{ generate: { count: 2, numbers: 3, numberMax: 1, targetMin: 500, targetMax: 600 } }, /found no new solvable/],
      [{}, /either problemIds or generate/],
    ];
    for (const [input, why] of bad) {
      await expect(call('startSearch', { policy: 'enumerator', algorithm: 'mcts', budget: { maxExpansions: 10 }, ...input })).rejects.toThrow(why);
    }
    expect(store.runs.count()).toBe(0);
    expect(store.problems.count()).toBe(1);
    const { runIds } = (await call('startSearch', { policy: 'enumerator', problemIds: [a], algorithm: 'dfs', budget: { maxExpansions: 50 } })) as { runIds: number[] };
    await searches.idle();
    expect(store.runs.get(runIds[0]!)).toMatchObject({ status: 'done', solved: true });
    const options = (await call('searchOptions', {})) as { algorithms: { name: string; defaults: Record<string, unknown> }[]; policies: { kind: string }[] };
    expect(options.algorithms.map((x) => x.name)).toEqual(['best-of-n', 'beam', 'best-first', 'mcts', 'bfs', 'dfs']);
    expect(options.algorithms.find((x) => x.name === 'mcts')!.defaults).toMatchObject({ cPuct: 1.5, k: 8 });
    expect(options.policies.map((p) => p.kind)).toContain('enumerator');
  });

  test('a worker entry that cannot load falls back to running on the caller thread', async () => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'metacot-mgr-')), 'trees.db');
    const store = Store.open(file);
    const events = new EventBus();
    const warnings: string[] = [];
    const onWarning = (w: Error) => warnings.push(w.message);
    process.on('warning', onWarning);
    const searches = new SearchManager({ store, events, workerUrl: new URL('./no-such-worker.mjs', import.meta.url) });
    cleanup.push(async () => (process.off('warning', onWarning), await searches.close(), store.close()));
    const result = await dispatch('startSearch', { policy: 'enumerator', generate: { count: 2, seed: 1 }, algorithm: 'bfs', budget: { maxExpansions: 20 } }, { store, events, searches });
    if (!result.ok) throw new Error(result.error.message);
    await searches.idle();
    for (const id of (result.value as { runIds: number[] }).runIds) expect(store.runs.get(id).status).toBe('done');
    await new Promise((r) => setImmediate(r));
    expect(warnings.join()).toMatch(/search worker could not start/);
  });

  test('without a manager the search methods say so', async () => {
    const store = Store.open(':memory:');
    const result = await dispatch('cancelRun', { runId: 1 }, { store, events: new EventBus() });
    expect(result).toMatchObject({ ok: false, error: { code: 'unavailable' } });
    store.close();
  });
});
