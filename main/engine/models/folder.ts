/**
 * Reads a model folder: which layout it has (Hugging Face / optimum or onnxruntime-genai), which
 * ONNX file holds the graph, and what its JSON configs say. Names and shapes are confirmed later
 * against the loaded graph (signature.ts); here we only read what the files declare.
 */
import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { ModelError, reason } from './errors';

export type Layout = 'hf' | 'genai';

/** Input/output names a genai_config.json declares (patterns hold `%d` for the layer). */
export interface GenaiNames {
  inputIds: string;
  attentionMask: string;
  positionIds: string;
  logits: string;
  pastKey?: string;
  pastValue?: string;
  presentKey?: string;
  presentValue?: string;
  /** Older combined form: key and value stacked on a leading axis of 2. */
  past?: string;
  present?: string;
}

export interface ModelFolder {
  dir: string;
  layout: Layout;
  onnxPath: string;
  /** config.json (hf) or genai_config.json (genai). */
  configPath: string;
  tokenizerPath: string;
  tokenizerConfigPath: string | null;
  architectures: string[];
  numLayers?: number;
  numHeads?: number;
  numKvHeads?: number;
  headDim?: number;
  vocabSize?: number;
  contextLength?: number;
  bosTokenId?: number;
  eosTokenIds: number[];
  padTokenId?: number;
  numLabels?: number;
  id2label?: Record<string, string>;
  /** Text a PRM expects after each step (TRL's `step_separator`), when its config names one. */
  stepSeparator?: string;
  genaiNames?: GenaiNames;
  /**
   * How the decoder passes keys/values, as config.json's `metacot_kv_layout` declares (confirmed
   * against the graph in signature.ts): 'full' (default) returns the whole cache each step,
   * 'static' takes a fixed-capacity buffer and returns only the new tokens' keys/values.
   */
  kvLayout: KvLayoutName;
}

export type KvLayoutName = 'full' | 'static';

const count = z.number().int().positive();
const tokenIds = z.union([z.number().int().nonnegative(), z.array(z.number().int().nonnegative())]);

const HfConfig = z.looseObject({
  architectures: z.array(z.string()).optional(),
  num_hidden_layers: count.optional(),
  n_layer: count.optional(),
  num_layers: count.optional(),
  num_attention_heads: count.optional(),
  n_head: count.optional(),
  num_key_value_heads: count.optional(),
  head_dim: count.optional(),
  hidden_size: count.optional(),
  n_embd: count.optional(),
  vocab_size: count.optional(),
  max_position_embeddings: count.optional(),
  n_positions: count.optional(),
  bos_token_id: tokenIds.nullable().optional(),
  eos_token_id: tokenIds.nullable().optional(),
  pad_token_id: tokenIds.nullable().optional(),
  num_labels: count.optional(),
  id2label: z.record(z.string(), z.string()).optional(),
  step_separator: z.string().optional(),
  metacot_kv_layout: z.enum(['full', 'static']).optional(),
});

const GenaiConfig = z.object({
  model: z.looseObject({
    bos_token_id: tokenIds.optional(),
    eos_token_id: tokenIds.optional(),
    pad_token_id: tokenIds.optional(),
    context_length: count.optional(),
    vocab_size: count.optional(),
    type: z.string().optional(),
    decoder: z.looseObject({
      filename: z.string().min(1),
      head_size: count.optional(),
      hidden_size: count.optional(),
      num_attention_heads: count.optional(),
      num_hidden_layers: count,
      num_key_value_heads: count.optional(),
      inputs: z.looseObject({
        input_ids: z.string().default('input_ids'),
        attention_mask: z.string().default('attention_mask'),
        position_ids: z.string().default('position_ids'),
        past_key_names: z.string().optional(),
        past_value_names: z.string().optional(),
        past_names: z.string().optional(),
      }),
      outputs: z.looseObject({
        logits: z.string().default('logits'),
        present_key_names: z.string().optional(),
        present_value_names: z.string().optional(),
        present_names: z.string().optional(),
      }),
    }),
  }),
});

