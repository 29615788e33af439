import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Problem } from '../../../common/domain';
import { OnnxPolicy } from '../../../main/engine/models/onnx-policy';
import { providerNameFor, splitOptions } from '../../../main/engine/models/register';
import { resolveModel } from '../../../main/engine/models/resolve';
import { createProviders, ProviderError } from '../../../main/engine/providers';
import type { Policy } from '../../../main/engine/providers/types';
import { countdownProblem } from '../../../main/engine/tasks/countdown';
import { getTask } from '../../../main/engine/tasks/registry';
import { useCompletionServer } from './completion-server';
import { proposeRequest } from '../search/helpers';
import { fixture, scratchCopy } from './fixtures';

const task = getTask('countdown');
const providers = createProviders();
const problem: Problem = { id: 1, createdAt: '2025-01-01', ...countdownProblem([4, 9, 3, 2], 24), goldAnswer: '24', metadata: { numbers: [4, 9, 3, 2], target: 24 } };
const request = (steps: string[], k: number, seed: number) => proposeRequest(task, problem, steps, k, seed);

describe('ONNX policy through the provider registry', () => {
  let policy: Policy;
  beforeAll(async () => {
    policy = await providers.createPolicy(`onnx:${fixture('hf-tiny')}?max_tokens=24&constrained=on&temperature=1`, { task, seed: 1 });
  });
  afterAll(() => policy.close?.());

  it('proposes k legal steps per request, most likely first, batching requests on the same path', async () => {
    const lm = (policy as OnnxPolicy).lm;
    const runsBefore = lm.stats.runs;
    const out = await policy.propose([request([], 3, 10), request([], 3, 11), request([], 2, 12)]);
    expect(out.map((p) => p.length)).toEqual([3, 3, 2]);
    for (const proposals of out) {
      for (const p of proposals) expect(task.applyStep(task.initialState(problem), p.text).valid).toBe(true);
      expect(proposals.map((p) => p.logprob)).toEqual([...proposals.map((p) => p.logprob)].sort((a, b) => b - a));
    }
    // One group: one prefill and at most max_tokens incremental passes, for all 8 children.
    expect(lm.stats.runs - runsBefore).toBeLessThanOrEqual(25);
    // A request's proposals do not depend on what it was batched with.
    const alone = await policy.propose([request([], 3, 11)]);
    expect(alone[0]).toEqual(out[1]);
  });

  it('continues a child from the cached parent instead of re-encoding its path', async () => {
    const onnx = policy as OnnxPolicy;
    const [children] = await policy.propose([request([], 2, 20)]);
    const fedBefore = onnx.lm.stats.tokensFed;
    const hitsBefore = onnx.generator.cache!.stats.hits;
    const [grandchildren] = await policy.propose([request([children![0]!.text], 2, 21)]);
    expect(grandchildren!.length).toBe(2);
    expect(onnx.generator.cache!.stats.hits).toBe(hitsBefore + 1);
    const prompt = onnx.lm.tokenizer.encode(task.prompt(problem)).length;
    // Fed: the child's last token plus the two grandchildren's tokens, never the prompt again.
    expect(onnx.lm.stats.tokensFed - fedBefore).toBeLessThan(1 + 2 * 24);
    expect(onnx.lm.stats.tokensFed - fedBefore).toBeLessThan(prompt + 2 * (grandchildren![0]!.tokenCount ?? 0) + 1);
  });

  it('wraps the prompt in the chat template when asked', async () => {
    const chat = (await providers.createPolicy(`onnx:${fixture('hf-tiny')}?max_tokens=4&chat=on`, { task, seed: 1 })) as OnnxPolicy;
    await chat.propose([request([], 2, 1)]);
    const tok = chat.lm.tokenizer;
    const rendered = tok.encode(tok.applyChatTemplate([{ role: 'user', content: task.prompt(problem) }]));
    expect(rendered[0]).toBe(tok.bosTokenId);
    expect(chat.generator.cache!.has(rendered)).toBe(true); // the prompt it encoded
    await chat.close();
    const plain = scratchCopy('hf-nocache-tiny');
    const configFile = path.join(plain, 'tokenizer_config.json');
    const { chat_template: _, ...config } = JSON.parse(fs.readFileSync(configFile, 'utf8'));
    fs.writeFileSync(configFile, JSON.stringify(config));
    await expect(providers.createPolicy(`onnx:${plain}?chat=on`, { task, seed: 1 })).rejects.toThrow(/chat=on, but .*tokenizer_config\.json has no chat_template/);
  });

  it("takes defaults from the folder's metacot.json, which the name's options override", async () => {
    const dir = scratchCopy('hf-tiny');
    fs.writeFileSync(path.join(dir, 'metacot.json'), JSON.stringify({ constrained: true, max_tokens: 20, temperature: 0.7, trained: 'notes are ignored' }));
    const withDefaults = (await providers.createPolicy(`onnx:${dir}`, { task, seed: 1 })) as OnnxPolicy;
    expect(withDefaults.options).toMatchObject({ constrained: true, maxTokens: 20, temperature: 0.7 });
    const overridden = (await providers.createPolicy(`onnx:${dir}?constrained=off`, { task, seed: 1 })) as OnnxPolicy;
    expect(overridden.options.constrained).toBe(false);
    fs.writeFileSync(path.join(dir, 'metacot.json'), JSON.stringify({ temperature: 'hot' }));
    await expect(providers.createPolicy(`onnx:${dir}`, { task, seed: 1 })).rejects.toThrow(/metacot\.json is not studio defaults for this model .*temperature/);
    await Promise.all([withDefaults.close(), overridden.close()]);
  });

  it('without constraints, a random model proposes steps that are not legal', async () => {
    const free = await providers.createPolicy(`onnx:${fixture('hf-tiny')}?max_tokens=24&constrained=off`, { task, seed: 1 });
    const [proposals] = await free.propose([request([], 6, 3)]);
    expect(proposals!.some((p) => !task.applyStep(task.initialState(problem), p.text).valid)).toBe(true);
    await free.close?.();
  });
});

