/**
 * Export throughput on the shared synthetic database (~1M nodes in 10k runs plus a 10k-node run):
 * records/s, MB/s and nodes/s for the TRL and trace exports, against merely reading the same
 * rows with the same per-run SQL; and peak memory on the whole database against a ~200k-node
 * slice of it (with the same biggest tree), which shows whether memory stays flat as the
 * database grows.
 */
import Database from 'better-sqlite3';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import v8 from 'node:v8';
import vm from 'node:vm';
import { ExportRequest, type ExportOptionsInput, type ExportSummary } from '../common/contract/export';
import { exportDataset } from '../main/engine/export/run-export';
import { syntheticDb } from './synthetic';
import type { BenchRow } from './types';

const SLICE_NODES = 200_000;

interface Measured<T> {
  value: T;
  seconds: number;
  /** Highest RSS and JS heap seen while it ran, above what was in use before (MB). */
  peakRssMb: number;
  peakHeapMb: number;
}

// A full collection before each measurement, so "above what was in use before" starts from live
// memory: garbage left by the previous export made a later baseline read as 0 MB (its heap fell
// below the starting point when that garbage went).
v8.setFlagsFromString('--expose-gc');
const collectGarbage = vm.runInNewContext('gc') as () => void;

export async function measure<T>(fn: () => Promise<T> | T): Promise<Measured<T>> {
  collectGarbage();
  const before = process.memoryUsage();
  let peakRss = before.rss;
  let peakHeap = before.heapUsed;
  const sample = () => {
    const m = process.memoryUsage();
    peakRss = Math.max(peakRss, m.rss);
    peakHeap = Math.max(peakHeap, m.heapUsed);
  };
  const timer = setInterval(sample, 5);
  const start = performance.now();
  try {
    const value = await fn();
    sample();
    return {
      value,
      seconds: (performance.now() - start) / 1000,
      peakRssMb: (peakRss - before.rss) / 2 ** 20,
      peakHeapMb: (peakHeap - before.heapUsed) / 2 ** 20,
    };
  } finally {
    clearInterval(timer);
  }
}

/** The rows an export reads, read with the same statements and nothing else done: the floor. */
function readSameRows(db: Database.Database, runIds: number[] | null): { nodes: number; rows: number } {
  const runs = db.prepare(
    `SELECT r.id FROM runs r JOIN problems p ON p.id = r.problem_id
     WHERE r.id > ? ${runIds ? 'AND r.id IN (SELECT value FROM json_each(?))' : ''} ORDER BY r.id LIMIT 256`,
  );
  const nodes = db
    .prepare(
      `SELECT id, parent_id, seq, depth, expansion, step_text, state, score, is_terminal, valid, outcome, exact_label, pruned
       FROM nodes WHERE run_id = ? ORDER BY seq`,
    )
    .raw(true);
  const annotations = db.prepare('SELECT * FROM annotations WHERE run_id = ? ORDER BY node_id, annotator').raw(true);
  const branches = db.prepare('SELECT * FROM branch_ratings WHERE run_id = ? ORDER BY leaf_node_id, annotator').raw(true);
  const problem = db.prepare('SELECT p.* FROM problems p JOIN runs r ON r.problem_id = p.id WHERE r.id = ?').raw(true);
  let nodeRows = 0;
  let rows = 0;
  let after = 0;
  const filter = runIds ? JSON.stringify(runIds) : undefined;
  for (;;) {
    const page = (filter ? runs.all(after, filter) : runs.all(after)) as { id: number }[];
    for (const { id } of page) {
      problem.get(id);
      for (const _ of nodes.iterate(id)) nodeRows++;
      rows += annotations.all(id).length + branches.all(id).length;
    }
    if (page.length < 256) break;
    after = page[page.length - 1]!.id;
  }
  return { nodes: nodeRows, rows: nodeRows + rows };
}

export async function benchExport(): Promise<BenchRow[]> {
  const { file } = syntheticDb();
  const db = new Database(file, { readonly: true });
  const out = fs.mkdtempSync(path.join(os.tmpdir(), 'metacot-bench-export-'));
  try {
    const totalNodes = (db.prepare('SELECT count(*) AS n FROM nodes').get() as { n: number }).n;
    // The last runs holding at least SLICE_NODES nodes: they include the biggest tree, as the
    // whole database does, so a difference in memory comes from the database's size alone.
    const slice: number[] = [];
    let sliceNodes = 0;
    for (const r of db.prepare('SELECT id, node_count FROM runs ORDER BY id DESC').iterate() as Iterable<{ id: number; node_count: number }>) {
      if (sliceNodes >= SLICE_NODES) break;
      slice.push(r.id);
      sliceNodes += r.node_count;
    }

    const run = (name: string, input: ExportOptionsInput & { parquet?: boolean }) =>
      measure(() => exportDataset(db, ExportRequest.parse({ ...input, outDir: path.join(out, name) })));
    const bytes = (s: ExportSummary) => s.files.reduce((sum, f) => sum + f.bytes, 0);

    const read = await measure(() => readSameRows(db, null));
    const trl = await run('trl', { format: 'trl', labels: { kind: 'mc' } });
    const trace = await run('trace', { format: 'trace', trace: { order: 'dfs', stopAtGoal: false } });
    const parquet = await run('trl-parquet', { format: 'trl', labels: { kind: 'mc' }, parquet: true });
    const sliceTrl = await run('trl-slice', { format: 'trl', labels: { kind: 'mc' }, filters: { runIds: slice } });

    const readNodesPerS = read.value.nodes / read.seconds;
    const db1m = `${(totalNodes / 1e6).toFixed(2)}M-node database`;
    const nodeRow = (figure: string, m: Measured<ExportSummary>): BenchRow => {
      const value = totalNodes / m.seconds;
      return {
        figure,
        value,
        unit: 'nodes/s',
        baseline: readNodesPerS,
        ratio: value / readNodesPerS,
        note: `${m.value.records.toLocaleString('en')} records, ${(bytes(m.value) / 2 ** 20).toFixed(0)} MB in ${m.seconds.toFixed(1)} s; baseline: reading the same rows with the same SQL (${read.seconds.toFixed(1)} s)`,
      };
    };
    return [
      nodeRow(`export TRL (JSONL, Monte-Carlo labels), ${db1m}`, trl),
      { figure: 'export TRL (JSONL): records', value: trl.value.records / trl.seconds, unit: 'records/s', baseline: null, ratio: null },
      { figure: 'export TRL (JSONL): output', value: bytes(trl.value) / 2 ** 20 / trl.seconds, unit: 'MB/s', baseline: null, ratio: null },
      nodeRow(`export TRL (Parquet), ${db1m}`, parquet),
      nodeRow(`export Meta-CoT traces (DFS, JSONL), ${db1m}`, trace),
      { figure: 'export traces: output', value: bytes(trace.value) / 2 ** 20 / trace.seconds, unit: 'MB/s', baseline: null, ratio: null },
      {
        figure: `export TRL peak heap, ${db1m}`,
        value: trl.peakHeapMb,
        unit: 'MB',
        baseline: sliceTrl.peakHeapMb,
        ratio: sliceTrl.peakHeapMb / trl.peakHeapMb,
        note: `baseline: the same export of a ${(sliceNodes / 1e3).toFixed(0)}k-node slice; ratio ≈ 1 means memory does not grow with the database. Peak RSS growth ${trl.peakRssMb.toFixed(0)} MB (slice ${sliceTrl.peakRssMb.toFixed(0)} MB)`,
      },
    ];
  } finally {
    db.close();
    fs.rmSync(out, { recursive: true, force: true });
  }
}
