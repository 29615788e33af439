import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CausalLM } from '../../../main/engine/models/causal-lm';
import { legalStepsConstraint } from '../../../main/engine/models/constraint';
import { StepGenerator, type StepOptions } from '../../../main/engine/models/generate';
import { TreeKvCache } from '../../../main/engine/models/kv-cache';
import { logSumExp, Rng, sampleToken } from '../../../main/engine/models/sampling';
import { fixture } from './fixtures';

const base: StepOptions = { delimiter: '\n', maxTokens: 8, seed: 11 };

describe('step sampling', () => {
  let lm: CausalLM;
  let gen: StepGenerator;
  let prompt: number[];
  beforeAll(async () => {
    lm = await CausalLM.load(fixture('hf-tiny'));
    gen = new StepGenerator(lm, new TreeKvCache(2 ** 24));
    prompt = lm.tokenizer.encode('24:[4 9 3 2]\n');
  });
  afterAll(() => lm.release());

  it('is deterministic for a seed and varies across seeds', async () => {
    const a = await gen.sampleSteps(prompt, 4, base);
    const b = await new StepGenerator(lm, null).sampleSteps(prompt, 4, base);
    expect(b.map((s) => s.tokenIds)).toEqual(a.map((s) => s.tokenIds));
    const c = await gen.sampleSteps(prompt, 4, { ...base, seed: 12 });
    expect(c.map((s) => s.text)).not.toEqual(a.map((s) => s.text));
    // Siblings of one call are independent draws, not copies.
    expect(new Set(a.map((s) => s.text)).size).toBeGreaterThan(1);
  });

  it('reports the summed log-probability the model gives each batched child', async () => {
    const steps = await gen.sampleSteps(prompt, 5, { ...base, maxTokens: 10, temperature: 0.8, topK: 40 });
    for (const step of steps) {
      const path = prompt.concat(step.tokenIds);
      const full = await lm.fullLogits(path);
      let expected = 0;
      step.tokenIds.forEach((t, i) => {
        const row = full[prompt.length - 1 + i]!;
        expected += row[t]! - logSumExp(row);
      });
      expect(step.logprob).toBeCloseTo(expected, 4);
      expect(step.tokenLogprobs.reduce((x, y) => x + y, 0)).toBeCloseTo(step.logprob, 6);
    }
  });

  it('gives the same steps when each row encodes the path itself (the generate() baseline)', async () => {
    const shared = await new StepGenerator(lm, null).sampleSteps(prompt, 3, { ...base, seed: 8 });
    const separate = await new StepGenerator(lm, null, false).sampleSteps(prompt, 3, { ...base, seed: 8 });
    expect(separate.map((s) => s.tokenIds)).toEqual(shared.map((s) => s.tokenIds));
    separate.forEach((s, i) => expect(s.logprob).toBeCloseTo(shared[i]!.logprob, 4));
  });

  it('stops at the delimiter (cut from the text, kept in the ids), at EOS and at the token limit', async () => {
    // Greedy text of 12 tokens, then a delimiter chosen from inside it.
    const [free] = await gen.sampleSteps(prompt, 1, { delimiter: null, maxTokens: 12, seed: 1, temperature: 0 });
    expect(free!.stop).toBe('length');
    expect(free!.tokenIds).toHaveLength(12);
    const pieces = free!.tokenIds.map((t) => lm.tokenizer.decode([t]));
    const delimiter = pieces[4]!;
    const cut = pieces.indexOf(delimiter);
    const [stopped] = await gen.sampleSteps(prompt, 1, { delimiter, maxTokens: 12, seed: 1, temperature: 0 });
    expect(stopped).toMatchObject({ stop: 'delimiter', text: pieces.slice(0, cut).join(''), tokenIds: free!.tokenIds.slice(0, cut + 1) });

    // EOS: a constraint that allows only EOS after the first token.
    const eosOnly = () => (piece: string, isEos: boolean) => isEos;
    const [ended] = await gen.sampleSteps(prompt, 1, { ...base, constraint: eosOnly });
    expect(ended).toMatchObject({ stop: 'eos', text: '', tokenIds: [2] });

    const limited = await gen.sampleSteps(prompt, 3, { delimiter: null, maxTokens: 3, seed: 5 });
    expect(limited.map((s) => [s.stop, s.tokenIds.length])).toEqual([
      ['length', 3],
      ['length', 3],
      ['length', 3],
    ]);
  });

  it('decodes k children in one batch: forward passes grow with step length, not with k', async () => {
    const runs = async (k: number) => {
      const before = lm.stats.runs;
      await new StepGenerator(lm, null).sampleSteps(prompt, k, { delimiter: null, maxTokens: 6, seed: 3 });
      return lm.stats.runs - before;
    };
    expect(await runs(1)).toBe(6); // 1 prefill + 5 incremental
    expect(await runs(8)).toBe(6);
  });

  it('constrained decoding keeps every step legal, and can be switched off', async () => {
    const legal = ['4+9=13 [13 3 2]', '9-4=5 [5 3 2]', '3*2=6 [4 9 6]', '9/3=3 [4 3 2]'];
    const constraint = legalStepsConstraint(legal, '\n');
    const on = await gen.sampleSteps(prompt, 8, { ...base, maxTokens: 20, constraint });
    for (const s of on) {
      expect(legal).toContain(s.text);
      expect(['delimiter', 'eos']).toContain(s.stop); // EOS is legal after a whole step
    }
    const off = await gen.sampleSteps(prompt, 8, { ...base, maxTokens: 20, constraint: null });
    expect(off.some((s) => !legal.includes(s.text))).toBe(true);
  });

  it('ends a step when the constraint allows no token', async () => {
    const none = () => () => false;
    const [s] = await gen.sampleSteps(prompt, 1, { ...base, constraint: none });
    expect(s).toMatchObject({ stop: 'constraint', text: '', tokenIds: [] });
  });
});

