import { ctrlCAfterNodes } from '../../helpers/db-watch';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, expect, test, vi } from 'vitest';
import { main } from '../../../main/engine/cli/index';
import { buildSampleDb } from '../../../main/engine/sample/sample-db';
import { BUNDLED_SEARCH } from '../../../main/engine/search/defaults';
import { Store } from '../../../main/engine/store/store';

let dir: string;
let out: string;
let err: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'metacot-cli-'));
  out = '';
  err = '';
  vi.spyOn(process.stdout, 'write').mockImplementation((s) => ((out += String(s)), true));
  vi.spyOn(process.stderr, 'write').mockImplementation((s) => ((err += String(s)), true));
});
afterEach(() => vi.restoreAllMocks());

const run = (...args: string[]) => main(['node', 'metacot', ...args]);

test('search stores one run per problem and prints a line per run when not on a terminal', async () => {
  const db = path.join(dir, 'trees.db');
  expect(await run('search', '--task', 'countdown', '--count', '3', '--algo', 'bfs', '--budget', '30', '--policy', 'enumerator', '--k', '32', '--seed', '5', '--db', db)).toBe(0);
  expect(out).toMatch(/run 1 \(1\/3\) \d+:\[[\d, ]+\]: done/);
  expect(out).toMatch(/3 runs: \d solved/);
  const store = Store.open(db);
  expect(store.runs.list({ limit: 10, offset: 0 }).runs.map((r) => r.status)).toEqual(['done', 'done', 'done']);
  store.close();

  const problems = path.join(dir, '24.csv');
  fs.writeFileSync(problems, 'Rank,Puzzles,AMT (s)\n1,1 1 4 6,4.4\n2,4 5 6 10,5\n');
  expect(await run('search', '--task', 'game24', '--problems', problems, '--algo', 'mcts', '--budget', '20', '--policy', 'enumerator', '--scorer', 'rollout:2', '--set', 'cPuct=2', '--db', db)).toBe(0);
  out = '';
  expect(await run('runs', '--db', db)).toBe(0);
  expect(out).toMatch(/countdown\s+bfs\s+3\s+3/);
  // runs, done, queued, running, stopped, failed, solved, solve rate
  expect(out).toMatch(/game24\s+mcts\s+2\s+2\s+0\s+0\s+0\s+0\s+\d\s+\d+\.\d%/);
});

test('runs lists queued runs as queued, not as running', async () => {
  const db = path.join(dir, 'queued.db');
  const store = Store.open(db);
  const problemId = store.problems.insert({ task: 'countdown', prompt: '24:[4, 9, 3]', goldAnswer: '24', metadata: { numbers: [4, 9, 3], target: 24 } });
  store.runs.create({ problemId, algorithm: 'bfs', policy: 'enumerator' });
  store.close();
  expect(await run('runs', '--db', db)).toBe(0);
  // runs, done, queued, running
  expect(out).toMatch(/countdown\s+bfs\s+1\s+0\s+1\s+0\s/);
});

test('countdown and game24 searches default to the bundled policy and PRM, with the k their evaluation used', async () => {
  const db = path.join(dir, 'defaults.db');
  expect(await run('search', '--task', 'countdown', '--count', '1', '--algo', 'mcts', '--budget', '4', '--seed', '3', '--db', db)).toBe(0);
  const store = Store.open(db);
  try {
    const [r] = store.runs.list({ limit: 1, offset: 0 }).runs;
    expect(r).toMatchObject({ policy: BUNDLED_SEARCH.policy, scorer: BUNDLED_SEARCH.scorer, status: 'done' });
    expect(r!.config.k).toBe(BUNDLED_SEARCH.k);
    const nodes = store.nodes.forRun(r!.id).slice(1);
    expect(nodes.length).toBeGreaterThan(4);
    // The bundled policy decodes under the task's constraint by default: every step is legal.
    expect(nodes.every((n) => n.valid)).toBe(true);
    expect(nodes.every((n) => n.score !== null && n.score >= 0 && n.score <= 1)).toBe(true);
  } finally {
    store.close();
  }
});

