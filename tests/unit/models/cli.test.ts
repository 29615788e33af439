import { afterEach, describe, expect, it, vi } from 'vitest';
import { runCli } from '../../helpers/cli';
import { CausalLM } from '../../../main/engine/models/causal-lm';
import { startCompletionServer } from './completion-server';
import { fixture } from './fixtures';

const run = runCli;

describe('metacot model check', () => {
  afterEach(() => vi.restoreAllMocks());

  it('describes a decoder folder and generates from the prompt', async () => {
    const r = await run('model', 'check', fixture('genai-combined-tiny'), '--prompt', '10:[5 5]\n', '--max-tokens', '5');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/layout +onnxruntime-genai \(genai_config\.json\), graph model\.onnx/);
    expect(r.out).toMatch(/layers +2, heads 4 attention, 4 key\/value, head size 8/);
    expect(r.out).toMatch(/vocabulary +290 tokens \(logits 290\), ids int64, position_ids yes/);
    expect(r.out).toMatch(/inputs +input_ids int64\[batch,sequence\], attention_mask .*past_0 float32\[2,batch,4,past_sequence,8\]/);
    expect(r.out).toMatch(/KV cache +float32, past_0 \.\.\. \(key and value stacked\)/);
    expect(r.out).toMatch(/generated +".*"\n +5 tokens in \d+ ms .*stop: length/);
    // Greedy by default: the same text as generating directly.
    const lm = await CausalLM.load(fixture('genai-combined-tiny'));
    const { StepGenerator } = await import('../../../main/engine/models/generate');
    const [step] = await new StepGenerator(lm, null).sampleSteps(lm.tokenizer.encode('10:[5 5]\n', true), 1, { delimiter: null, maxTokens: 5, seed: 0, temperature: 0 });
    expect(r.out).toContain(`generated   ${JSON.stringify(step!.text)}`);
    await lm.release();
  });

  it('describes a PRM and scores the prompt lines as steps', async () => {
    const r = await run('model', 'check', fixture('prm-tiny'), '--prompt', '24:[4, 9, 3, 2]\n9-3=6\n4*6=24');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/kind +process reward model/);
    expect(r.out).toMatch(/score +0\.\d{4} \(steps: 0\.\d{4}, 0\.\d{4}\)/);
  });

  it('checks an OpenAI-compatible endpoint', async () => {
    const lm = await CausalLM.load(fixture('hf-tiny'));
    const server = await startCompletionServer(lm, 'served-tiny');
    try {
      const r = await run('model', 'check', `${server.url}/v1`, '--max-tokens', '4', '--stop', '\n');
      expect(r.code).toBe(0);
      expect(r.out).toContain(`endpoint    ${server.url}/v1/completions`);
      expect(r.out).toContain('model       served-tiny');
      expect(r.out).toMatch(/generated +".*"\n +\d tokens in \d+ ms, stop: (delimiter|length|eos)/);
    } finally {
      await server.close();
      await lm.release();
    }
  });

  it('prints one clear line and exits 2 for a folder that is no model or a broken one', async () => {
    const r = await run('model', 'check', fixture('odd-inputs'));
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/^metacot: .*odd-inputs\/model\.onnx: unexpected input names "pixel_values"/);
    expect(r.err.trim().split('\n')).toHaveLength(1);
    const missing = await run('model', 'check', '/no/such/dir');
    expect(missing.code).toBe(2);
    expect(missing.err).toMatch(/^metacot: no model "\/no\/such\/dir"/);
  });
});