describe.each(['hf-nocache-tiny', 'genai-tiny', 'genai-combined-tiny'])('step sampling on %s', (name) => {
  it('samples k children with the same results with and without the tree cache', async () => {
    const lm = await CausalLM.load(fixture(name));
    const prompt = lm.tokenizer.encode('24:[4 9 3 2]\n');
    const cached = new StepGenerator(lm, new TreeKvCache(2 ** 24));
    const plain = new StepGenerator(lm, null);
    const a = await cached.sampleSteps(prompt, 3, { ...base, temperature: 0.7 });
    const b = await plain.sampleSteps(prompt, 3, { ...base, temperature: 0.7 });
    expect(a.map((s) => s.tokenIds)).toEqual(b.map((s) => s.tokenIds));
    const child = prompt.concat(a[0]!.tokenIds);
    const a2 = await cached.sampleSteps(child, 2, { ...base, seed: 4, temperature: 0 });
    const b2 = await plain.sampleSteps(child, 2, { ...base, seed: 4, temperature: 0 });
    expect(a2.map((s) => s.tokenIds)).toEqual(b2.map((s) => s.tokenIds));
    await lm.release();
  });
});

describe('sampleToken', () => {
  const logits = Float32Array.from([2, 1, 0.5, -1, 3]);
  it('greedy, top-k and top-p keep only what they should', () => {
    const rng = new Rng(1);
    expect(sampleToken(logits, { temperature: 0 }, rng)!.id).toBe(4);
    const seen = (options: object) => new Set(Array.from({ length: 300 }, () => sampleToken(logits, options, rng)!.id));
    expect(seen({ topK: 2 })).toEqual(new Set([4, 0]));
    expect(seen({ topP: 0.5 })).toEqual(new Set([4])); // p(4) ≈ 0.61 already covers half
    expect(seen({ topK: 0, topP: 1 }).size).toBe(5);
    const allowed = Uint8Array.from([0, 1, 1, 0, 0]);
    expect(seen({ temperature: 0.01 }).has(4)).toBe(true);
    expect(sampleToken(logits, { temperature: 0 }, rng, allowed)!.id).toBe(1);
    expect(sampleToken(logits, {}, rng, new Uint8Array(5))).toBeNull();
  });
  it('reports the unmasked, untempered log-probability', () => {
    const t = sampleToken(logits, { temperature: 0.3, topK: 1 }, new Rng(2))!;
    expect(t.logprob).toBeCloseTo(3 - logSumExp(logits), 6);
  });
  it('follows the distribution', () => {
    const rng = new Rng(9);
    const counts = [0, 0, 0, 0, 0];
    for (let i = 0; i < 20000; i++) counts[sampleToken(logits, {}, rng)!.id]! += 1;
    const z = logSumExp(logits);
    counts.forEach((c, i) => expect(c / 20000).toBeCloseTo(Math.exp(logits[i]! - z), 1));
  });
});
