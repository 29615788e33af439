/** `metacot eval-prm` and the API's evaluatePrm end to end: the bundled countdown PRM against exact labels, JSON out, stored, compared. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { runCli } from '../../helpers/cli';
import { callEngine } from '../../helpers/engine-call';
import { seedSampleTree } from '../../helpers/seed';

let dir: string;
let db: string;
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'metacot-eval-cli-'));
  db = path.join(dir, 'tree.db');
  seedSampleTree(db).store.close();
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

it('--json prints every figure for the bundled countdown PRM, scored by the real model', async () => {
  const { code, out, err } = await runCli('eval-prm', '--db', db, '--scorer', 'countdown-prm', '--json');
  expect(err).toBe('');
  expect(code).toBe(0);
  const r = JSON.parse(out);
  expect(r).toMatchObject({ scorer: 'countdown-prm', reference: 'exact', runs: 1, paths: 4, steps: 7, labeledSteps: 7, threshold: { value: 0.5, tuned: null } });
  expect(r.processBench).toMatchObject({ erroneous: 3, correct: 1 });
  for (const x of [r.processBench.f1, r.stepLevel.auc, r.stepLevel.prmScore, r.bestOfN.accuracy.min]) expect(x).toBeGreaterThanOrEqual(0);
  expect(r.bestOfN).toMatchObject({ runs: 1, meanN: 4, oracle: 1, random: 0.25 });
  // The step scores are the PRM's, stored under its name: the second evaluation reuses them.
  const again = await runCli('eval-prm', '--db', db, '--scorer', 'countdown-prm', '--json', '--threshold', '0.3');
  expect(JSON.parse(again.out).stepLevel.auc).toBe(r.stepLevel.auc);
  const compare = await runCli('eval-prm', '--db', db, '--compare');
  expect(compare.out.split('\n').filter((l) => l.includes('countdown-prm'))).toHaveLength(2);
});

it('mistakes are one line naming what to fix, exit 2', async () => {
  const cases: [string[], RegExp][] = [
    [['--scorer', 'countdown-prm', '--threshold', '0.5', '--tune-on', '0.3'], /give --threshold or --tune-on, not both/],
    [['--scorer', 'countdown-prm', '--runs', '3-1'], /--runs: the range 3-1 is backwards/],
    [['--scorer', 'countdown-prm', '--against', 'elders'], /--against must be one of auto, gold, human, exact/],
    [['--scorer', 'no-such'], /unknown scorer "no-such"/],
    [[], /give --scorer <name>/],
    [['--scorer', 'vllm-prm:http://127.0.0.1:9?retries=0&timeout_ms=2000#m'], /cannot reach the vLLM pooling endpoint http:\/\/127\.0\.0\.1:9\/pooling: ECONNREFUSED \(1 attempts\)/],
  ];
  for (const [args, message] of cases) {
    const { code, err } = await runCli('eval-prm', '--db', db, ...args);
    expect(code, args.join(' ')).toBe(2);
    expect(err).toMatch(message);
  }
});

it('the API runs and lists evaluations as the contract says', async () => {
  const { Engine } = await import('../../../main/engine/engine');
  const engine = Engine.open(db, { mustExist: true });
  try {
    const progress: unknown[] = [];
    const stop = engine.events.subscribe((name, payload) => name === 'prmEvalProgress' && progress.push(payload));
    const stored = await callEngine(engine, 'evaluatePrm', { scorer: 'exact', reference: 'exact' });
    stop();
    // The studio's panel shows how far scoring got; the last report is the whole run's steps.
    expect(progress.at(-1)).toEqual({ scorer: 'exact', done: 7, total: 7 });
    expect(stored).toMatchObject({ scorer: 'exact', reference: 'exact', runFilter: 'finished', threshold: 0.5 });
    expect(stored.metrics.processBench.f1).toBe(1);
    const { evaluations } = await callEngine(engine, 'listPrmEvaluations', {});
    expect(evaluations[0].id).toBe(stored.id);
    await expect(callEngine(engine, 'evaluatePrm', { scorer: 'exact', tuneOn: 2 })).rejects.toThrow(/invalid_input/);
    await expect(callEngine(engine, 'evaluatePrm', { scorer: 'exact', runIds: [999] })).rejects.toThrow(/999/);
    // Under serve, a scorer at an endpoint the server was not started with is refused before any request.
    engine.context.modelAccess = { modelsDir: null, endpoints: [] };
    await expect(callEngine(engine, 'evaluatePrm', { scorer: 'vllm-prm:http://127.0.0.1:9/#m' })).rejects.toThrow(/forbidden: scorer "vllm-prm:http:\/\/127\.0\.0\.1:9\/#m" is not available on this server/);
  } finally {
    engine.close();
  }
});
