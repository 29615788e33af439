import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { ModelError } from '../../../main/engine/models/errors';
import { StepGenerator } from '../../../main/engine/models/generate';
import { OpenAiCompletions } from '../../../main/engine/models/openai';
import { useCompletionServer } from './completion-server';
import { fixture } from './fixtures';

describe('OpenAI-compatible completions client', () => {
  const served = useCompletionServer(fixture('hf-tiny'));

  it('asks for k children in one request and returns what the served model samples locally', async () => {
    const client = new OpenAiCompletions({ baseUrl: `${served.server.url}/v1/`, model: 'tiny-hf' });
    const prompt = '24:[4 9 3 2]\n';
    const options = { delimiter: '\n', maxTokens: 8, seed: 5, temperature: 0.9, topK: 50 };
    const before = served.server.hits;
    const remote = await client.sampleSteps(prompt, 4, options);
    expect(served.server.hits - before).toBe(1);
    expect(served.server.lastBody).toMatchObject({ model: 'tiny-hf', n: 4, stop: ['\n'], max_tokens: 8, logprobs: 1, top_k: 50 });
    const local = await new StepGenerator(served.lm, null).sampleSteps(served.lm.tokenizer.encode(prompt, true), 4, options);
    expect(remote.map((s) => s.text)).toEqual(local.map((s) => s.text));
    remote.forEach((s, i) => {
      expect(s.logprob).toBeCloseTo(local[i]!.logprob, 5);
      expect(s.tokenCount).toBe(local[i]!.tokenIds.length);
      expect(s.stop).toBe(local[i]!.stop === 'delimiter' ? 'delimiter' : local[i]!.stop);
    });
  });

  it('finds the model name from /v1/models when none is given', async () => {
    const client = new OpenAiCompletions({ baseUrl: served.server.url });
    expect(await client.modelName()).toBe('tiny-hf');
    expect(client.root).toBe(`${served.server.url}/v1`);
  });

  it('retries overloaded answers with backoff, then succeeds', async () => {
    const client = new OpenAiCompletions({ baseUrl: served.server.url, model: 'tiny-hf', retries: 3, backoffMs: 5 });
    served.server.failNext = 2;
    const before = served.server.hits;
    const steps = await client.sampleSteps('10:[5 5]\n', 2, { delimiter: '\n', maxTokens: 4, seed: 1 });
    expect(steps).toHaveLength(2);
    expect(served.server.hits - before).toBe(3);
  });

  it('gives up with a clear error after its retries', async () => {
    const client = new OpenAiCompletions({ baseUrl: served.server.url, model: 'tiny-hf', retries: 1, backoffMs: 5 });
    served.server.failNext = 5;
    await expect(client.sampleSteps('x', 1, { delimiter: null, maxTokens: 2, seed: 1 })).rejects.toThrow(
      new RegExp(`cannot reach the completion endpoint ${served.server.url}/v1/completions: HTTP 503 .*overloaded.* \\(2 attempts\\)`),
    );
    served.server.failNext = 0;
  });

  it('times out a stalled server', async () => {
    const client = new OpenAiCompletions({ baseUrl: served.server.url, model: 'tiny-hf', retries: 0, timeoutMs: 50 });
    served.server.delayMs = 300;
    await expect(client.sampleSteps('x', 1, { delimiter: null, maxTokens: 2, seed: 1 })).rejects.toThrow(/no answer within 50 ms \(1 attempts\)/);
    served.server.delayMs = 0;
  });

  it('reports client errors at once, without retrying', async () => {
    const client = new OpenAiCompletions({ baseUrl: served.server.url, model: 'no-such-model', retries: 3, backoffMs: 5 });
    const before = served.server.hits;
    await expect(client.sampleSteps('x', 1, { delimiter: null, maxTokens: 2, seed: 1 })).rejects.toThrow(/answered HTTP 404: .*no-such-model.*does not exist/);
    expect(served.server.hits - before).toBe(1);
  });

  it('says clearly when the endpoint is unreachable', async () => {
    // A port that was just free: nothing listens there.
    const probe = http.createServer();
    await new Promise<void>((r) => probe.listen(0, '127.0.0.1', r));
    const port = (probe.address() as AddressInfo).port;
    await new Promise<void>((r) => probe.close(() => r()));
    const client = new OpenAiCompletions({ baseUrl: `http://127.0.0.1:${port}`, model: 'm', retries: 2, backoffMs: 1 });
    const error = await client.sampleSteps('x', 1, { delimiter: null, maxTokens: 2, seed: 1 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ModelError);
    expect((error as Error).message).toBe(`cannot reach the completion endpoint http://127.0.0.1:${port}/v1/completions: ECONNREFUSED (3 attempts)`);
  });

  it('refuses a base URL that is not http(s)', () => {
    expect(() => new OpenAiCompletions({ baseUrl: 'ftp://x' })).toThrow(/not an http\(s\) URL/);
    expect(() => new OpenAiCompletions({ baseUrl: 'nope' })).toThrow(/is not a URL/);
  });
});
