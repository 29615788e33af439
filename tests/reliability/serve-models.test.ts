/**
 * Attack cases 3 and 4 of issue 21: a serve client may name only bundled models, folders under
 * `--models` and `--allow-endpoint` URLs; refusals never echo a file and read the same for
 * "missing" and "not allowed"; the API key reaches only the endpoints it is bound to.
 */
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { admitModelName } from '../../main/engine/api/model-access';
import { Engine } from '../../main/engine/engine';
import { bindKeyToEndpoint, endpointKeyFor, KEY_ENDPOINTS_VAR } from '../../main/engine/models/endpoint-keys';
import { defaultProviders } from '../../main/engine/providers';
import { getTask } from '../../main/engine/tasks/registry';
import { seedSampleTree, type SeededTree } from '../helpers/seed';

const FIXTURES = path.resolve('tests/fixtures/models');
let dir: string;
let seeded: SeededTree;
let engine: Engine;
let secretDir: string;

/** An OpenAI-compatible endpoint that records the Authorization header of every request. */
async function recordingEndpoint(): Promise<{ url: string; seen: (string | null)[]; close: () => Promise<void> }> {
  const seen: (string | null)[] = [];
  const server = http.createServer((req, res) => {
    seen.push(req.headers.authorization ?? null);
    req.resume();
    req.on('end', () => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ choices: [{ text: '4+9=13', index: 0, finish_reason: 'stop', logprobs: { token_logprobs: [-0.5] } }] }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/v1`, seen, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

let allowed: Awaited<ReturnType<typeof recordingEndpoint>>;
let foreign: Awaited<ReturnType<typeof recordingEndpoint>>;

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'metacot-models-attack-'));
  seeded = seedSampleTree(path.join(dir, 'served.db'));
  engine = new Engine(seeded.store);
  secretDir = path.join(dir, 'not-a-model');
  fs.mkdirSync(secretDir);
  fs.writeFileSync(path.join(secretDir, 'config.json'), '"SECRET-abc" and more');
  allowed = await recordingEndpoint();
  foreign = await recordingEndpoint();
  engine.context.modelAccess = { modelsDir: FIXTURES, endpoints: [allowed.url] };
});
afterAll(async () => {
  engine.close();
  await allowed.close();
  await foreign.close();
});

const start = (policy?: string, scorer?: string) =>
  engine.call('startSearch', { problemIds: [seeded.problemId], algorithm: 'bfs', policy, scorer, budget: { maxExpansions: 1 } });

test('onnx:<folder> outside --models is refused without reading it, the same for a secret, a system folder and a missing one', async () => {
  const messages: string[] = [];
  for (const spec of [secretDir, '/etc', '/root/.ssh', '/etc/passwd', path.join(dir, 'missing'), `${FIXTURES}/../../fixtures/formats`, 'hf-tiny/../../formats']) {
    for (const [policy, scorer] of [[`onnx:${spec}`, 'exact'], ['enumerator', `onnx:${spec}`]] as const) {
      const r = await start(policy, scorer);
      expect(r, spec).toMatchObject({ ok: false, error: { code: 'forbidden' } });
      if (!r.ok) {
        expect(r.error.message).not.toMatch(/SECRET|not valid JSON|ENOENT|EACCES|does not exist|is a file/);
        messages.push(r.error.message.replace(spec, '<spec>'));
      }
    }
  }
  // One wording for all of them (the name asked for aside): no existence oracle.
  expect(new Set(messages.map((m) => m.replace(/^(policy|scorer) /, ''))).size).toBe(1);
  expect(engine.store.runs.count()).toBe(1);
});

test('bundled names, folders under --models (stored as absolute onnx: names) and stand-ins are admitted', () => {
  const access = { modelsDir: FIXTURES, endpoints: [] };
  expect(admitModelName(access, 'onnx:hf-tiny?temperature=0.5', 'policy')).toBe(`onnx:${path.join(FIXTURES, 'hf-tiny')}?temperature=0.5`);
  expect(admitModelName(access, 'enumerator', 'policy')).toBe('enumerator');
  expect(admitModelName(access, 'rollout:8', 'scorer')).toBe('rollout:8');
  expect(() => admitModelName({ modelsDir: null, endpoints: [] }, 'onnx:hf-tiny', 'policy')).toThrow(/not available on this server/);
  expect(() => admitModelName(access, 'vllm-prm:http://10.0.0.1:8000/v1', 'scorer')).toThrow(/not available on this server/);
});

test('an endpoint that is not allow-listed is never called, by startSearch, autolabel or a stored run being resumed', async () => {
  const r = await start(`${foreign.url}#m`, 'exact');
  expect(r).toMatchObject({ ok: false, error: { code: 'forbidden' } });
  // A run whose stored policy names the foreign endpoint (as an imported file could).
  seeded.store.connection.prepare("UPDATE runs SET policy = ?, status = 'interrupted' WHERE id = ?").run(`${foreign.url}#m`, seeded.runId);
  const label = await engine.call('autolabel', { runId: seeded.runId, method: 'mc', rollouts: 1 });
  expect(label).toMatchObject({ ok: false, error: { code: 'forbidden' } });
  const resume = await engine.call('resumeRun', { runId: seeded.runId });
  expect(resume).toMatchObject({ ok: false, error: { code: 'forbidden' } });
  expect(foreign.seen).toEqual([]);
});

test('the API key goes to the endpoint it is bound to and nowhere else', async () => {
  const previous = { key: process.env.METACOT_API_KEY, bound: process.env[KEY_ENDPOINTS_VAR] };
  process.env.METACOT_API_KEY = 'sk-user-secret';
  delete process.env[KEY_ENDPOINTS_VAR];
  try {
    bindKeyToEndpoint(allowed.url);
    expect(endpointKeyFor(`${allowed.url}/`)).toBe('sk-user-secret');
    expect(endpointKeyFor(foreign.url)).toBeUndefined();
    const task = getTask('countdown');
    const problem = seeded.store.problems.get(seeded.problemId);
    const ask = async (url: string) => {
      const policy = await defaultProviders().createPolicy(`${url}#m`, { task, seed: 1 });
      try {
        const state = task.initialState(problem);
        await policy.propose([{ task, problem, steps: [], logprobs: [], state, seed: 1, k: 1 }]);
      } finally {
        await policy.close?.();
      }
    };
    await ask(allowed.url);
    await ask(foreign.url);
    expect(allowed.seen.at(-1)).toBe('Bearer sk-user-secret');
    expect(foreign.seen).toHaveLength(1);
    expect(foreign.seen[0]).toBeNull();
  } finally {
    if (previous.key === undefined) delete process.env.METACOT_API_KEY;
    else process.env.METACOT_API_KEY = previous.key;
    if (previous.bound === undefined) delete process.env[KEY_ENDPOINTS_VAR];
    else process.env[KEY_ENDPOINTS_VAR] = previous.bound;
  }
});

test('a model folder that is admitted but holds broken JSON is reported without its content', async () => {
  const models = fs.mkdtempSync(path.join(os.tmpdir(), 'metacot-models-leaky-'));
  fs.mkdirSync(path.join(models, 'leaky'));
  fs.writeFileSync(path.join(models, 'leaky', 'config.json'), '{"model_type": SECRET-abc}');
  const name = admitModelName({ modelsDir: models, endpoints: [] }, 'onnx:leaky', 'policy');
  const task = getTask('countdown');
  const error = await defaultProviders().createPolicy(name, { task, seed: 1 }).then(
    () => null,
    (e: Error) => e,
  );
  expect(error?.message).toMatch(/not valid JSON \(syntax error/);
  expect(error?.message).not.toMatch(/SECRET/);
});
