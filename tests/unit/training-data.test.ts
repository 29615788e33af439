/**
 * The bundled models' training data holds no evaluation problem: the manifest the generator
 * writes (training/data/manifest.json) against Tree of Thoughts' 100 hard games and the countdown
 * evaluation set, regenerated here with the studio's own generator and the pinned options.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { generateCountdownProblems } from '../../main/engine/tasks/countdown';
import { parseTot24Csv } from '../../main/engine/tasks/game24';

const root = path.resolve(__dirname, '../..');
const config = JSON.parse(fs.readFileSync(path.join(root, 'training/config.json'), 'utf8')) as {
  eval_sets: {
    game24_hard: { file: string };
    countdown: { file: string; count: number; options: Record<string, number> };
    countdown_fresh: { file: string; count: number; options: Record<string, number> };
  };
};
const manifest = JSON.parse(fs.readFileSync(path.join(root, 'training/data/manifest.json'), 'utf8')) as Record<string, unknown>;

const key = (numbers: readonly number[], target: number) => `${target}:${[...numbers].sort((a, b) => a - b).join(',')}`;
const numbersOf = (metadata: Record<string, unknown> | undefined) => metadata as { numbers: number[]; target: number };

const hard = parseTot24Csv(fs.readFileSync(path.join(root, config.eval_sets.game24_hard.file), 'utf8'));
const countdown = generateCountdownProblems(config.eval_sets.countdown.count, config.eval_sets.countdown.options);
const trained = new Set(Object.values(manifest).filter(Array.isArray).flat() as string[]);

describe('training data vs evaluation sets', () => {
  it('the Game of 24 hard fixture is ToT rows 900-999 (ranks 901-1000)', () => {
    expect(hard).toHaveLength(100);
    expect(hard[0]!.metadata).toMatchObject({ numbers: [4, 5, 6, 10], rank: 901 });
    expect(hard[99]!.metadata).toMatchObject({ numbers: [4, 9, 10, 13], rank: 1000 });
  });

  it('the countdown fixture is what the pinned generator options produce', () => {
    const lines = fs.readFileSync(path.join(root, config.eval_sets.countdown.file), 'utf8').trim().split('\n');
    expect(lines.map((l) => JSON.parse(l))).toEqual(countdown.map((p) => ({ numbers: numbersOf(p.metadata).numbers, target: numbersOf(p.metadata).target })));
  });

  it('the never-seen countdown set: its reserved seed, minus anything trained on or tuned on, and nothing of either', () => {
    const spec = config.eval_sets.countdown_fresh;
    const tuning = new Set(countdown.map((p) => key(numbersOf(p.metadata).numbers, numbersOf(p.metadata).target)));
    const expected = generateCountdownProblems(spec.count, spec.options)
      .map((p) => numbersOf(p.metadata))
      .filter((r) => !trained.has(key(r.numbers, r.target)) && !tuning.has(key(r.numbers, r.target)));
    const lines = fs.readFileSync(path.join(root, spec.file), 'utf8').trim().split('\n');
    const fresh = lines.map((l) => JSON.parse(l) as { numbers: number[]; target: number });
    expect(fresh).toEqual(expected.map((r) => ({ numbers: r.numbers, target: r.target })));
    expect(fresh.length).toBeGreaterThanOrEqual(95);
    // Its seed is used nowhere else in the repository's training or evaluation code.
    const seed = String(spec.options.seed);
    const sources = ['training/train_policy.py', 'training/train_prm.py', 'training/metacot_train/data.py', 'training/eval_search.ts', 'training/eval_models.mjs'];
    for (const f of sources) expect(fs.readFileSync(path.join(root, f), 'utf8'), f).not.toContain(seed);
  });

  it('no training problem is an evaluation problem', () => {
    expect(trained.size).toBeGreaterThan(10_000);
    const held = [
      ...hard.map((p) => key(numbersOf(p.metadata).numbers, 24)),
      ...countdown.map((p) => key(numbersOf(p.metadata).numbers, numbersOf(p.metadata).target)),
    ];
    expect(new Set(held).size).toBe(200);
    expect(held.filter((k) => trained.has(k))).toEqual([]);
  });
});