const GenerationConfig = z.looseObject({
  bos_token_id: tokenIds.nullable().optional(),
  eos_token_id: tokenIds.nullable().optional(),
  pad_token_id: tokenIds.nullable().optional(),
});

/** Reads and validates a JSON file, with errors that name it and the bad field. */
/**
 * Where JSON.parse failed, without the excerpt of the text V8 puts in some messages: a served
 * studio must never send a file's content back in an error (issue 21).
 */
function jsonSyntaxWhere(error: unknown): string {
  const at = /at position (\d+)/.exec(reason(error));
  return at ? `syntax error at character ${Number(at[1]) + 1}` : 'syntax error';
}

export function readJson<T>(file: string, schema: z.ZodType<T>, what: string): T {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    throw new ModelError(`cannot read ${file}: ${reason(error)}`, file);
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new ModelError(`${file} is not valid JSON (${jsonSyntaxWhere(error)}); expected ${what}`, file);
  }
  const parsed = schema.safeParse(data);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const at = issue?.path.length ? issue.path.join('.') : '(top level)';
    throw new ModelError(`${file} is not ${what}: ${at}: ${issue?.message ?? 'invalid'}`, file);
  }
  return parsed.data;
}

const first = (v: number | number[] | null | undefined): number | undefined => (Array.isArray(v) ? v[0] : (v ?? undefined));
const all = (v: number | number[] | null | undefined): number[] => (v == null ? [] : Array.isArray(v) ? v : [v]);

/** The ONNX file of an optimum-style folder: model.onnx beside config.json or under onnx/. */
function findHfOnnx(dir: string, preferred?: string): string {
  if (preferred) {
    const file = path.resolve(dir, preferred);
    if (!fs.existsSync(file)) throw new ModelError(`${file} does not exist (asked for ONNX file "${preferred}")`, file);
    return file;
  }
  for (const sub of ['.', 'onnx']) {
    const folder = path.join(dir, sub);
    if (!fs.existsSync(folder)) continue;
    const names = fs.readdirSync(folder).filter((n) => n.endsWith('.onnx'));
    // Plain full-precision graphs first, then merged decoders, then variants (fp16, quantized).
    const rank = (n: string) =>
      n === 'model.onnx' ? 0 : n === 'decoder_model_merged.onnx' ? 1 : n.startsWith('model') ? 2 : n.startsWith('decoder_model_merged') ? 3 : 9;
    const best = names.filter((n) => rank(n) < 9).sort((a, b) => rank(a) - rank(b) || a.localeCompare(b))[0];
    if (best) return path.join(folder, best);
  }
  throw new ModelError(
    `no ONNX graph in ${dir}: expected model.onnx beside config.json or onnx/model*.onnx (optimum layout), or a genai_config.json naming the decoder file`,
    dir,
  );
}