describe('HTTP policy through the provider registry', () => {
  const served = useCompletionServer(fixture('hf-tiny'));

  it('sends each request as one completion of n children, with the options from the name', async () => {
    const policy = await providers.createPolicy(`${served.server.url}/v1?max_tokens=6&temperature=0.5&concurrency=1#tiny-hf`, { task, seed: 1 });
    const before = served.server.hits;
    const out = await policy.propose([request([], 3, 1), request(['9-3=6'], 2, 2)]);
    expect(served.server.hits - before).toBe(2);
    expect(out.map((p) => p.length)).toEqual([3, 2]);
    expect(served.server.lastBody).toMatchObject({ max_tokens: 6, temperature: 0.5, stop: ['\n'] });
    expect(String(served.server.lastBody!.prompt)).toBe(`${task.prompt(problem)}9-3=6\n`);
  });
});

describe('ONNX scorers through the provider registry', () => {
  it('scores paths with a PRM (aggregated as asked) and a value model, in [0, 1]', async () => {
    const policy = await providers.createPolicy('enumerator', { task, seed: 1 });
    const paths = [request([], 1, 1), request(['9-3=6'], 1, 1), request(['9-3=6', '4*6=24'], 1, 1)];
    const last = await providers.createScorer(`onnx:${fixture('prm-tiny')}`, { task, seed: 1, policy });
    const min = await providers.createScorer(`onnx:${fixture('prm-tiny')}?agg=min`, { task, seed: 1, policy });
    const value = await providers.createScorer(`onnx:${fixture('value-tiny')}`, { task, seed: 1, policy });
    const a = await last.score(paths);
    const b = await min.score(paths);
    const v = await value.score(paths);
    expect(a[0]).toBe(0.5); // no step yet
    expect(b[2]).toBeCloseTo(Math.min(a[1]!, a[2]!), 6); // causal PRM: step 1's score is the same in both paths
    for (const x of [...a, ...b, ...v]) expect(x).toBeGreaterThan(0), expect(x).toBeLessThan(1);
    await Promise.all([last.close?.(), min.close?.(), value.close?.()]);
  });
});

describe('provider names and model specs', () => {
  it('errors name the problem', async () => {
    await expect(providers.createPolicy('onnx:/no/such/model', { task, seed: 1 })).rejects.toThrow(ProviderError);
    await expect(providers.createPolicy('onnx:/no/such/model', { task, seed: 1 })).rejects.toThrow(/no model "\/no\/such\/model": not a folder/);
    await expect(providers.createPolicy(`onnx:${fixture('hf-tiny')}?temprature=1`, { task, seed: 1 })).rejects.toThrow(/option : Unrecognized key: "temprature" \(options: temperature, /);
    await expect(providers.createPolicy(`onnx:${fixture('hf-tiny')}?top_p=2`, { task, seed: 1 })).rejects.toThrow(/option top_p:/);
    await expect(providers.createPolicy(`onnx:${fixture('hf-tiny')}?constrained=on`, { task: getTask('math'), seed: 1 })).rejects.toThrow(/constrained decoding needs a task that lists its legal steps; math does not/);
    const policy = await providers.createPolicy('enumerator', { task, seed: 1 });
    await expect(providers.createScorer(`onnx:${fixture('hf-tiny')}`, { task, seed: 1, policy })).rejects.toThrow(/looks like a causal LM decoder/);
  });

  it('maps what a user types to a registry name', () => {
    expect(providerNameFor('enumerator', providers)).toBe('enumerator');
    expect(providerNameFor('http://127.0.0.1:8000/v1#m', providers)).toBe('http://127.0.0.1:8000/v1#m');
    const rel = path.relative(process.cwd(), fixture('hf-tiny'));
    expect(providerNameFor(`./${rel}?temperature=0.5`, providers)).toBe(`onnx:${fixture('hf-tiny')}?temperature=0.5`);
    expect(splitOptions('http://h:1/v1?temperature=0.2&api=x#m')).toEqual({ spec: 'http://h:1/v1?api=x#m', options: { temperature: 0.2 } });
  });

  it('resolves bundled names, folders and URLs', () => {
    const bundledDir = fs.mkdtempSync(path.join(os.tmpdir(), 'metacot-bundled-'));
    fs.mkdirSync(path.join(bundledDir, 'countdown-word'));
    expect(resolveModel('countdown-word', { bundledDir })).toEqual({ kind: 'folder', dir: path.join(bundledDir, 'countdown-word'), bundled: 'countdown-word' });
    expect(resolveModel(fixture('genai-tiny'), { bundledDir })).toEqual({ kind: 'folder', dir: fixture('genai-tiny'), bundled: null });
    expect(resolveModel('https://api.example.com/v1#Qwen%2FQwen2.5-7B')).toEqual({ kind: 'http', baseUrl: 'https://api.example.com/v1', model: 'Qwen/Qwen2.5-7B' });
    expect(() => resolveModel('tiny', { bundledDir })).toThrow(/no model "tiny": not a folder .*bundled: countdown-word/);
    expect(() => resolveModel('ftp://x')).toThrow(/only http:\/\/ and https:\/\//);
  });
});
