/**
 * Served scorers against a local stand-in speaking vLLM's pooling shapes and an OpenAI-compatible
 * chat endpoint (prm-server.ts): request shapes, step scores, retries, timeouts, bad answers, and
 * a ProcessBench evaluation through `eval-prm` with each.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Problem } from '../../../common/domain';
import { ImportRequest } from '../../../common/contract/export';
import { evaluatePrm } from '../../../main/engine/eval/evaluate';
import { importFile } from '../../../main/engine/import/run-import';
import { bindKeyToEndpoint, KEY_ENDPOINTS_VAR } from '../../../main/engine/models/endpoint-keys';
import { createProviders } from '../../../main/engine/providers';
import type { PathQuery, Scorer } from '../../../main/engine/providers/types';
import { Store } from '../../../main/engine/store/store';
import { mathTask } from '../../../main/engine/tasks/math';
import { startPrmServer, type PrmServer } from './prm-server';

const problem: Problem = { id: 1, task: 'math', prompt: 'What is 2 + 3 * 4?', goldAnswer: '14', metadata: {}, createdAt: '' };
const query = (...steps: string[]): PathQuery => ({ task: mathTask, problem, steps, logprobs: steps.map(() => null), state: null, seed: 1 });
const STEPS = ['Multiplication first: 3 * 4 = 12.', 'Then 2 + 12 = 15, which is wrong.', 'The answer is 15.'];

let server: PrmServer;
let dir: string;
beforeAll(async () => {
  server = await startPrmServer();
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'metacot-served-'));
});
afterAll(async () => {
  await server.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

async function scorer(name: string): Promise<Scorer> {
  const providers = createProviders();
  return providers.createScorer(name, { task: mathTask, seed: 1, policy: { name: 'none', propose: async () => [] } });
}

describe('vllm-prm', () => {
  it("sends each path as Qwen's chat with the separator after every step and reads p_right per step", async () => {
    const s = await scorer(`vllm-prm:${server.url}#Qwen/Qwen2.5-Math-PRM-7B`);
    expect(await s.score([query(STEPS[0]!), query(...STEPS.slice(0, 2)), query(...STEPS)])).toEqual([0.9, 0.2, 0.9]);
    expect(server.lastBody).toEqual({
      model: 'Qwen/Qwen2.5-Math-PRM-7B',
      messages: [
        { role: 'system', content: 'Please reason step by step, and put your final answer within \\boxed{}.' },
        { role: 'user', content: problem.prompt },
        { role: 'assistant', content: STEPS.map((t) => `${t}<extra_0>`).join('') },
      ],
    });
  });

  it('aggregates step scores as asked, and asks /v1/models for the model once when none is named', async () => {
    const before = server.hits.models;
    const s = await scorer(`vllm-prm:${server.url}/v1?agg=min`);
    expect(await s.score([query(...STEPS), query(STEPS[0]!)])).toEqual([0.2, 0.9]);
    expect(server.hits.models - before).toBe(1);
    expect(server.lastBody).toMatchObject({ model: 'stand-in-prm' });
  });

  it('chat=off sends raw input with a configurable separator', async () => {
    const shepherd = await startPrmServer('ки');
    try {
      const s = await scorer(`vllm-prm:${shepherd.url}?chat=off&sep=${encodeURIComponent('ки')}&agg=prod#math-shepherd`);
      expect((await s.score([query(...STEPS.slice(0, 2))]))[0]).toBeCloseTo(0.18, 10);
      expect(shepherd.lastBody).toEqual({ model: 'math-shepherd', input: `${problem.prompt}\n\n${STEPS[0]}ки${STEPS[1]}ки` });
    } finally {
      await shepherd.close();
    }
  });

  it('retries 503s and stalled requests, then gives up with a message naming the endpoint', async () => {
    const s = await scorer(`vllm-prm:${server.url}?timeout_ms=300&retries=2#m`);
    server.failNext = 1;
    server.stallNext = 1;
    expect(await s.score([query(STEPS[0]!)])).toEqual([0.9]);
    server.failNext = 3;
    await expect(s.score([query(STEPS[0]!)])).rejects.toThrow(
      new RegExp(`cannot reach the vLLM pooling endpoint ${server.url}/pooling: HTTP 503 .*\\(3 attempts\\)`),
    );
  });

  it('an answer with the wrong number of scores is a clear error, not a guess', async () => {
    const s = await scorer(`vllm-prm:${server.url}#m`);
    server.badNext = 1;
    await expect(s.score([query(...STEPS)])).rejects.toThrow(/returned 2 scores for 3 steps: the model must pool at each step separator \("<extra_0>"; set sep=/);
  });

  it('sends the API key only where it is bound (a URL typed on the command line)', async () => {
    const saved = { key: process.env.METACOT_API_KEY, bound: process.env[KEY_ENDPOINTS_VAR] };
    process.env.METACOT_API_KEY = 'sk-test';
    try {
      delete process.env[KEY_ENDPOINTS_VAR];
      await (await scorer(`vllm-prm:${server.url}#m`)).score([query(STEPS[0]!)]);
      expect(server.lastAuthorization).toBeUndefined();
      bindKeyToEndpoint(`${server.url}?sep=x#m`);
      await (await scorer(`vllm-prm:${server.url}#m`)).score([query(STEPS[0]!)]);
      expect(server.lastAuthorization).toBe('Bearer sk-test');
    } finally {
      for (const [name, value] of [['METACOT_API_KEY', saved.key], [KEY_ENDPOINTS_VAR, saved.bound]] as const) {
        if (value === undefined) delete process.env[name];
        else process.env[name] = value;
      }
    }
  });

  it('bad names are refused before any request', async () => {
    await expect(scorer('vllm-prm')).rejects.toThrow(/give the server after the colon, e\.g\. vllm-prm:http/);
    await expect(scorer(`vllm-prm:${server.url}?agg=mean`)).rejects.toThrow(/option agg: .*\(options: timeout_ms, retries, concurrency, sep, agg, chat, system\)/);
    await expect(scorer(`vllm-prm:${server.url}?sep=`)).rejects.toThrow(/the separator must not be empty/);
  });
});

describe('judge', () => {
  it("asks with ProcessBench's critique prompt and scores 0 from the step it names", async () => {
    const s = await scorer(`judge:${server.url}/v1#critic`);
    expect(await s.score([query(STEPS[0]!)])).toEqual([1]);
    const body = server.lastBody as { model: string; messages: { role: string; content: string }[]; temperature: number };
    expect(body.model).toBe('critic');
    expect(body.temperature).toBe(0);
    expect(body.messages[0]!.content).toContain('[Math Problem]\n\nWhat is 2 + 3 * 4?\n\n[Solution]\n\n<paragraph_0>\nMultiplication first: 3 * 4 = 12.\n</paragraph_0>');
    expect(body.messages[0]!.content).toMatch(/return the index of -1 \(which typically denotes "not found"\)\.\n\nPlease put your final answer \(i\.e\., the index\) in \\boxed\{\}\.$/);
    const calls = server.hits.chat;
    expect(await s.score([query(...STEPS.slice(0, 2))])).toEqual([0]);
    // The path that extends one found wrong is wrong without asking again.
    expect(await s.score([query(...STEPS)])).toEqual([0]);
    expect(server.hits.chat - calls).toBe(1);
  });

  it('votes=N samples N critiques at once and takes the step most of them name', async () => {
    const s = (await scorer(`judge:${server.url}?votes=5#critic`)) as Scorer & { scorePathSteps(q: PathQuery): Promise<number[]> };
    server.critiquesNext = ['\\boxed{2}', '\\boxed{1}', 'no verdict', '\\boxed{2}', '\\boxed{1}'];
    // Two votes each for steps 1 and 2 (one critique names none): the earlier step wins the tie.
    expect(await s.scorePathSteps(query(...STEPS))).toEqual([1, 0, 0]);
    expect(server.lastBody).toMatchObject({ n: 5, temperature: 0.7 });
    server.critiquesNext = ['\\boxed{-1}', '\\boxed{-1}', '\\boxed{0}'];
    expect(await s.scorePathSteps(query('a', 'b', 'c'))).toEqual([1, 1, 1]);
  });

  it('an answer that names no step is a clear error', async () => {
    const s = await scorer(`judge:${server.url}#critic`);
    server.badNext = 1;
    await expect(s.score([query(STEPS[0]!)])).rejects.toThrow(/did not name a step: expected \\boxed\{-1\} to \\boxed\{0\}, got no \\boxed\{\} in "I cannot decide\."/);
  });
});

describe('eval-prm with served scorers on a ProcessBench file', () => {
  it('scores every step through the server, one request per solution, and reports the figures', async () => {
    const store = Store.open(path.join(dir, 'pb.db'));
    const records = [
      { id: 'a', problem: 'P1?', steps: ['fine', 'this is wrong', 'after'], final_answer_correct: false, label: 1 },
      { id: 'b', problem: 'P2?', steps: ['fine', 'fine too'], final_answer_correct: true, label: -1 },
      { id: 'c', problem: 'P3?', steps: ['fine', 'fine', 'a subtle slip'], final_answer_correct: false, label: 2 },
    ];
    const file = path.join(dir, 'pb.json');
    fs.writeFileSync(file, JSON.stringify(records));
    expect((await importFile(store, ImportRequest.parse({ format: 'processbench', path: file }))).committed).toBe(true);
    for (const [name, hits] of [
      [`vllm-prm:${server.url}#m`, () => server.hits.pooling],
      [`judge:${server.url}#m`, () => server.hits.chat],
    ] as const) {
      const before = hits();
      const r = await evaluatePrm(store, { scorer: name });
      // One request per solution, not one per step (8 steps in all).
      expect(hits() - before).toBe(3);
      expect(r.reference).toBe('gold');
      // a: error at 1 found; b: correct, nothing flagged; c: the slip at 2 is missed by the rule.
      expect(r.processBench).toEqual({ erroneous: 2, correct: 1, errorAccuracy: 0.5, correctAccuracy: 1, f1: 0.666667 });
    }
    store.close();
  });
});
