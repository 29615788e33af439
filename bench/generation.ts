/**
 * Generation at a served model's speed (issue 16), each figure against its limit in the same run:
 *  - endpoint throughput: expansions per second of a 64-problem batch search against the countdown
 *    stand-in server answering every request after a fixed 50 ms (its own process), divided by the
 *    ideal at the concurrency (concurrency / 50 ms); the peak of requests in flight is reported;
 *  - CLI start: `metacot runs` on a small database (the prebuilt command) vs `node -e ""`, and the
 *    TypeScript path (tsx) beside it;
 *  - the share of a default bundled-model search's search-thread time spent inside onnxruntime
 *    (policy and PRM forward passes over the wall time of `metacot search`'s batch on this thread);
 *  - sampling one token of one row against the sampler it replaced (tests/fixtures/sampling-reference.ts),
 *    at the default search's settings (vocabulary 1,220, constrained, temperature 1.5) and with top-k.
 */
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { buildCli, bundleIsFresh } from '../scripts/cli-bundle.mjs';
import type { OnnxPolicy } from '../main/engine/models/onnx-policy';
import type { OnnxPathScorer } from '../main/engine/models/path-scorer';
import { Rng, Sampler, type SamplingOptions } from '../main/engine/models/sampling';
import { requestPool } from '../main/engine/providers/request-pool';
import { runBatch } from '../main/engine/search/batch';
import { withSearchDefaults } from '../main/engine/search/defaults';
import type { SearchSpec } from '../main/engine/search/run-service';
import { SearchRuntime } from '../main/engine/search/runtime';
import { Store } from '../main/engine/store/store';
import { countdownTask, generateCountdownProblems } from '../main/engine/tasks/countdown';
import { referenceSampleToken } from '../tests/fixtures/sampling-reference';
import type { BenchRow } from './types';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const tmpDb = (name: string) => path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'metacot-bench-gen-')), name);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const load = () => os.loadavg()[0]!.toFixed(1);

/**
 * A batch on this thread into `store`, as `metacot search` runs it; returns its runs and wall
 * time. Warm-ups use the same database, so the measured batch finds its writer thread started.
 */
async function batch(store: Store, runtime: SearchRuntime, spec: Omit<SearchSpec, 'problemId'>, problems: ReturnType<typeof generateCountdownProblems>, concurrency: number) {
  const { providers } = runtime;
  const policy = await providers.createPolicy(spec.policy, { task: countdownTask, seed: spec.seed });
  const scorer = await providers.createScorer(spec.scorer, { task: countdownTask, seed: spec.seed, policy });
  const start = performance.now();
  const runs = await runBatch(store, problems, spec, { runtime, workers: 1, concurrency, signal: new AbortController().signal, providers: { policy, scorer } });
  return { runs, ms: performance.now() - start, policy, scorer };
}

/** A fresh database for one figure, closed with its writer thread after `use`. */
async function withStore<T>(use: (store: Store, runtime: SearchRuntime) => Promise<T>): Promise<T> {
  const store = Store.open(tmpDb('bench.db'));
  const runtime = SearchRuntime.forStore(store);
  try {
    return await use(store, runtime);
  } finally {
    await runtime.close();
    store.close();
  }
}

const DELAY_MS = 50;
const CONCURRENCY = 64;
const EXPANSIONS = 30;

export async function endpointThroughput(): Promise<BenchRow> {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(root, 'bench', 'standin-server.ts'), String(DELAY_MS)], { stdio: ['pipe', 'pipe', 'inherit'] });
  try {
    const [url] = (await createInterface({ input: child.stdout! })[Symbol.asyncIterator]().next()).value.split('\n') as string[];
    const spec = { algorithm: 'bfs' as const, config: { k: 8, stopOnSolution: false }, policy: `${url}/v1?max_tokens=8#countdown-standin`, scorer: 'exact', seed: 16, budget: { maxExpansions: EXPANSIONS } };
    const pool = requestPool();
    pool.limit = CONCURRENCY;
    const { runs, ms, user, system } = await withStore(async (store, runtime) => {
      await batch(store, runtime, { ...spec, budget: { maxExpansions: 3 } }, generateCountdownProblems(8, { seed: 1 }), CONCURRENCY); // warm-up
      pool.resetPeak();
      const cpu = process.cpuUsage();
      const measured = await batch(store, runtime, spec, generateCountdownProblems(64, { seed: 1616 }), CONCURRENCY);
      return { ...measured, ...process.cpuUsage(cpu) };
    });
    const expansions = runs.reduce((n, r) => n + Number(r.stats.expansions ?? 0), 0);
    const value = expansions / (ms / 1000);
    const ideal = CONCURRENCY / (DELAY_MS / 1000);
    return {
      figure: 'endpoint throughput: expansions/s of a 64-problem batch vs the ideal at concurrency 64',
      value,
      unit: 'expansions/s',
      baseline: ideal,
      ratio: value / ideal,
      note: `BFS, k 8, ${EXPANSIONS} expansions per run (${expansions} in ${(ms / 1000).toFixed(2)} s, ${runs.filter((r) => r.status === 'done').length}/64 runs done; this process's CPU ${((user + system) / 1000 / expansions).toFixed(2)} ms per expansion, all threads) against the countdown stand-in answering after ${DELAY_MS} ms in its own process; ideal = ${CONCURRENCY} requests / ${DELAY_MS} ms; peak in flight ${pool.peak}; load avg ${load()} on 2 cores; target ≥ 0.8`,
    };
  } finally {
    child.stdin!.end();
    child.kill();
  }
}

