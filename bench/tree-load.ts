/** Opening a 10k-node run in a 1M-node database through the API vs one SQL query for its rows. */
import Database from 'better-sqlite3';
import { Engine } from '../main/engine/engine';
import { Store } from '../main/engine/store/store';
import { syntheticDb } from './synthetic';
import type { BenchRow } from './types';

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

export async function benchTreeLoad(): Promise<BenchRow[]> {
  const { file, bigRunId } = syntheticDb();
  const raw = new Database(file, { readonly: true });
  const query = raw.prepare('SELECT * FROM nodes WHERE run_id = ? ORDER BY seq');
  const engine = new Engine(Store.open(file));
  const nodeCount = (raw.prepare('SELECT count(*) AS n FROM nodes').get() as { n: number }).n;
  const sql: number[] = [];
  const api: number[] = [];
  for (let i = 0; i < 7; i++) {
    let t = performance.now();
    query.all(bigRunId);
    sql.push(performance.now() - t);
    t = performance.now();
    const result = await engine.call('getTree', { runId: bigRunId });
    if (!result.ok) throw new Error(result.error.message);
    JSON.stringify(result.value); // what the transport sends
    api.push(performance.now() - t);
  }
  engine.close();
  raw.close();
  const a = median(api);
  const s = median(sql);
  return [
    {
      figure: 'tree load: 10k-node run via getTree (validated, serialised)',
      value: a,
      unit: 'ms',
      baseline: s,
      ratio: s / a,
      note: `in a ${(nodeCount / 1e6).toFixed(2)}M-node database; baseline: one SELECT of the run's rows; ratio = baseline/value`,
    },
  ];
}
