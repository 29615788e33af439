import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectEvictionKeepsTree } from './grow-tree';
import { CausalLM, type LmState } from '../../../main/engine/models/causal-lm';
import { StepGenerator } from '../../../main/engine/models/generate';
import { TreeKvCache } from '../../../main/engine/models/kv-cache';
import { fixture } from './fixtures';

const maxAbsDiff = (a: Float32Array, b: Float32Array) => a.reduce((m, x, i) => Math.max(m, Math.abs(x - b[i]!)), 0);

describe.each([
  ['hf-tiny', 1e-4],
  ['hf-static-tiny', 1e-4], // fixed-capacity KV buffer, present = new tokens only
  ['genai-combined-tiny', 1e-4],
  ['genai-tiny', 2e-2], // float16 keys/values round each cached position
])('KV cache of %s', (name, tolerance) => {
  let lm: CausalLM;
  beforeAll(async () => {
    lm = await CausalLM.load(fixture(name));
  });
  afterAll(() => lm.release());

  it(`incremental logits match a full recomputation (max abs diff < ${tolerance})`, async () => {
    const ids = lm.tokenizer.encode('24:[4 9 3 2]\n9*3=27 [4 27 2]\n27-4=23');
    const full = await lm.fullLogits(ids);
    // Prefill 5 tokens, then feed 3 at once, then the rest one at a time.
    let out = await lm.extend(lm.emptyState(), [ids.slice(0, 5)]);
    let worst = maxAbsDiff(out.logits[0]!, full[4]!);
    out = await lm.extend(out.state, [ids.slice(5, 8)]);
    worst = Math.max(worst, maxAbsDiff(out.logits[0]!, full[7]!));
    for (let i = 8; i < ids.length; i++) {
      out = await lm.extend(out.state, [[ids[i]!]]);
      worst = Math.max(worst, maxAbsDiff(out.logits[0]!, full[i]!));
    }
    expect(worst).toBeLessThan(tolerance);
    expect(out.state.kv!.length).toBe(ids.length);
  });

  it('a child continued from its cached parent gives the logits of re-encoding its whole path', async () => {
    const cache = new TreeKvCache(32 * 2 ** 20);
    const gen = new StepGenerator(lm, cache);
    const root = lm.tokenizer.encode('24:[4 9 3 2]\n');
    const children = await gen.sampleSteps(root, 3, { delimiter: '\n', maxTokens: 6, seed: 7 });
    for (const child of children) {
      const path = root.concat(child.tokenIds);
      const entry = cache.lookup(path)!;
      // Each sibling's own keys/values were kept: only its last token needs feeding.
      expect(entry.tokens).toEqual(path.slice(0, -1));
      const out = await lm.extend(entry.state, [path.slice(entry.tokens.length)]);
      const full = await lm.fullLogits(path);
      expect(maxAbsDiff(out.logits[0]!, full[path.length - 1]!)).toBeLessThan(tolerance);
    }
  });
});

describe('TreeKvCache', () => {
  let lm: CausalLM;
  beforeAll(async () => {
    lm = await CausalLM.load(fixture('hf-tiny'));
  });
  afterAll(() => lm.release());

  const stateOf = async (ids: number[]): Promise<LmState> => (await lm.extend(lm.emptyState(), [ids])).state;

  it('finds the longest cached prefix, and a whole-path entry only when it has next-token logits', async () => {
    const cache = new TreeKvCache(2 ** 24);
    cache.store(await stateOf([5, 6]));
    cache.store(await stateOf([5, 6, 7, 8]));
    expect(cache.lookup([5, 6, 7, 8, 9])!.tokens).toEqual([5, 6, 7, 8]);
    expect(cache.lookup([5, 6, 7, 8])!.tokens).toEqual([5, 6]);
    expect(cache.lookup([5, 6, 10])!.tokens).toEqual([5, 6]);
    expect(cache.lookup([6, 5])).toBeNull();
    cache.store(await stateOf([5, 6, 7, 8]), new Float32Array(290));
    expect(cache.lookup([5, 6, 7, 8])!.tokens).toEqual([5, 6, 7, 8]);
    expect(cache.currentStats()).toMatchObject({ hits: 4, misses: 1, entries: 2 });
  });

  it('evicts the least recently used entries to stay within its byte budget', async () => {
    const a = await stateOf([5, 6, 7]);
    const perEntry = 2 * 2 * 4 * 3 * 8 * 4 + 3 * 8; // layers × (k,v) × heads × tokens × headDim × 4 bytes + token ids
    const cache = new TreeKvCache(perEntry * 2);
    cache.store(a);
    cache.store(await stateOf([5, 6, 8]));
    expect(cache.lookup([5, 6, 7, 1])).not.toBeNull(); // [5,6,7] is now the most recent
    cache.store(await stateOf([5, 6, 9]));
    expect(cache.has([5, 6, 8])).toBe(false);
    expect(cache.has([5, 6, 7])).toBe(true);
    expect(cache.has([5, 6, 9])).toBe(true);
    expect(cache.currentStats()).toMatchObject({ entries: 2, evictions: 1, bytes: perEntry * 2 });
  });

  it('recomputes after eviction: a tiny budget gives the same tree as an ample one, with more tokens fed', async () => {
    await expectEvictionKeepsTree(lm);
  });
});
