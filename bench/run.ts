/**
 * `npm run bench`: every figure against the plain limit of the part underneath, in one run.
 * Prints a Markdown table (paste it into the README) and writes bench/results.json.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Bench, BenchRow } from './types';

const here = path.dirname(fileURLToPath(import.meta.url));

/** Bench modules and the function each exports; a missing module is reported, not fatal. */
const SUITES: { module: string; fn: string }[] = [
  { module: './store.ts', fn: 'benchStore' },
  { module: './tree-load.ts', fn: 'benchTreeLoad' },
  { module: './search.ts', fn: 'benchSearch' },
  { module: './models.ts', fn: 'benchModels' },
  { module: './generation.ts', fn: 'benchGeneration' },
  { module: './export.ts', fn: 'benchExport' },
  { module: './longcot.ts', fn: 'benchLongCot' },
  { module: './ui.ts', fn: 'benchUi' },
  { module: './overview.ts', fn: 'benchOverview' },
  { module: './serve.ts', fn: 'benchServe' },
];

const fmt = (n: number | null, digits = 2) =>
  n === null ? '—' : Math.abs(n) >= 100 ? Math.round(n).toLocaleString('en') : n.toFixed(digits);

async function main(): Promise<void> {
  const only = process.argv.slice(2);
  const rows: BenchRow[] = [];
  const skipped: string[] = [];
  for (const suite of SUITES) {
    const name = path.basename(suite.module, '.ts');
    if (only.length && !only.includes(name)) continue;
    if (!fs.existsSync(path.join(here, suite.module))) {
      skipped.push(`${name} (not written yet)`);
      continue;
    }
    const mod = (await import(suite.module)) as Record<string, Bench>;
    const bench = mod[suite.fn];
    if (!bench) throw new Error(`${suite.module} does not export ${suite.fn}`);
    process.stderr.write(`bench: ${name}...\n`);
    const start = performance.now();
    rows.push(...(await bench()));
    process.stderr.write(`bench: ${name} took ${((performance.now() - start) / 1000).toFixed(1)} s\n`);
  }
  const machine = `${os.cpus().length} × ${os.cpus()[0]?.model.trim() ?? 'cpu'}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}`;
  const lines = [
    `Measured ${new Date().toISOString().slice(0, 10)} on ${machine}.`,
    '',
    '| figure | value | baseline (same run) | ratio | notes |',
    '|---|---|---|---|---|',
    ...rows.map((r) => `| ${r.figure} | ${fmt(r.value)} ${r.unit} | ${r.baseline === null ? '—' : `${fmt(r.baseline)} ${r.unit}`} | ${fmt(r.ratio)} | ${r.note ?? ''} |`),
  ];
  if (skipped.length) lines.push('', `Not measured: ${skipped.join(', ')}.`);
  process.stdout.write(`${lines.join('\n')}\n`);
  fs.writeFileSync(
    path.join(here, 'results.json'),
    `${JSON.stringify({ date: new Date().toISOString(), machine, rows, skipped }, null, 2)}\n`,
  );
}

await main();
