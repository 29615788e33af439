/** Node inserts per second through the store's writer vs a bare prepared-insert loop. */
import Database from 'better-sqlite3';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Store } from '../main/engine/store/store';
import type { BenchRow } from './types';

const N = 100_000;

function bareInsertsPerSecond(file: string, runId: number): number {
  const db = new Database(file);
  const insert = db.prepare(
    `INSERT INTO nodes (run_id, parent_id, seq, depth, expansion, step_text, state, token_count, logprob,
       prior, value, visits, q, score, is_terminal, valid, outcome, exact_label)
     VALUES (?, NULL, ?, 1, ?, ?, NULL, NULL, ?, ?, NULL, 0, NULL, NULL, 0, 1, NULL, NULL)`,
  );
  const start = performance.now();
  db.transaction(() => {
    for (let i = 0; i < N; i++) insert.run(runId, i, i, `${i % 97}+${i % 13}=${(i % 97) + (i % 13)}`, -0.5, 0.3);
  })();
  const seconds = (performance.now() - start) / 1000;
  db.close();
  return N / seconds;
}

function writerInsertsPerSecond(store: Store, runId: number): number {
  const writer = store.nodeWriter(runId);
  const start = performance.now();
  writer.add({ seq: 0, parentSeq: null, depth: 0, expansion: 0, stepText: '' });
  for (let i = 1; i < N; i++) {
    writer.add({
      seq: i,
      parentSeq: Math.floor((i - 1) / 4),
      depth: 1,
      expansion: i,
      stepText: `${i % 97}+${i % 13}=${(i % 97) + (i % 13)}`,
      logprob: -0.5,
      prior: 0.3,
    });
  }
  writer.close();
  return N / ((performance.now() - start) / 1000);
}

export async function benchStore(): Promise<BenchRow[]> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'metacot-bench-store-'));
  const store = Store.open(path.join(dir, 'bench.db'));
  const problemId = store.problems.insert({ task: 'countdown', prompt: 'bench' });
  const bareRun = store.runs.create({ problemId, algorithm: 'bfs', policy: 'bench' }).id;
  const writerRun = store.runs.create({ problemId, algorithm: 'bfs', policy: 'bench' }).id;
  const bare = bareInsertsPerSecond(path.join(dir, 'bench.db'), bareRun);
  const viaWriter = writerInsertsPerSecond(store, writerRun);
  store.close();
  fs.rmSync(dir, { recursive: true, force: true });
  return [
    {
      figure: 'node inserts/s through the store writer',
      value: viaWriter,
      unit: 'nodes/s',
      baseline: bare,
      ratio: viaWriter / bare,
      note: `${N.toLocaleString('en')} nodes; baseline: the same rows through one bare prepared INSERT loop in one transaction`,
    },
  ];
}
