import { describe, expect, it } from 'vitest';
import { bundledModels } from '../../../main/engine/models/resolve';
import { createProviders, ProviderError, ProviderSet } from '../../../main/engine/providers';
import { getTask } from '../../../main/engine/tasks/registry';

const task = getTask('countdown');
const kinds = (set: ProviderSet) => {
  const { policies, scorers } = set.list();
  return { policies: policies.map((p) => p.kind), scorers: scorers.map((s) => s.kind) };
};

describe('createProviders', () => {
  it('registers the stand-ins, the model kinds and every bundled model in its role, stand-ins first', () => {
    const { policies, scorers } = kinds(createProviders());
    expect(policies.slice(0, 4)).toEqual(['enumerator', 'onnx', 'http', 'https']);
    expect(scorers.slice(0, 4)).toEqual(['exact', 'rollout', 'likelihood', 'onnx']);
    expect(bundledModels().length).toBeGreaterThan(0);
    // Each bundled model answers to its own name in the role its config declares.
    for (const bundled of bundledModels()) expect([...policies, ...scorers]).toContain(bundled);
    expect(policies).toContain('countdown-policy');
    expect(scorers).toContain('countdown-prm');
    expect(policies).not.toContain('countdown-prm');
  });

  it('builds independent sets: a kind added to one is unknown to another, and nothing registers on import', async () => {
    const extended = createProviders();
    extended.registerScorer('constant', 'always 0.5', () => ({ name: 'constant', score: async (paths) => paths.map(() => 0.5) }));
    const policy = await extended.createPolicy('enumerator', { task, seed: 1 });
    const scorer = await extended.createScorer('constant', { task, seed: 1, policy });
    expect(scorer.name).toBe('constant');

    expect(() => createProviders().checkName('scorer', 'constant')).toThrow(ProviderError);
    expect(() => createProviders().checkName('scorer', 'constant')).toThrow(/unknown scorer "constant" \(known: exact, rollout, likelihood, onnx/);
    expect(new ProviderSet().list()).toEqual({ policies: [], scorers: [] });
  });

  it('checks a name against a task without building anything', () => {
    const set = createProviders();
    expect(() => set.checkName('policy', 'enumerator', getTask('math'))).toThrow(/needs a task with legal steps/);
    expect(() => set.checkName('scorer', 'rollout:0', task)).toThrow(/rollout count must be a whole number/);
    expect(() => set.checkName('scorer', 'rollout:8', task)).not.toThrow();
  });
});
