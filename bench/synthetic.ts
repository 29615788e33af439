/** The benchmarks' shared synthetic database: 10k runs, ~1M nodes, plus one 10k-node run; built once, cached. */
import fs from 'node:fs';
import path from 'node:path';
import { APP_ROOT } from '../main/engine/paths';
import { buildSyntheticDb } from '../main/engine/sample/synthetic';

export const SYNTHETIC = { runs: 10_000, nodesPerRun: 100, bigRunNodes: 10_000, seed: 1 };

export function syntheticDb(): { file: string; bigRunId: number } {
  const dir = path.join(APP_ROOT, 'node_modules', '.cache', 'metacot-bench');
  const file = path.join(dir, `synthetic-${SYNTHETIC.runs}x${SYNTHETIC.nodesPerRun}+${SYNTHETIC.bigRunNodes}.db`);
  const meta = `${file}.json`;
  if (fs.existsSync(file) && fs.existsSync(meta)) return JSON.parse(fs.readFileSync(meta, 'utf8'));
  fs.mkdirSync(dir, { recursive: true });
  fs.rmSync(file, { force: true });
  process.stderr.write(`bench: building the synthetic database (${SYNTHETIC.runs} runs, ~${(SYNTHETIC.runs * SYNTHETIC.nodesPerRun) / 1e6}M nodes), once...\n`);
  const built = buildSyntheticDb(`${file}.tmp`, SYNTHETIC);
  fs.renameSync(`${file}.tmp`, file);
  const result = { file, bigRunId: built.bigRunId! };
  fs.writeFileSync(meta, JSON.stringify(result));
  return result;
}
