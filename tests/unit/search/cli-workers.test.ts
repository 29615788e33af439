/**
 * `metacot search --workers N`: runs on N worker threads at once, every node through the
 * database's one writer thread, with the same trees as one worker (a run's tree depends on its
 * problem and seed, not on scheduling), plain progress lines, and Ctrl+C that cancels them all.
 */
import { ctrlCAfterNodes } from '../../helpers/db-watch';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { beforeEach, describe, expect, test } from 'vitest';
import { Store } from '../../../main/engine/store/store';
import { runCli } from '../../helpers/cli';
import { useCompletionServer } from '../models/completion-server';
import { fixture } from '../models/fixtures';

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'metacot-cli-workers-'));
});

/** Every run of a database by problem prompt: status and its tree (creation order, parents, texts, MCTS stats). */
function treesOf(db: string): Map<string, { status: string; nodes: string[] }> {
  const store = Store.open(db);
  const out = new Map<string, { status: string; nodes: string[] }>();
  try {
    for (const run of store.runs.list({ limit: 1000, offset: 0 }).runs) {
      const nodes = store.nodes.forRun(run.id);
      const seqOf = new Map(nodes.map((n) => [n.id, n.seq]));
      const prompt = store.problems.get(run.problemId).prompt;
      expect(out.has(prompt), `problem ${prompt} searched twice`).toBe(false);
      expect(nodes.map((n) => n.seq)).toEqual(nodes.map((_, i) => i));
      out.set(prompt, {
        status: run.status,
        nodes: nodes.map((n) => `${n.seq}<${n.parentId === null ? '-' : seqOf.get(n.parentId)} ${n.stepText} v${n.visits} q${n.q?.toFixed(9) ?? '-'}`),
      });
      expect(run.nodeCount).toBe(nodes.length);
    }
  } finally {
    store.close();
  }
  return out;
}

test('four workers grow the same trees as one, every run done', async () => {
  const args = ['search', '--task', 'countdown', '--count', '12', '--numbers', '5', '--target-min', '100', '--target-max', '900', '--algo', 'mcts', '--budget', '40', '--policy', 'enumerator', '--k', '12', '--seed', '7'];
  const one = path.join(dir, 'one.db');
  const four = path.join(dir, 'four.db');
  const a = await runCli(...args, '--db', one);
  const b = await runCli(...args, '--db', four, '--workers', '4');
  expect(a.code, a.err).toBe(0);
  expect(b.code, b.err).toBe(0);
  // Plain lines, one per run as it ends (any order), then the summary.
  const lines = b.out.trim().split('\n');
  expect(lines).toHaveLength(13);
  expect(new Set(lines.slice(0, 12).map((l) => l.match(/\((\d+)\/12\)/)?.[1]))).toEqual(new Set(Array.from({ length: 12 }, (_, i) => String(i + 1))));
  expect(lines[12]).toMatch(/^12 runs: \d+ solved/);

  const single = treesOf(one);
  const parallel = treesOf(four);
  expect(parallel.size).toBe(12);
  expect([...parallel.keys()].sort()).toEqual([...single.keys()].sort());
  for (const [prompt, run] of parallel) {
    expect(run.status, prompt).toBe('done');
    expect(run.nodes.length, prompt).toBeGreaterThan(40);
    expect(run.nodes, prompt).toEqual(single.get(prompt)!.nodes);
  }
});

test('Ctrl+C cancels every running worker cleanly and keeps every node they made', async () => {
  const db = path.join(dir, 'trees.db');
  const stopWatching = ctrlCAfterNodes(db, 300);
  const r = await runCli('search', '--task', 'countdown', '--count', '6', '--numbers', '6', '--target-min', '900', '--target-max', '999', '--algo', 'bfs', '--budget', '1000000', '--policy', 'enumerator', '--set', 'stopOnSolution=false', '--workers', '3', '--db', db);
  stopWatching();
  expect(r.code, r.err).toBe(130);
  expect(r.out).toMatch(/cancelled; saved [1-3] of 6 runs/);
  const store = Store.open(db);
  const runs = store.runs.list({ limit: 10, offset: 0 }).runs;
  expect(runs.length).toBeGreaterThanOrEqual(1);
  expect(runs.length).toBeLessThanOrEqual(3);
  for (const run of runs) {
    expect(run.status).toBe('cancelled');
    expect(store.nodes.forRun(run.id)).toHaveLength(run.nodeCount);
  }
  expect(runs.reduce((s, run) => s + run.nodeCount, 0)).toBeGreaterThan(300);
  store.close();
});

describe('an OpenAI-compatible endpoint as the policy, on workers', () => {
  const served = useCompletionServer(fixture('hf-tiny'));

  test('two workers send their requests to the endpoint and store the same trees as one', async () => {
    const args = ['search', '--task', 'countdown', '--count', '3', '--algo', 'bfs', '--budget', '3', '--k', '2', '--seed', '2', '--policy', `${served.server.url}/v1?max_tokens=6`];
    const before = served.server.hits;
    const one = path.join(dir, 'one.db');
    const two = path.join(dir, 'two.db');
    const a = await runCli(...args, '--db', one);
    const afterOne = served.server.hits;
    const b = await runCli(...args, '--db', two, '--workers', '2');
    expect(a.code, a.err).toBe(0);
    expect(b.code, b.err).toBe(0);
    // At least one completion per run (workers also look the model up once per run).
    expect(afterOne - before).toBeGreaterThanOrEqual(3);
    expect(served.server.hits - afterOne).toBeGreaterThanOrEqual(afterOne - before);
    const single = treesOf(one);
    const parallel = treesOf(two);
    expect(parallel.size).toBe(3);
    for (const [prompt, run] of parallel) {
      expect(run.status).toBe('done');
      expect(run.nodes.length).toBeGreaterThan(1);
      expect(run.nodes).toEqual(single.get(prompt)!.nodes);
    }
  });
});