/** Wall milliseconds of one child process. */
function timed(args: string[], env: NodeJS.ProcessEnv = process.env): number {
  const start = performance.now();
  const result = spawnSync(process.execPath, args, { cwd: root, env, stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`node ${args.join(' ')} failed: ${result.stderr}`);
  return performance.now() - start;
}

export async function cliStart(): Promise<BenchRow[]> {
  if (!bundleIsFresh()) await buildCli();
  const db = tmpDb('small.db');
  timed(['bin/metacot.js', 'synth-db', '--db', db, '--runs', '20', '--nodes-per-run', '50', '--big-run', '0']);
  const bare: number[] = [];
  const cli: number[] = [];
  const source: number[] = [];
  for (let round = 0; round < 15; round++) {
    bare.push(timed(['-e', '']));
    cli.push(timed(['bin/metacot.js', 'runs', '--db', db]));
    if (round % 3 === 0) source.push(timed(['bin/metacot.js', 'runs', '--db', db], { ...process.env, METACOT_CLI: 'source' }));
  }
  const base = median(bare);
  const note = `a 20-run database; medians of ${cli.length} alternating starts (TypeScript path ${source.length}); load avg ${load()} on 2 cores`;
  return [
    { figure: 'CLI start: metacot runs, prebuilt JavaScript, vs node -e ""', value: median(cli), unit: 'ms', baseline: base, ratio: base / median(cli), note: `${note}; goal: within 5x (ratio ≥ 0.2)` },
    { figure: 'CLI start: metacot runs through tsx (sources changed since the build), vs node -e ""', value: median(source), unit: 'ms', baseline: base, ratio: base / median(source), note: 'what every start cost before the prebuilt command' },
  ];
}

export async function onnxShare(): Promise<BenchRow> {
  const spec = { ...withSearchDefaults(countdownTask, { algorithm: 'mcts', seed: 16 }), seed: 16, budget: { maxExpansions: 40 } } as Omit<SearchSpec, 'problemId'>;
  const { runs, ms, policy, scorer } = await withStore(async (store, runtime) => {
    const warm = await batch(store, runtime, { ...spec, budget: { maxExpansions: 3 } }, generateCountdownProblems(1, { seed: 2 }), CONCURRENCY);
    await warm.scorer.close?.();
    await warm.policy.close?.();
    return batch(store, runtime, spec, generateCountdownProblems(4, { seed: 1616 }), CONCURRENCY);
  });
  const inside = (policy as OnnxPolicy).lm.stats.runMs + (scorer as OnnxPathScorer).model.stats.runMs;
  await scorer.close?.();
  await policy.close?.();
  const nodes = runs.reduce((n, r) => n + r.nodeCount, 0);
  return {
    figure: 'share of a default bundled-model search inside onnxruntime (policy + PRM forward passes / search-thread wall time)',
    value: (100 * inside) / ms,
    unit: '%',
    baseline: null,
    ratio: inside / ms,
    note: `metacot search defaults (${spec.policy}, ${spec.scorer}, MCTS, k ${String(spec.config?.k)}, constrained, temperature 1.5), 4 countdown problems × 40 expansions, ${nodes} nodes in ${(ms / 1000).toFixed(1)} s, writer thread; load avg ${load()} on 2 cores; goal ≥ 0.7`,
  };
}

/** Microseconds per token and row, new sampler vs the one it replaced, medians of alternating rounds. */
export function samplingCost(): BenchRow[] {
  const V = 1220;
  const rng = new Rng(1);
  const rows = Array.from({ length: 32 }, () => Float32Array.from({ length: V }, () => (rng.next() - 0.5) * 12));
  const fewAllowed = Uint8Array.from({ length: V }, (_, i) => (i % 250 === 7 ? 1 : 0));
  const sampler = new Sampler();
  const cases: [string, SamplingOptions, Uint8Array | null][] = [
    ['constrained (5 tokens allowed), temperature 1.5: the default search', { temperature: 1.5 }, fewAllowed],
    ['unconstrained, temperature 0.8, top-k 40', { temperature: 0.8, topK: 40 }, null],
  ];
  return cases.map(([label, options, allowed]) => {
    const times = { old: [] as number[], new: [] as number[] };
    for (let round = 0; round < 9; round++) {
      for (const which of ['old', 'new'] as const) {
        const draw = new Rng(round);
        const start = performance.now();
        for (let rep = 0; rep < 100; rep++) {
          for (const row of rows) which === 'old' ? referenceSampleToken(row, options, draw, allowed) : sampler.sample(row, options, draw, allowed);
        }
        times[which].push(((performance.now() - start) * 1000) / (100 * rows.length));
      }
    }
    const value = median(times.new);
    const base = median(times.old);
    return { figure: `sampling a token, ${label}, vs the sampler it replaced`, value, unit: 'µs/row', baseline: base, ratio: base / value, note: `vocabulary ${V}, 32 rows; the same tokens and log-probabilities; medians of 9 alternating rounds; load avg ${load()} on 2 cores` };
  });
}

export async function benchGeneration(): Promise<BenchRow[]> {
  return [await endpointThroughput(), ...(await cliStart()), await onnxShare(), ...samplingCost()];
}
