/**
 * Kill a running search with SIGKILL at seeded random moments, 20 times: the database stays
 * intact, what was written is a gap-free prefix of the tree with every parent present, the run is
 * marked interrupted, and resuming it finishes the budget with exactly the uninterrupted tree.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect, test } from 'vitest';
import { executeRun } from '../../main/engine/search/run-service';
import { Store } from '../../main/engine/store/store';
import { Random } from '../../main/engine/tasks/random';
import { committedNodes } from '../helpers/db-watch';

const KILLS = 20;
const ARGS = ['--task', 'countdown', '--count', '1', '--numbers', '5', '--algo', 'bfs', '--budget', '3000', '--policy', 'enumerator', '--k', '32', '--set', 'stopOnSolution=false'];

type Shape = { seq: number; parentSeq: number | null; stepText: string }[];

function shape(store: Store, runId: number): Shape {
  const nodes = store.nodes.forRun(runId);
  const seqById = new Map(nodes.map((n) => [n.id, n.seq]));
  return nodes.map((n) => ({ seq: n.seq, parentSeq: n.parentId === null ? null : seqById.get(n.parentId)!, stepText: n.stepText }));
}

function searchChild(db: string, seed: number) {
  return spawn(process.execPath, ['bin/metacot.js', 'search', ...ARGS, '--seed', String(seed), '--db', db], { stdio: 'ignore' });
}

function exited(child: ReturnType<typeof spawn>): Promise<void> {
  return new Promise((resolve) => (child.exitCode !== null || child.signalCode !== null ? resolve() : child.once('exit', () => resolve())));
}

test(`a search killed ${KILLS} times loses nothing it wrote and resumes to the same tree`, async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'metacot-search-kill-'));
  const rng = new Random(4242);
  let midSearchKills = 0;
  let nodesAtKills = 0;
  const references = new Map<number, Shape>();
  for (let k = 0; k < KILLS; k++) {
    const seed = 100 + (k % 4);
    const db = path.join(dir, `kill-${k}.db`);
    const child = searchChild(db, seed);
    // Wait until the search is writing, then a seeded random moment more.
    const start = Date.now();
    while (committedNodes(db) === 0 && child.exitCode === null && Date.now() - start < 20_000) await new Promise((r) => setTimeout(r, 15));
    await new Promise((r) => setTimeout(r, rng.int(0, 80)));
    child.kill('SIGKILL');
    await exited(child);

    const store = Store.open(db); // marks runs of dead processes interrupted
    expect(store.connection.pragma('integrity_check', { simple: true })).toBe('ok');
    const run = store.runs.list({ limit: 1, offset: 0 }).runs[0]!;
    const partial = shape(store, run.id);
    if (run.status === 'done') {
      store.close();
      continue; // finished before the kill landed
    }
    midSearchKills++;
    nodesAtKills += partial.length;
    expect(run.status).toBe('interrupted');
    // A gap-free prefix in creation order, each node's parent present.
    expect(partial.map((n) => n.seq)).toEqual(partial.map((_, i) => i));
    for (const n of partial) if (n.parentSeq !== null) expect(n.parentSeq).toBeLessThan(n.seq);

    const resumed = await executeRun(store, run.id);
    expect(resumed.status).toBe('done');
    const finished = shape(store, run.id);
    expect(finished.slice(0, partial.length)).toEqual(partial);

    // The same search never interrupted, for comparison (one per seed).
    if (!references.has(seed)) {
      const reference = Store.open(path.join(dir, `ref-${seed}.db`));
      const refProblem = reference.problems.insert(store.problems.get(run.problemId));
      const refRun = reference.runs.create({ problemId: refProblem, algorithm: run.algorithm, config: run.config, policy: run.policy, scorer: run.scorer, seed: run.seed });
      await executeRun(reference, refRun.id);
      references.set(seed, shape(reference, refRun.id));
      reference.close();
    }
    expect(finished).toEqual(references.get(seed));
    expect(store.runs.get(run.id).nodeCount).toBe(finished.length);
    store.close();
  }
  expect(midSearchKills).toBeGreaterThanOrEqual(KILLS * 0.75);
  console.log(`reliability: ${KILLS} SIGKILLs of a running search, ${midSearchKills} mid-search (${nodesAtKills} nodes on disk at the kills); all resumed to the uninterrupted tree`);
}, 240_000);
