/** Grows a small binary tree of steps through the tree-aware cache, for eviction tests. */
import { expect } from 'vitest';
import type { CausalLM } from '../../../main/engine/models/causal-lm';
import { StepGenerator } from '../../../main/engine/models/generate';
import { TreeKvCache } from '../../../main/engine/models/kv-cache';

/** Three levels, two children per node, under a cache of `budget` bytes. */
export async function growWithBudget(lm: CausalLM, budget: number) {
  const before = lm.stats.tokensFed;
  const cache = new TreeKvCache(budget);
  const gen = new StepGenerator(lm, cache);
  const texts: string[] = [];
  let frontier = [lm.tokenizer.encode('24:[4 9 3 2]\n')];
  for (let depth = 0; depth < 3; depth++) {
    const next: number[][] = [];
    for (const [i, path] of frontier.entries()) {
      const steps = await gen.sampleSteps(path, 2, { delimiter: '\n', maxTokens: 5, seed: depth * 100 + i });
      for (const s of steps) {
        texts.push(s.text);
        next.push(path.concat(s.tokenIds));
      }
    }
    frontier = next;
  }
  return { texts, fed: lm.stats.tokensFed - before, stats: cache.currentStats() };
}

/** A tiny cache budget evicts, recomputes what it lost and grows the same tree as an ample one. */
export async function expectEvictionKeepsTree(lm: CausalLM): Promise<void> {
  const ample = await growWithBudget(lm, 2 ** 26);
  const tiny = await growWithBudget(lm, 24_000);
  expect(tiny.texts).toEqual(ample.texts);
  expect(tiny.stats.evictions).toBeGreaterThan(0);
  expect(tiny.stats.bytes).toBeLessThanOrEqual(24_000);
  expect(tiny.fed).toBeGreaterThan(ample.fed);
  expect(ample.stats.evictions).toBe(0);
}
