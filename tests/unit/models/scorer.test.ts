import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ModelError } from '../../../main/engine/models/errors';
import { OnnxScorer } from '../../../main/engine/models/scorer';
import { fixture } from './fixtures';

const paths = [
  { prompt: '24:[4 9 3 2]\n', steps: ['9*3=27 [4 27 2]', '27-4=23 [23 2]', '23+2=25 [25]'] },
  { prompt: '24:[4 9 3 2]\n', steps: ['4+2=6 [6 9 3]'] },
  { prompt: '10:[5 5]\n', steps: ['5+5=10 [10]', 'answer 10'] },
];

describe('token-classification PRM', () => {
  let prm: OnnxScorer;
  beforeAll(async () => {
    prm = await OnnxScorer.load(fixture('prm-tiny'));
  });
  afterAll(() => prm.release());

  it('is recognised from its [batch, sequence, labels] output', () => {
    expect(prm.kind).toBe('process');
    expect(prm.stepSeparator).toBe('\n');
  });

  it('reads one score per step at the step separator, the path score being the last', async () => {
    const scores = await prm.score(paths);
    expect(scores.map((s) => s.stepScores.length)).toEqual([3, 1, 2]);
    for (const s of scores) {
      for (const x of s.stepScores) expect(x).toBeGreaterThan(0), expect(x).toBeLessThan(1);
      expect(s.score).toBe(s.stepScores.at(-1));
    }
    // The separator position is where TRL puts the label: BOS, prompt, then step + "\n" pieces.
    const { ids, stepEnds } = prm.encodePath(paths[1]!);
    expect(ids[0]).toBe(prm.tokenizer.bosTokenId);
    expect(prm.tokenizer.decode([ids[stepEnds[0]!]!])).toBe('\n');
    expect(stepEnds[0]).toBe(ids.length - 1);
  });

  it('gives the same scores batched with padding as one path at a time, and a prefix the same step scores', async () => {
    const batched = await prm.score(paths);
    for (const [i, p] of paths.entries()) {
      const [alone] = await prm.score([p]);
      alone!.stepScores.forEach((x, j) => expect(x).toBeCloseTo(batched[i]!.stepScores[j]!, 5));
    }
    const [prefix] = await prm.score([{ ...paths[0]!, steps: paths[0]!.steps.slice(0, 2) }]);
    expect(prefix!.stepScores[1]).toBeCloseTo(batched[0]!.stepScores[1]!, 5); // causal: later steps do not change earlier scores
  });
});

describe('sequence value model', () => {
  it('is recognised from its [batch, labels] output and scores whole paths in (0, 1)', async () => {
    const value = await OnnxScorer.load(fixture('value-tiny'));
    expect(value.kind).toBe('value');
    const scores = await value.score(paths);
    const alone = await value.score([paths[2]!]);
    expect(scores[2]!.score).toBeCloseTo(alone[0]!.score, 5);
    for (const s of scores) {
      expect(s.stepScores).toEqual([]);
      expect(s.score).toBeGreaterThan(0);
      expect(s.score).toBeLessThan(1);
    }
    expect(new Set(scores.map((s) => s.score.toFixed(6))).size).toBe(3);
    await value.release();
  });
});

describe('scorer errors', () => {
  it('refuses a causal LM decoder and a folder that is not a model, naming the file', async () => {
    await expect(OnnxScorer.load(fixture('hf-tiny'))).rejects.toThrow(/unexpected input names "past_key_values\.0\.key".*looks like a causal LM decoder/);
    await expect(OnnxScorer.load(fixture('hf-nocache-tiny'))).rejects.toThrow(/has 290 classes per position .*this is a language model, not a PRM or value model/);
    await expect(OnnxScorer.load(fixture('odd-inputs'))).rejects.toBeInstanceOf(ModelError);
  });
});
