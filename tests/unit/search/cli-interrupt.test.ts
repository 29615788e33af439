/**
 * `metacot search` stopped by Ctrl+C (SIGINT) or by `kill` / `timeout` (SIGTERM), as a real child
 * process: both end the same way, exit 130 / 143, the running run ends `cancelled` with the
 * expansions it really made, and the runs created ahead but never started are gone (no queued
 * runs left for `metacot runs` to count as running).
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect, test } from 'vitest';
import { Store } from '../../../main/engine/store/store';
import { committedNodes } from '../../helpers/db-watch';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'metacot-interrupt-'));

/** Starts a search of 40 problems, sends `signal` once the first run has stored `after` nodes, and resolves with the exit code. */
async function interrupted(db: string, signal: 'SIGINT' | 'SIGTERM', args: string[], after: number): Promise<{ code: number | null; out: string }> {
  const child = spawn(process.execPath, ['bin/metacot.js', 'search', '--task', 'countdown', '--count', '40', ...args, '--db', db], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout.on('data', (d) => (out += String(d)));
  child.stderr.on('data', (d) => (out += String(d)));
  const exit = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  // No time limit of its own: a busy machine only makes this wait longer (the test's limit catches a hang).
  while (committedNodes(db) <= after && child.exitCode === null) await new Promise((r) => setTimeout(r, 25));
  child.kill(signal);
  return { code: await exit, out };
}

function checkCancelled(db: string): void {
  const store = Store.open(db);
  try {
    const runs = store.runs.list({ limit: 100, offset: 0 }).runs;
    expect(runs.filter((r) => r.status === 'queued' || r.status === 'running')).toEqual([]);
    const cancelled = runs.filter((r) => r.status === 'cancelled');
    expect(cancelled).toHaveLength(1);
    const run = cancelled[0]!;
    const nodes = store.nodes.forRun(run.id);
    expect(nodes).toHaveLength(run.nodeCount);
    // The expansions it reports are those that made the stored nodes (none counted twice, none lost).
    const lastExpansion = Math.max(...nodes.map((n) => n.expansion));
    expect(run.stats.expansions).toBeGreaterThan(0);
    expect(run.stats.expansions).toBeGreaterThanOrEqual(lastExpansion);
    expect(run.stats.stopReason).toBe('cancelled');
    // Problems of runs that never started are not left behind either.
    expect(store.problems.count()).toBe(runs.length);
  } finally {
    store.close();
  }
}

test('SIGTERM ends a search like Ctrl+C: exit 143, the running run cancelled, no queued runs left', async () => {
  const db = path.join(dir, 'term.db');
  const r = await interrupted(db, 'SIGTERM', ['--numbers', '6', '--target-min', '900', '--target-max', '999', '--algo', 'bfs', '--budget', '1000000', '--policy', 'enumerator', '--set', 'stopOnSolution=false'], 200);
  expect(r.code, r.out).toBe(143);
  expect(r.out).toMatch(/cancelled; saved \d+ of 40 runs/);
  expect(r.out).toMatch(/interrupted by SIGTERM/);
  checkCancelled(db);
}, 600_000);

test('Ctrl+C during a model call: exit 130 and the cancelled run keeps its real expansion count', async () => {
  const db = path.join(dir, 'int.db');
  // MCTS with the bundled policy: Ctrl+C lands inside an ONNX policy call, which aborts with an error.
  const r = await interrupted(db, 'SIGINT', ['--algo', 'mcts', '--budget', '5000', '--set', 'stopOnSolution=false'], 100);
  expect(r.code, r.out).toBe(130);
  expect(r.out).toMatch(/: cancelled, \d+ nodes, [1-9]\d* expansions/);
  checkCancelled(db);
}, 600_000);
