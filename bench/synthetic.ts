/** The benchmarks' shared synthetic database: 10k runs, ~1M nodes, plus one 10k-node run; built once, cached. */
import fs from 'node:fs';
import path from 'node:path';
import { APP_ROOT } from '../main/engine/paths';
import { buildSyntheticDb } from '../main/engine/sample/synthetic';
import { MIGRATIONS } from '../main/engine/store/migrations';

export const SYNTHETIC = { runs: 10_000, nodesPerRun: 100, bigRunNodes: 10_000, seed: 1 };

export function syntheticDb(): { file: string; bigRunId: number } {
  const dir = path.join(APP_ROOT, 'node_modules', '.cache', 'metacot-bench');
  const file = path.join(dir, `synthetic-${SYNTHETIC.runs}x${SYNTHETIC.nodesPerRun}+${SYNTHETIC.bigRunNodes}.db`);
  const meta = `${file}.json`;
  // The cache is rebuilt when the schema's migrations change: a database built by another build
  // may be refused (or migrated mid-benchmark) by this one.
  const schema = MIGRATIONS.map((m) => `${m.version}:${m.name}`).join(',');
  if (fs.existsSync(file) && fs.existsSync(meta)) {
    const cached = JSON.parse(fs.readFileSync(meta, 'utf8')) as { file: string; bigRunId: number; schema?: string };
    if (cached.schema === schema) return { file: cached.file, bigRunId: cached.bigRunId };
  }
  fs.mkdirSync(dir, { recursive: true });
  fs.rmSync(file, { force: true });
  process.stderr.write(`bench: building the synthetic database (${SYNTHETIC.runs} runs, ~${(SYNTHETIC.runs * SYNTHETIC.nodesPerRun) / 1e6}M nodes), once...\n`);
  const built = buildSyntheticDb(`${file}.tmp`, SYNTHETIC);
  fs.renameSync(`${file}.tmp`, file);
  const result = { file, bigRunId: built.bigRunId! };
  fs.writeFileSync(meta, JSON.stringify({ ...result, schema }));
  return result;
}
