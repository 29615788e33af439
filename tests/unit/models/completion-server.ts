/**
 * A small OpenAI-compatible completions server for the tests (127.0.0.1, ephemeral port), backed
 * by one of our real tiny ONNX models: GET /v1/models and POST /v1/completions with n, stop,
 * max_tokens, temperature, top_p, top_k, seed and token logprobs. It can fail or stall on purpose.
 */
import http from 'node:http';
import { afterAll, beforeAll } from 'vitest';
import type { AddressInfo } from 'node:net';
import type { CausalLM } from '../../../main/engine/models/causal-lm';
import { StepGenerator } from '../../../main/engine/models/generate';
import { TreeKvCache } from '../../../main/engine/models/kv-cache';

export interface ServerControls {
  url: string;
  /** Requests answered so far (all paths). */
  hits: number;
  /** The next this-many requests get HTTP 503. */
  failNext: number;
  /** Milliseconds to wait before answering. */
  delayMs: number;
  lastBody: Record<string, unknown> | null;
  close(): Promise<void>;
}

export async function startCompletionServer(lm: CausalLM, modelName = 'tiny-hf'): Promise<ServerControls> {
  const gen = new StepGenerator(lm, new TreeKvCache(2 ** 24));
  const send = (res: http.ServerResponse, status: number, body: unknown) => {
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body));
  };
  const controls: ServerControls = {
    url: '',
    hits: 0,
    failNext: 0,
    delayMs: 0,
    lastBody: null,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
  const server = http.createServer((req, res) => {
    let raw = '';
    req.on('data', (c) => (raw += c));
    req.on('end', async () => {
      controls.hits += 1;
      if (controls.delayMs) await new Promise((r) => setTimeout(r, controls.delayMs));
      if (controls.failNext > 0) {
        controls.failNext -= 1;
        return send(res, 503, { error: { message: 'overloaded' } });
      }
      if (req.method === 'GET' && req.url === '/v1/models') return send(res, 200, { object: 'list', data: [{ id: modelName, object: 'model' }] });
      if (req.method !== 'POST' || req.url !== '/v1/completions') return send(res, 404, { error: { message: `no route ${req.method} ${req.url}` } });
      try {
        const body = JSON.parse(raw) as Record<string, unknown>;
        controls.lastBody = body;
        if (body.model !== modelName) return send(res, 404, { error: { message: `model "${String(body.model)}" does not exist` } });
        const stop = Array.isArray(body.stop) ? (body.stop[0] as string) : null;
        const steps = await gen.sampleSteps(lm.tokenizer.encode(String(body.prompt), true), Number(body.n ?? 1), {
          delimiter: stop,
          maxTokens: Number(body.max_tokens ?? 16),
          seed: Number(body.seed ?? 0),
          temperature: Number(body.temperature ?? 1),
          topP: Number(body.top_p ?? 1),
          topK: Number(body.top_k ?? 0),
        });
        send(res, 200, {
          id: 'cmpl-test',
          object: 'text_completion',
          model: modelName,
          choices: steps.map((s, index) => ({
            index,
            text: s.text,
            finish_reason: s.stop === 'length' ? 'length' : 'stop',
            stop_reason: s.stop === 'delimiter' ? stop : null,
            logprobs: body.logprobs ? { tokens: s.tokenIds.map((t) => lm.tokenizer.decode([t], false)), token_logprobs: s.tokenLogprobs } : null,
          })),
        });
      } catch (error) {
        send(res, 400, { error: { message: (error as Error).message } });
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  controls.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return controls;
}

/**
 * For a describe block: loads the tiny fixture model and serves it before the block's tests, and
 * stops both after. Read `.server` inside tests (it is set once beforeAll ran).
 */
export function useCompletionServer(fixtureDir: string): { server: ServerControls; lm: CausalLM } {
  const handle = {} as { server: ServerControls; lm: CausalLM };
  beforeAll(async () => {
    const { CausalLM: Lm } = await import('../../../main/engine/models/causal-lm');
    handle.lm = await Lm.load(fixtureDir);
    handle.server = await startCompletionServer(handle.lm);
  });
  afterAll(async () => {
    await handle.server?.close();
    await handle.lm?.release();
  });
  return handle;
}