/** Inspects a folder and says which layout it is, without loading the graph. */
export function readModelFolder(dirArg: string, options: { onnxFile?: string } = {}): ModelFolder {
  const dir = path.resolve(dirArg);
  let stat: fs.Stats;
  try {
    stat = fs.statSync(dir);
  } catch {
    throw new ModelError(`model folder ${dir} does not exist`, dir);
  }
  if (!stat.isDirectory()) {
    throw new ModelError(`${dir} is a file; a model is a folder holding config.json or genai_config.json, tokenizer.json and the ONNX graph`, dir);
  }
  const genaiPath = path.join(dir, 'genai_config.json');
  const hfPath = path.join(dir, 'config.json');
  const tokenizerConfig = path.join(dir, 'tokenizer_config.json');
  const base = {
    dir,
    tokenizerPath: path.join(dir, 'tokenizer.json'),
    tokenizerConfigPath: fs.existsSync(tokenizerConfig) ? tokenizerConfig : null,
  };
  let folder: ModelFolder;
  if (fs.existsSync(genaiPath)) {
    const cfg = readJson(genaiPath, GenaiConfig, 'an onnxruntime-genai config (model.decoder.filename, num_hidden_layers, inputs, outputs)');
    const m = cfg.model;
    const d = m.decoder;
    const onnxPath = path.resolve(dir, options.onnxFile ?? d.filename);
    if (!fs.existsSync(onnxPath)) {
      throw new ModelError(`${genaiPath} names decoder file "${d.filename}", but ${onnxPath} does not exist`, onnxPath);
    }
    const combined = d.inputs.past_names !== undefined;
    if (!combined && (d.inputs.past_key_names === undefined) !== (d.inputs.past_value_names === undefined)) {
      throw new ModelError(`${genaiPath}: model.decoder.inputs needs both past_key_names and past_value_names, or past_names`, genaiPath);
    }
    folder = {
      ...base,
      layout: 'genai',
      onnxPath,
      configPath: genaiPath,
      architectures: m.type ? [m.type] : [],
      numLayers: d.num_hidden_layers,
      numHeads: d.num_attention_heads,
      numKvHeads: d.num_key_value_heads ?? d.num_attention_heads,
      headDim: d.head_size ?? (d.hidden_size && d.num_attention_heads ? d.hidden_size / d.num_attention_heads : undefined),
      vocabSize: m.vocab_size,
      contextLength: m.context_length,
      bosTokenId: first(m.bos_token_id),
      eosTokenIds: all(m.eos_token_id),
      padTokenId: first(m.pad_token_id),
      kvLayout: 'full',
      genaiNames: {
        inputIds: d.inputs.input_ids,
        attentionMask: d.inputs.attention_mask,
        positionIds: d.inputs.position_ids,
        logits: d.outputs.logits,
        pastKey: d.inputs.past_key_names,
        pastValue: d.inputs.past_value_names,
        presentKey: d.outputs.present_key_names,
        presentValue: d.outputs.present_value_names,
        past: d.inputs.past_names,
        present: d.outputs.present_names,
      },
    };
  } else if (fs.existsSync(hfPath)) {
    const c = readJson(hfPath, HfConfig, 'a Hugging Face model config');
    const heads = c.num_attention_heads ?? c.n_head;
    const hidden = c.hidden_size ?? c.n_embd;
    folder = {
      ...base,
      layout: 'hf',
      onnxPath: findHfOnnx(dir, options.onnxFile),
      configPath: hfPath,
      architectures: c.architectures ?? [],
      numLayers: c.num_hidden_layers ?? c.n_layer ?? c.num_layers,
      numHeads: heads,
      numKvHeads: c.num_key_value_heads ?? heads,
      headDim: c.head_dim ?? (hidden && heads ? hidden / heads : undefined),
      vocabSize: c.vocab_size,
      contextLength: c.max_position_embeddings ?? c.n_positions,
      bosTokenId: first(c.bos_token_id),
      eosTokenIds: all(c.eos_token_id),
      padTokenId: first(c.pad_token_id),
      numLabels: c.num_labels ?? (c.id2label ? Object.keys(c.id2label).length : undefined),
      id2label: c.id2label,
      stepSeparator: c.step_separator,
      kvLayout: c.metacot_kv_layout ?? 'full',
    };
    const genPath = path.join(dir, 'generation_config.json');
    if (fs.existsSync(genPath)) {
      const g = readJson(genPath, GenerationConfig, 'a Hugging Face generation config');
      if (g.eos_token_id != null) folder.eosTokenIds = all(g.eos_token_id);
      folder.bosTokenId = first(g.bos_token_id) ?? folder.bosTokenId;
      folder.padTokenId = first(g.pad_token_id) ?? folder.padTokenId;
    }
  } else {
    throw new ModelError(
      `${dir} is not a model folder: expected config.json (Hugging Face / optimum layout) or genai_config.json (onnxruntime-genai layout)`,
      dir,
    );
  }
  if (!fs.existsSync(folder.tokenizerPath)) {
    throw new ModelError(`missing tokenizer: ${folder.tokenizerPath} not found; a model folder needs the tokenizer.json its model was trained with`, folder.tokenizerPath);
  }
  return folder;
}