test('bad input: one line, exit 2, no database written', async () => {
  const db = path.join(dir, 'never.db');
  const bad = path.join(dir, 'bad.jsonl');
  fs.writeFileSync(bad, '{"numbers": [4, 9, 3], "target": 24}\n{"numbers": [4, "nine"], "target": 24}\n');
  const cases: [string[], RegExp][] = [
    [['--task', 'chess', '--count', '2'], /unknown task "chess"/],
    [['--task', 'countdown', '--problems', bad], /bad.jsonl: line 2: numbers.1/],
    [['--task', 'countdown', '--problems', path.join(dir, 'missing.jsonl')], /cannot read .*missing.jsonl: ENOENT/],
    [['--task', 'countdown', '--count', '2', '--budget', '0'], /--budget must be an integer from 1/],
    [['--task', 'countdown', '--count', '2', '--max-nodes', '1'], /--max-nodes must be an integer from 2/],
    [['--task', 'countdown', '--count', '2', '--algo', 'astar'], /unknown algorithm "astar"/],
    [['--task', 'countdown', '--count', '2', '--set', 'cPuct'], /--set expects key=value/],
    [['--task', 'countdown', '--count', '2', '--algo', 'beam', '--set', 'beamWidth=0'], /invalid beam config: beamWidth/],
    [['--task', 'countdown', '--count', '2', '--problems', bad], /either --count N .*, --problems FILE or --from-db/],
    [['--task', 'countdown', '--count', '2', '--source', 'GSM8K'], /--source picks problems with --from-db/],
    [['--task', 'countdown', '--count', '2', '--policy', './no-such-model'], /--policy \.\/no-such-model: no model folder at \/.*no-such-model \(a model is a folder: --policy onnx:<folder>\)/],
    [['--task', 'countdown', '--count', '2', '--policy', 'countdown-prm'], /unknown policy "countdown-prm" \(known: (?!.*countdown-prm).*countdown-policy/],
    [['--task', 'countdown', '--count', '2', '--numbers', '9'], /--numbers must be an integer from 3 to 6/],
    [['--task', 'countdown', '--count', '2', '--target-min', '50', '--target-max', '5'], /targetMin/],
    [['--task', 'game24', '--count', '2'], /--count generates countdown puzzles/],
    [['--task', 'math', '--problems', bad], /enumerator policy needs a task with legal steps/],
    [['--task', 'countdown', '--count', '2', '--policy', 'gpt-99'], /unknown policy "gpt-99"/],
    [['--task', 'countdown', '--count', '2', '--workers', '0'], /--workers must be an integer from 1 to 64, got "0"/],
    [['--task', 'countdown', '--count', '2', '--workers', '65'], /--workers must be an integer from 1 to 64, got "65"/],
  ];
  for (const [args, why] of cases) {
    err = '';
    expect(await run('search', ...args, '--db', db), args.join(' ')).toBe(2);
    expect(err, args.join(' ')).toMatch(why);
    expect(err.trim().split('\n'), args.join(' ')).toHaveLength(1);
    expect(fs.existsSync(db), args.join(' ')).toBe(false);
  }
  err = '';
  expect(await run('runs', '--db', db)).toBe(2);
  expect(err).toMatch(/not found/);
  expect(fs.existsSync(db)).toBe(false);
});

test('Ctrl+C cancels the current run cleanly and keeps what was made', async () => {
  const db = path.join(dir, 'trees.db');
  // Press Ctrl+C once the first run has stored some nodes.
  const stopWatching = ctrlCAfterNodes(db, 100);
  const code = await run('search', '--task', 'countdown', '--count', '3', '--numbers', '6', '--target-min', '900', '--target-max', '999', '--algo', 'bfs', '--budget', '1000000', '--policy', 'enumerator', '--set', 'stopOnSolution=false', '--db', db);
  stopWatching();
  expect(code).toBe(130);
  expect(out).toMatch(/cancelled; saved 1 of 3 runs/);
  const store = Store.open(db);
  const [only] = store.runs.list({ limit: 10, offset: 0 }).runs;
  expect(store.runs.count()).toBe(1);
  expect(store.problems.count()).toBe(1); // the two never started are not left behind
  expect(only!.status).toBe('cancelled');
  expect(only!.nodeCount).toBeGreaterThan(100);
  expect(store.nodes.forRun(only!.id)).toHaveLength(only!.nodeCount);
  store.close();
});

// Building the sample database takes 35-40 s on an idle 2-core machine, so the test builds it once
// (through the CLI, replacing a file with --force) and gives it a limit no machine load reaches.
test('the sample database: trees from every algorithm, built whole or not at all', async () => {
  const file = path.join(dir, 'home', 'sample.db');
  fs.mkdirSync(path.dirname(file));
  fs.writeFileSync(file, 'not a database');
  await expect(buildSampleDb(file)).rejects.toThrow(/already exists \(use --force/);
  expect(await run('sample-db', '--db', file)).toBe(2);
  expect(err).toMatch(/already exists \(use --force to rebuild it\)/);
  expect(await run('sample-db', '--db', file, '--if-missing')).toBe(0);
  expect(fs.readFileSync(file, 'utf8')).toBe('not a database');

  expect(await run('sample-db', '--db', file, '--force')).toBe(0);
  expect(out).toMatch(/7 problems, 10 runs \((\d+) solved\)/);
  expect(Number(/\((\d+) solved\)/.exec(out)![1])).toBeGreaterThanOrEqual(4);
  expect(fs.readdirSync(path.dirname(file))).toEqual(['sample.db']);
  const store = Store.open(file);
  const runs = store.runs.list({ limit: 100, offset: 0 }).runs;
  expect(runs).toHaveLength(10);
  expect(new Set(runs.map((r) => r.algorithm))).toEqual(new Set(['bfs', 'dfs', 'mcts', 'best-first', 'beam', 'best-of-n']));
  expect(new Set(runs.map((r) => r.task))).toEqual(new Set(['countdown', 'game24']));
  for (const r of runs) expect(store.nodes.forRun(r.id).length).toBeGreaterThan(10);
  // Grown by the bundled models (one run values its leaves by the bundled policy's rollouts).
  for (const r of runs) expect(r.policy).toBe(BUNDLED_SEARCH.policy);
  expect(runs.filter((r) => r.scorer === BUNDLED_SEARCH.scorer)).toHaveLength(9);
  store.close();
}, 900_000);
