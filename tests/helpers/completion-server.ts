/**
 * A small OpenAI-compatible completions server on 127.0.0.1 (ephemeral port) for tests and
 * benchmarks: GET /v1/models and POST /v1/completions with `prompt` as a string or a list, n,
 * stop, max_tokens, temperature, top_p, top_k, seed and token logprobs. What it samples comes from
 * an answerer: one of our tiny ONNX models (startModelServer) or the countdown enumerator
 * (startCountdownServer, no model: it answers legal steps at once, for throughput figures). It can
 * delay, fail or stall on purpose, and counts requests in flight.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Problem } from '../../common/domain';
import type { CausalLM } from '../../main/engine/models/causal-lm';
import { StepGenerator } from '../../main/engine/models/generate';
import { TreeKvCache } from '../../main/engine/models/kv-cache';
import { EnumeratorPolicy } from '../../main/engine/search/stand-ins/enumerator';
import { countdownTask } from '../../main/engine/tasks/countdown';

export interface ServerControls {
  url: string;
  /** Requests answered so far (all paths). */
  hits: number;
  /** The next this-many requests get HTTP 503. */
  failNext: number;
  /** The next this-many completion requests are never answered (the client must time out). */
  stallNext: number;
  /** Milliseconds to wait before answering, plus up to jitterMs more at random (answers then come back out of order). */
  delayMs: number;
  jitterMs: number;
  lastBody: Record<string, unknown> | null;
  /** Completion requests being answered now, and the most at once. */
  inFlight: number;
  peakInFlight: number;
  close(): Promise<void>;
}

/** One sampled continuation as the server reports it. */
export interface ServedStep {
  text: string;
  /** Token pieces and their log-probabilities. */
  tokens: string[];
  tokenLogprobs: number[];
  stop: 'delimiter' | 'eos' | 'length';
}

export interface CompletionParams {
  n: number;
  stop: string | null;
  maxTokens: number;
  seed: number;
  temperature: number;
  topP: number;
  topK: number;
}

/** n continuations of one prompt. */
export type Answerer = (prompt: string, params: CompletionParams) => Promise<ServedStep[]>;

export async function startCompletionServer(answer: Answerer, modelName: string): Promise<ServerControls> {
  const send = (res: http.ServerResponse, status: number, body: unknown) => {
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body));
  };
  const stalled = new Set<http.ServerResponse>();
  const controls: ServerControls = {
    url: '',
    hits: 0,
    failNext: 0,
    stallNext: 0,
    delayMs: 0,
    jitterMs: 0,
    lastBody: null,
    inFlight: 0,
    peakInFlight: 0,
    close: () =>
      new Promise<void>((resolve) => {
        for (const res of stalled) res.destroy();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
  const complete = async (body: Record<string, unknown>, res: http.ServerResponse) => {
    if (body.model !== modelName) return send(res, 404, { error: { message: `model "${String(body.model)}" does not exist` } });
    const prompts = Array.isArray(body.prompt) ? body.prompt.map(String) : [String(body.prompt)];
    const params: CompletionParams = {
      n: Number(body.n ?? 1),
      stop: Array.isArray(body.stop) ? (body.stop[0] as string) : null,
      maxTokens: Number(body.max_tokens ?? 16),
      seed: Number(body.seed ?? 0),
      temperature: Number(body.temperature ?? 1),
      topP: Number(body.top_p ?? 1),
      topK: Number(body.top_k ?? 0),
    };
    const answers: ServedStep[][] = [];
    for (const prompt of prompts) answers.push(await answer(prompt, params));
    send(res, 200, {
      id: 'cmpl-test',
      object: 'text_completion',
      model: modelName,
      // OpenAI numbers the choices of prompt p as p x n + j.
      choices: answers.flatMap((steps, p) =>
        steps.map((s, j) => ({
          index: p * params.n + j,
          text: s.text,
          finish_reason: s.stop === 'length' ? 'length' : 'stop',
          stop_reason: s.stop === 'delimiter' ? params.stop : null,
          logprobs: body.logprobs ? { tokens: s.tokens, token_logprobs: s.tokenLogprobs } : null,
        })),
      ),
    });
  };
  const server = http.createServer((req, res) => {
    let raw = '';
    req.on('data', (c) => (raw += c));
    req.on('end', async () => {
      controls.hits += 1;
      const completion = req.method === 'POST' && req.url === '/v1/completions';
      if (completion && controls.stallNext > 0) {
        controls.stallNext -= 1;
        stalled.add(res);
        res.on('close', () => stalled.delete(res));
        return;
      }
      if (completion) controls.peakInFlight = Math.max(controls.peakInFlight, ++controls.inFlight);
      try {
        const delay = controls.delayMs + Math.random() * controls.jitterMs;
        if (delay > 0) await new Promise((r) => setTimeout(r, delay));
        if (controls.failNext > 0) {
          controls.failNext -= 1;
          return send(res, 503, { error: { message: 'overloaded' } });
        }
        if (req.method === 'GET' && req.url === '/v1/models') return send(res, 200, { object: 'list', data: [{ id: modelName, object: 'model' }] });
        if (!completion) return send(res, 404, { error: { message: `no route ${req.method} ${req.url}` } });
        const body = JSON.parse(raw) as Record<string, unknown>;
        controls.lastBody = body;
        await complete(body, res);
      } catch (error) {
        send(res, 400, { error: { message: (error as Error).message } });
      } finally {
        if (completion) controls.inFlight -= 1;
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  controls.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return controls;
}

/** Serves one of our ONNX causal LMs: what a client gets equals what StepGenerator samples locally. */
export function startModelServer(lm: CausalLM, modelName = 'tiny-hf'): Promise<ServerControls> {
  const gen = new StepGenerator(lm, new TreeKvCache(2 ** 24));
  return startCompletionServer(async (prompt, p) => {
    const steps = await gen.sampleSteps(lm.tokenizer.encode(prompt, true), p.n, {
      delimiter: p.stop,
      maxTokens: p.maxTokens,
      seed: p.seed,
      temperature: p.temperature,
      topP: p.topP,
      topK: p.topK,
    });
    return steps.map((s) => ({
      text: s.text,
      tokens: s.tokenIds.map((t) => lm.tokenizer.decode([t], false)),
      tokenLogprobs: s.tokenLogprobs,
      stop: s.stop === 'length' ? 'length' : s.stop === 'delimiter' ? 'delimiter' : 'eos',
    }));
  }, modelName);
}

/**
 * A countdown "model" without a model: reads the puzzle and the steps so far from the prompt and
 * answers n of the legal next steps, drawn by the enumerator policy from the request's seed (each
 * step one token). Answers depend only on the prompt, n and seed.
 */
export function startCountdownServer(modelName = 'countdown-standin'): Promise<ServerControls> {
  const enumerator = new EnumeratorPolicy(7);
  return startCompletionServer(async (prompt, p) => {
    const [first, ...steps] = prompt.split('\n').filter((line) => line !== '');
    const problem = { id: 0, task: 'countdown', prompt: first!, goldAnswer: null, metadata: {}, createdAt: '' } as unknown as Problem;
    let state = countdownTask.initialState(problem);
    for (const step of steps) {
      const next = countdownTask.applyStep(state, step);
      if (!next.valid) return [];
      state = next.state;
    }
    const proposals = enumerator.proposeOne({ task: countdownTask, problem, steps, logprobs: steps.map(() => null), state, seed: p.seed, k: p.n });
    return proposals.map((s) => ({ text: s.text, tokens: [s.text], tokenLogprobs: [s.logprob], stop: 'delimiter' }));
  }, modelName);
}
