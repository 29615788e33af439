/**
 * The static KV layout (config.json "metacot_kv_layout": "static"): past keys/values go in as a
 * fixed-capacity buffer, present outputs hold only the new tokens. hf-static-tiny has hf-tiny's
 * weights, so the two layouts must agree on logits and on the trees they grow.
 */
import fs from 'node:fs';
import { expectEvictionKeepsTree } from './grow-tree';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CausalLM } from '../../../main/engine/models/causal-lm';
import { ModelError } from '../../../main/engine/models/errors';
import { StepGenerator } from '../../../main/engine/models/generate';
import { TreeKvCache } from '../../../main/engine/models/kv-cache';
import { fixture, scratchCopy } from './fixtures';

const maxAbsDiff = (a: Float32Array, b: Float32Array) => a.reduce((m, x, i) => Math.max(m, Math.abs(x - b[i]!)), 0);

describe('static KV layout', () => {
  let lm: CausalLM;
  let full: CausalLM;
  let ids: number[];
  beforeAll(async () => {
    lm = await CausalLM.load(fixture('hf-static-tiny'));
    full = await CausalLM.load(fixture('hf-tiny'));
    ids = lm.tokenizer.encode('24:[4 9 3 2]\n9*3=27 [4 27 2]\n27-4=23 [23 2]\n23+2=25');
  });
  afterAll(async () => {
    await lm.release();
    await full.release();
  });

  it('is read from config.json and confirmed by the graph', () => {
    expect(lm.signature.kvMode).toBe('static');
    expect(full.signature.kvMode).toBe('full');
  });

  it('gives the logits of a full recomputation and of the full-present layout, across buffer reallocations', async () => {
    const reference = await full.fullLogits(ids);
    const recomputed = await lm.fullLogits(ids);
    // A compact start (no room) makes the first feed reallocate; later feeds append in place.
    let state = lm.selectRows((await lm.extend(lm.emptyState(), [ids.slice(0, 3)])).state, [0]);
    expect(state.kv!.capacity).toBe(3);
    let worst = 0;
    const capacities = new Set<number>();
    for (let i = 3; i < ids.length; i++) {
      const out = await lm.extend(state, [[ids[i]!]]);
      worst = Math.max(worst, maxAbsDiff(out.logits[0]!, recomputed[i]!), maxAbsDiff(out.logits[0]!, reference[i]!));
      state = out.state;
      capacities.add(state.kv!.capacity);
    }
    expect(worst).toBeLessThan(1e-4);
    expect(state.kv!.length).toBe(ids.length);
    expect(capacities.size).toBe(1); // one reallocation with room, then in place
  });

  it('never changes a state that another extend already appended to (the second copies)', async () => {
    const parent = (await lm.extend(lm.emptyState(), [ids.slice(0, 10)])).state;
    const a = await lm.extend(parent, [[ids[10]!]]);
    const b = await lm.extend(parent, [[ids[20]!]]); // same slot as a's token: must not overwrite it
    expect(b.state.kv!.layers[0]!.key).not.toBe(a.state.kv!.layers[0]!.key);
    const a2 = await lm.extend(a.state, [[ids[11]!]]);
    const expected = await lm.fullLogits(ids.slice(0, 12));
    expect(maxAbsDiff(a2.logits[0]!, expected[11]!)).toBeLessThan(1e-4);
    const bFull = await lm.fullLogits([...ids.slice(0, 10), ids[20]!]);
    expect(maxAbsDiff(b.logits[0]!, bFull[10]!)).toBeLessThan(1e-4);
    // Concurrent extends of one state claim the free slots before either run finishes.
    const [c, d] = await Promise.all([lm.extend(parent, [[ids[10]!]]), lm.extend(parent, [[ids[20]!]])]);
    expect(maxAbsDiff(c.logits[0]!, expected[10]!)).toBeLessThan(1e-4);
    const again = await lm.extend(d.state, [[ids[11]!]]);
    const dFull = await lm.fullLogits([...ids.slice(0, 10), ids[20]!, ids[11]!]);
    expect(maxAbsDiff(again.logits[0]!, dFull[11]!)).toBeLessThan(1e-4);
  });

  it('a row lent to the cache keeps its own free slots while its batch goes on', async () => {
    const parent = (await lm.extend(lm.emptyState(), [ids.slice(0, 6)])).state;
    let batch = (await lm.extend(lm.selectRows(parent, [0, 0], undefined, 8), [[ids[6]!], [ids[9]!]])).state;
    const child = lm.rowState(batch, 0); // finished row 0 (ids 0..6), viewed without a copy
    expect(child.kv!.layers[0]!.key.buffer).toBe(batch.kv!.layers[0]!.key.buffer);
    const c1 = await lm.extend(child, [[ids[7]!]]); // appends in place into row 0's next slot
    expect(c1.state.kv!.layers[0]!.key.buffer).toBe(batch.kv!.layers[0]!.key.buffer);
    batch = (await lm.extend(batch, [[ids[3]!], [ids[10]!]])).state; // the batch goes on, row 0 only fed
    const c2 = await lm.extend(c1.state, [[ids[8]!]]);
    const expected = await lm.fullLogits(ids.slice(0, 9));
    expect(maxAbsDiff(c2.logits[0]!, expected[8]!)).toBeLessThan(1e-4);
    const b2 = await lm.extend(batch, [[ids[3]!], [ids[11]!]]);
    const otherNext = await lm.fullLogits([...ids.slice(0, 6), ids[9]!, ids[10]!, ids[11]!]);
    expect(maxAbsDiff(b2.logits[1]!, otherNext[8]!)).toBeLessThan(1e-4); // the live row is unharmed
  });

  it('the cache counts a batch buffer shared by sibling entries once, and frees it with the last of them', async () => {
    const parent = (await lm.extend(lm.emptyState(), [ids.slice(0, 6)])).state;
    const batch = (await lm.extend(lm.selectRows(parent, [0, 0, 0], undefined, 4), [[40], [41], [42]])).state;
    const views = [0, 1, 2].map((r) => lm.rowState(batch, r));
    const batchBytes = batch.kv!.layers.reduce((n, l) => n + l.key.buffer.byteLength + l.value.buffer.byteLength, 0);
    const cache = new TreeKvCache(batchBytes + 3 * 7 * 8); // one batch buffer + 7 token ids per entry
    views.forEach((v) => cache.store(v));
    expect(cache.currentStats()).toMatchObject({ entries: 3, evictions: 0, bytes: batchBytes + 3 * 7 * 8 });
    // A compact copy of another path does not fit beside them; the buffer goes only with its last view.
    const other = lm.selectRows(parent, [0]);
    const otherBytes = other.kv!.layers.reduce((n, l) => n + l.key.byteLength + l.value.byteLength, 0);
    cache.store(other);
    expect(cache.currentStats()).toMatchObject({ entries: 1, evictions: 3, bytes: otherBytes + 6 * 8 });
    expect(cache.has(ids.slice(0, 6))).toBe(true);
  });

  it('grows the same tree as the full-present layout with the same weights', async () => {
    const grow = async (model: CausalLM) => {
      const gen = new StepGenerator(model, new TreeKvCache(2 ** 24));
      const out: { ids: number[]; logprob: number }[] = [];
      let frontier = [model.tokenizer.encode('24:[4 9 3 2]\n')];
      for (let depth = 0; depth < 3; depth++) {
        const next: number[][] = [];
        for (const [i, p] of frontier.entries()) {
          const steps = await gen.sampleSteps(p, 3, { delimiter: '\n', maxTokens: 7, seed: depth * 10 + i, temperature: 0.9 });
          for (const s of steps) {
            out.push({ ids: s.tokenIds, logprob: s.logprob });
            next.push(p.concat(s.tokenIds));
          }
        }
        frontier = next.slice(0, 3);
      }
      return out;
    };
    const a = await grow(lm);
    const b = await grow(full);
    expect(a.map((s) => s.ids)).toEqual(b.map((s) => s.ids));
    a.forEach((s, i) => expect(s.logprob).toBeCloseTo(b[i]!.logprob, 4));
  });

  it('recomputes evicted entries: a tiny budget gives the tree of an ample one', async () => {
    await expectEvictionKeepsTree(lm);
  });
});

describe('static KV layout errors', () => {
  const setLayout = (dir: string, layout: string | undefined) => {
    const file = path.join(dir, 'config.json');
    const cfg = JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, unknown>;
    if (layout === undefined) delete cfg.metacot_kv_layout;
    else cfg.metacot_kv_layout = layout;
    fs.writeFileSync(file, JSON.stringify(cfg));
  };

  it('a static graph whose config does not say so', async () => {
    const dir = scratchCopy('hf-static-tiny');
    setLayout(dir, undefined);
    await expect(CausalLM.load(dir)).rejects.toThrow(/spans only the new tokens.*"metacot_kv_layout": "static"/);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('a config that declares static for a full-present graph', async () => {
    const dir = scratchCopy('hf-tiny');
    setLayout(dir, 'static');
    const error = await CausalLM.load(dir).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ModelError);
    expect((error as Error).message).toMatch(/declares metacot_kv_layout "static", but .* spans the whole sequence's axis/);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('an unknown layout name', async () => {
    const dir = scratchCopy('hf-tiny');
    setLayout(dir, 'paged');
    await expect(CausalLM.load(dir)).rejects.toThrow(/metacot_kv_layout/);
    fs.rmSync(dir, { recursive: true, force: true });
  });
});
