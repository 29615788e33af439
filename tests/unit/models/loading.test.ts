import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { CausalLM } from '../../../main/engine/models/causal-lm';
import { ModelError } from '../../../main/engine/models/errors';
import { readModelFolder } from '../../../main/engine/models/folder';
import { fixture, scratchCopy } from './fixtures';

describe('model folders', () => {
  it('reads the optimum layout: onnx/model.onnx with external weights, int64 ids, position_ids, float32 KV', async () => {
    const lm = await CausalLM.load(fixture('hf-tiny'));
    expect(lm.folder.layout).toBe('hf');
    expect(lm.folder.onnxPath).toBe(path.join(fixture('hf-tiny'), 'onnx', 'model.onnx'));
    const s = lm.signature;
    expect([s.idsType, s.kvType, s.positionIds, s.kv?.kind, s.numLayers, s.kvHeads, s.headDim]).toEqual(['int64', 'float32', 'position_ids', 'separate', 2, 4, 8]);
    expect(s.kv?.kind === 'separate' && s.kv.presentValue[1]).toBe('present.1.value');
    expect(lm.vocabSize).toBe(290);
    expect(lm.tokenizer.eosTokenIds).toEqual([2]);
    await lm.release();
  });

  it('reads the genai layout: int32 ids, no position_ids, float16 KV, grouped-query heads from the graph', async () => {
    const lm = await CausalLM.load(fixture('genai-tiny'));
    const s = lm.signature;
    expect(lm.folder.layout).toBe('genai');
    expect([s.idsType, s.maskType, s.kvType, s.positionIds, s.kv?.kind, s.numLayers, s.kvHeads]).toEqual(['int32', 'int32', 'float16', null, 'separate', 2, 2]);
    await lm.release();
  });

  it('reads the older genai combined past_%d / present_%d form', async () => {
    const lm = await CausalLM.load(fixture('genai-combined-tiny'));
    expect(lm.signature.kv).toEqual({ kind: 'combined', past: ['past_0', 'past_1'], present: ['present_0', 'present_1'] });
    await lm.release();
  });

  it('loads a graph without KV inputs from model.onnx at the folder root', async () => {
    const lm = await CausalLM.load(fixture('hf-nocache-tiny'));
    expect(lm.hasKvCache).toBe(false);
    expect(lm.folder.onnxPath).toBe(path.join(fixture('hf-nocache-tiny'), 'model.onnx'));
    await lm.release();
  });

  it('renders the chat template from tokenizer_config.json', async () => {
    const lm = await CausalLM.load(fixture('hf-tiny'));
    const text = lm.tokenizer.applyChatTemplate([{ role: 'user', content: '24:[4 9 3 2]' }]);
    expect(text).toBe('<bos>user: 24:[4 9 3 2]\nassistant: ');
    expect(lm.tokenizer.decode(lm.tokenizer.encode('9*3=27 [4 27 2]'))).toBe('9*3=27 [4 27 2]');
    expect(lm.tokenizer.encode('27+113').length).toBe(3); // one token per number
    await lm.release();
  });
});

describe('clear errors, never a crash', () => {
  const fails = async (dir: string, pattern: RegExp) => {
    const error = await CausalLM.load(dir).then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ModelError);
    expect((error as Error).message).toMatch(pattern);
  };

  it('a folder that is not a model', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'metacot-empty-'));
    await fails(dir, /is not a model folder: expected config\.json .* or genai_config\.json/);
    await fails(path.join(dir, 'nope'), /does not exist/);
    fs.writeFileSync(path.join(dir, 'x.onnx'), '');
    await fails(path.join(dir, 'x.onnx'), /is a file; a model is a folder/);
  });

  it('a missing tokenizer', async () => {
    const dir = scratchCopy('hf-tiny');
    fs.rmSync(path.join(dir, 'tokenizer.json'));
    await fails(dir, new RegExp(`missing tokenizer: ${path.join(dir, 'tokenizer.json').replace(/[.]/g, '\\.')} not found`));
  });

  it('a config that is not JSON, or lacks what the layout needs', async () => {
    const dir = scratchCopy('genai-tiny');
    const file = path.join(dir, 'genai_config.json');
    fs.writeFileSync(file, '{ "model": ');
    await fails(dir, /genai_config\.json is not valid JSON/);
    fs.writeFileSync(file, JSON.stringify({ model: { decoder: { filename: 'model.onnx' } } }));
    await fails(dir, /genai_config\.json is not an onnxruntime-genai config .*model\.decoder\.num_hidden_layers/);
    fs.writeFileSync(file, JSON.stringify({ model: { decoder: { filename: 'gone.onnx', num_hidden_layers: 2, inputs: {}, outputs: {} } } }));
    await fails(dir, /names decoder file "gone\.onnx", but .*gone\.onnx does not exist/);
  });

  it('genai names the graph lacks', async () => {
    const dir = scratchCopy('genai-tiny');
    const file = path.join(dir, 'genai_config.json');
    const cfg = JSON.parse(fs.readFileSync(file, 'utf8'));
    cfg.model.decoder.inputs.past_key_names = 'past.%d.k';
    fs.writeFileSync(file, JSON.stringify(cfg));
    await fails(dir, /declares input "past\.0\.k", which the graph lacks/);
  });

  it('a graph that fails to load', async () => {
    const dir = scratchCopy('hf-nocache-tiny');
    fs.writeFileSync(path.join(dir, 'model.onnx'), 'not a protobuf');
    await fails(dir, /model\.onnx: the ONNX graph failed to load in onnxruntime/);
  });

  it('unexpected input names', async () => {
    await fails(fixture('odd-inputs'), /odd-inputs\/model\.onnx: unexpected input names "pixel_values"/);
  });

  it('a tokenizer that does not fit the graph', async () => {
    await fails(fixture('prm-tiny'), /has 290 tokens but the graph's logits have 2/);
  });

  it('an optimum folder without a graph', () => {
    const dir = scratchCopy('hf-tiny');
    fs.rmSync(path.join(dir, 'onnx'), { recursive: true });
    expect(() => readModelFolder(dir)).toThrow(/no ONNX graph in .*: expected model\.onnx beside config\.json or onnx\/model\*\.onnx/);
  });
});
