import { afterAll, beforeAll, expect, test } from 'vitest';
import { HttpPolicy } from '../../../main/engine/models/http-policy';
import { requestPool } from '../../../main/engine/providers/request-pool';
import { countdownTask as task } from '../../../main/engine/tasks/countdown';
import { countdown, proposeRequest } from '../search/helpers';
import { startCountdownServer, type ServerControls } from '../../helpers/completion-server';

let server: ServerControls;
beforeAll(async () => (server = await startCountdownServer()));
afterAll(() => server.close());

const problem = countdown([4, 9, 3, 2], 24);
const request = (steps: string[], k: number, seed: number) => proposeRequest(task, problem, steps, k, seed);
const requests = [request([], 6, 1), request(['9-3=6'], 6, 2), request(['4*9=36'], 3, 3)];
const policy = (options: { maxN?: number; promptsPerRequest?: number } = {}) =>
  new HttpPolicy('http-test', { baseUrl: server.url, model: 'countdown-standin', maxTokens: 8, retries: 0, ...options });

test('one request per path asks for all k children as n', async () => {
  const before = server.hits;
  const out = await policy().propose(requests);
  expect(server.hits - before).toBe(3);
  expect(out.map((p) => p.length)).toEqual([6, 6, 3]);
  for (const proposals of out) expect(proposals.map((p) => p.logprob)).toEqual([...proposals.map((p) => p.logprob)].sort((a, b) => b - a));
});

test('max_n splits a path into requests of at most n; prompts_per_request merges paths that want the same n', async () => {
  let before = server.hits;
  const split = await policy({ maxN: 4 }).propose(requests);
  expect(server.hits - before).toBe(5); // 4 + 2, 4 + 2, 3
  expect(split.map((p) => p.length)).toEqual([6, 6, 3]);

  before = server.hits;
  const merged = await policy({ promptsPerRequest: 2 }).propose(requests);
  expect(server.hits - before).toBe(2); // the two k = 6 paths together, then the k = 3 one
  expect(merged.map((p) => p.length)).toEqual([6, 6, 3]);
  expect(server.lastBody).toMatchObject({ n: 3, prompt: `${task.prompt(problem)}4*9=36\n` });
  // The first path of a merged request keeps its own seed, so it draws what it draws alone.
  expect(merged[0]).toEqual((await policy().propose([requests[0]!]))[0]);
});

test('the answers do not depend on how many requests may be in flight', async () => {
  const pool = requestPool();
  const limit = pool.limit;
  const many = Array.from({ length: 24 }, (_, i) => request(i % 2 ? ['9-3=6'] : [], 4, 100 + i));
  try {
    pool.limit = 1;
    pool.resetPeak();
    const one = await policy({ maxN: 3 }).propose(many);
    expect(pool.peak).toBe(1);
    pool.limit = 64;
    pool.resetPeak();
    const wide = await policy({ maxN: 3 }).propose(many);
    expect(pool.peak).toBeGreaterThan(8);
    expect(wide).toEqual(one);
  } finally {
    pool.limit = limit;
  }
});

test('a stalled request is abandoned by its timeout and retried; a cancelled call stops waiting', async () => {
  const retrying = new HttpPolicy('http-test', { baseUrl: server.url, model: 'countdown-standin', maxTokens: 8, timeoutMs: 1500, retries: 2, backoffMs: 5 });
  server.stallNext = 1;
  const before = server.hits;
  const [out] = await retrying.propose([requests[0]!]);
  expect(out).toHaveLength(6);
  expect(server.hits - before).toBe(2);

  server.stallNext = 1;
  const controller = new AbortController();
  const pending = retrying.propose([requests[0]!], { signal: controller.signal });
  setTimeout(() => controller.abort(new Error('run cancelled')), 50);
  await expect(pending).rejects.toThrow('run cancelled');
});
