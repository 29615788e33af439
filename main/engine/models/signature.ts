/**
 * What a loaded decoder graph actually takes and returns, read from the InferenceSession's
 * metadata (names, dtypes, shapes) and checked against what the folder's config declares.
 * Every later tensor is built from this, never from assumptions about a model family.
 */
import path from 'node:path';
import type { InferenceSession } from 'onnxruntime-node';
import { ModelError } from './errors';
import type { KvLayoutName, ModelFolder } from './folder';

export type IdsType = 'int32' | 'int64';
export type FloatType = 'float32' | 'float16';

export type KvLayout =
  | { kind: 'separate'; pastKey: string[]; pastValue: string[]; presentKey: string[]; presentValue: string[] }
  /** Older genai form: one tensor per layer, key and value stacked on a leading axis of 2. */
  | { kind: 'combined'; past: string[]; present: string[] };

export interface DecoderSignature {
  inputIds: string;
  idsType: IdsType;
  attentionMask: string | null;
  maskType: IdsType;
  positionIds: string | null;
  positionsType: IdsType;
  /** Optimum's merged decoders switch between the first pass and cached passes with this flag. */
  useCacheBranch: string | null;
  tokenTypeIds: string | null;
  logits: string;
  logitsType: FloatType;
  /** null when the graph takes no KV cache: every step then re-encodes the whole sequence. */
  kv: KvLayout | null;
  /**
   * 'full': past inputs hold exactly the cached positions and present outputs return all of them
   * plus the new ones (optimum, genai). 'static': past inputs are a fixed-capacity buffer whose
   * free slots the attention mask zeroes ([rows, capacity + new]) and present outputs hold only
   * the new positions, so a decode step never copies the whole cache (config.json's
   * metacot_kv_layout, confirmed by the graph's shapes and by every run's output lengths).
   */
  kvMode: KvLayoutName;
  kvType: FloatType;
  numLayers: number;
  kvHeads: number;
  headDim: number;
  inputNames: readonly string[];
  outputNames: readonly string[];
}

type Meta = InferenceSession.ValueMetadata;

function tensorMeta(list: readonly Meta[], name: string): { type: string; shape: ReadonlyArray<number | string> } | null {
  const m = list.find((x) => x.name === name);
  if (!m) return null;
  return m.isTensor ? { type: m.type, shape: m.shape } : { type: 'non-tensor', shape: [] };
}

function idsTypeOf(file: string, name: string, type: string): IdsType {
  if (type === 'int32' || type === 'int64') return type;
  throw new ModelError(`${file}: input "${name}" has type ${type}; expected int32 or int64`, file);
}

function floatTypeOf(file: string, name: string, type: string): FloatType {
  if (type === 'float32' || type === 'float16') return type;
  throw new ModelError(`${file}: "${name}" has type ${type}; expected float32 or float16`, file);
}

/** Reads the decoder's signature from a session; `session` only needs its metadata. */
export function readDecoderSignature(folder: ModelFolder, session: Pick<InferenceSession, 'inputMetadata' | 'outputMetadata' | 'inputNames' | 'outputNames'>): DecoderSignature {
  const file = folder.onnxPath;
  const ins = session.inputMetadata;
  const outs = session.outputMetadata;
  const inputNames = session.inputNames;
  const outputNames = session.outputNames;
  const g = folder.genaiNames;
  const names = {
    inputIds: g?.inputIds ?? 'input_ids',
    attentionMask: g?.attentionMask ?? 'attention_mask',
    positionIds: g?.positionIds ?? 'position_ids',
    logits: g?.logits ?? 'logits',
  };
  const idsMeta = tensorMeta(ins, names.inputIds);
  if (!idsMeta) {
    throw new ModelError(`${file}: graph has no input "${names.inputIds}"; its inputs are ${inputNames.join(', ')}. Expected a causal LM decoder (input_ids, attention_mask, past_key_values.<i>.key|value)`, file);
  }
  const logitsMeta = tensorMeta(outs, names.logits);
  if (!logitsMeta) {
    throw new ModelError(`${file}: graph has no output "${names.logits}"; its outputs are ${outputNames.join(', ')}`, file);
  }
  const maskMeta = tensorMeta(ins, names.attentionMask);
  const posMeta = tensorMeta(ins, names.positionIds);
  const used = new Set<string>([names.inputIds]);
  if (maskMeta) used.add(names.attentionMask);
  if (posMeta) used.add(names.positionIds);
  const useCacheBranch = inputNames.includes('use_cache_branch') ? 'use_cache_branch' : null;
  const tokenTypeIds = inputNames.includes('token_type_ids') ? 'token_type_ids' : null;
  if (useCacheBranch) used.add(useCacheBranch);
  if (tokenTypeIds) used.add(tokenTypeIds);

  let kv: KvLayout | null = null;
  if (g && (g.past || g.pastKey)) {
    kv = genaiKv(file, g, inputNames, outputNames, folder.numLayers ?? 0);
  } else if (!g) {
    kv = hfKv(file, inputNames, outputNames);
  }
  const kvInputs = kv ? (kv.kind === 'separate' ? [...kv.pastKey, ...kv.pastValue] : kv.past) : [];
  kvInputs.forEach((n) => used.add(n));
  const unexpected = inputNames.filter((n) => !used.has(n));
  if (unexpected.length > 0) {
    throw new ModelError(
      `${file}: unexpected input names ${unexpected.map((n) => `"${n}"`).join(', ')}; a decoder may take input_ids, attention_mask, position_ids, ` +
        `token_type_ids, use_cache_branch and past_key_values.<i>.key|value${g ? ' (or the names genai_config.json declares)' : ''}`,
      file,
    );
  }

  let kvType: FloatType = 'float32';
  let kvHeads = folder.numKvHeads ?? 0;
  let headDim = folder.headDim ?? 0;
  if (kv) {
    const firstPast = kv.kind === 'separate' ? kv.pastKey[0]! : kv.past[0]!;
    const m = tensorMeta(ins, firstPast)!;
    kvType = floatTypeOf(file, firstPast, m.type);
    const rank = kv.kind === 'separate' ? 4 : 5;
    if (m.shape.length !== rank) {
      throw new ModelError(`${file}: "${firstPast}" has ${m.shape.length} dimensions; expected ${rank} (${kv.kind === 'separate' ? 'batch, heads, past, head size' : '2, batch, heads, past, head size'})`, file);
    }
    const h = m.shape[rank - 3];
    const d = m.shape[rank - 1];
    if (typeof h === 'number') kvHeads = h;
    if (typeof d === 'number') headDim = d;
    if (!(kvHeads > 0) || !(headDim > 0) || !Number.isInteger(headDim)) {
      throw new ModelError(`${file}: cannot tell the KV head count and head size: the graph leaves them symbolic and ${path.basename(folder.configPath)} does not give them`, file);
    }
  }
  const numLayers = kv ? (kv.kind === 'separate' ? kv.pastKey.length : kv.past.length) : (folder.numLayers ?? 0);
  const kvMode = checkKvMode(folder, kv, ins, outs, names.inputIds, maskMeta ? names.attentionMask : null);
  return {
    inputIds: names.inputIds,
    idsType: idsTypeOf(file, names.inputIds, idsMeta.type),
    attentionMask: maskMeta ? names.attentionMask : null,
    maskType: maskMeta ? idsTypeOf(file, names.attentionMask, maskMeta.type) : 'int64',
    positionIds: posMeta ? names.positionIds : null,
    positionsType: posMeta ? idsTypeOf(file, names.positionIds, posMeta.type) : 'int64',
    useCacheBranch,
    tokenTypeIds,
    logits: names.logits,
    logitsType: floatTypeOf(file, names.logits, logitsMeta.type),
    kv,
    kvMode,
    kvType,
    numLayers,
    kvHeads,
    headDim,
    inputNames,
    outputNames,
  };
}

/**
 * The layout config.json declares, checked against the graph's symbolic shapes: a static graph's
 * present keys span the new tokens (input_ids' sequence axis), never the past buffer's axis; a
 * full graph's present keys never span only the new tokens. Shapes a graph leaves anonymous are
 * checked at run time instead (CausalLM.extend compares output lengths).
 */
function checkKvMode(folder: ModelFolder, kv: KvLayout | null, ins: readonly Meta[], outs: readonly Meta[], inputIds: string, attentionMask: string | null): KvLayoutName {
  const file = folder.onnxPath;
  const mode = folder.kvLayout;
  if (!kv) {
    if (mode === 'static') throw new ModelError(`${folder.configPath} declares metacot_kv_layout "static", but ${path.basename(file)} takes no past keys/values`, folder.configPath);
    return mode;
  }
  if (mode === 'static' && kv.kind !== 'separate') {
    throw new ModelError(`${folder.configPath} declares metacot_kv_layout "static", which needs separate past key/value inputs`, folder.configPath);
  }
  const past = tensorMeta(ins, kv.kind === 'separate' ? kv.pastKey[0]! : kv.past[0]!)!;
  const present = tensorMeta(outs, kv.kind === 'separate' ? kv.presentKey[0]! : kv.present[0]!);
  const axis = kv.kind === 'separate' ? 2 : 3;
  const presentLen = present?.shape[axis];
  const pastLen = past.shape[axis];
  const newLen = tensorMeta(ins, inputIds)?.shape[1];
  const totalLen = attentionMask ? tensorMeta(ins, attentionMask)?.shape[1] : undefined;
  const presentName = kv.kind === 'separate' ? kv.presentKey[0]! : kv.present[0]!;
  if (typeof presentLen !== 'string') return mode;
  if (mode === 'static' && (presentLen === pastLen || presentLen === totalLen)) {
    throw new ModelError(`${folder.configPath} declares metacot_kv_layout "static", but ${path.basename(file)}'s "${presentName}" spans the ${presentLen === pastLen ? 'past buffer' : 'whole sequence'}'s axis "${presentLen}"; a static graph returns only the new tokens' keys/values`, folder.configPath);
  }
  if (mode === 'full' && presentLen === newLen && presentLen !== pastLen) {
    throw new ModelError(`${path.basename(file)}'s "${presentName}" spans only the new tokens (axis "${presentLen}"): a static-layout graph; say so with "metacot_kv_layout": "static" in ${folder.configPath}`, folder.configPath);
  }
  return mode;
}

/** Optimum names: past_key_values.<i>.key|value in, present.<i>.key|value out. */
function hfKv(file: string, inputNames: readonly string[], outputNames: readonly string[]): KvLayout | null {
  const layersOf = (list: readonly string[], re: RegExp) => {
    const found = new Map<number, Set<string>>();
    for (const n of list) {
      const m = re.exec(n);
      if (m) found.set(Number(m[1]), (found.get(Number(m[1])) ?? new Set()).add(m[2]!));
    }
    return found;
  };
  const past = layersOf(inputNames, /^past_key_values\.(\d+)\.(key|value)$/);
  if (past.size === 0) return null;
  const presentNames = outputNames.filter((n) => /^present(?:_key_values)?\.\d+\.(?:key|value)$/.test(n));
  const presentPrefix = presentNames[0]?.startsWith('present_key_values.') ? 'present_key_values' : 'present';
  const n = past.size;
  const layout: KvLayout = { kind: 'separate', pastKey: [], pastValue: [], presentKey: [], presentValue: [] };
  for (let i = 0; i < n; i++) {
    if (!past.get(i)?.has('key') || !past.get(i)?.has('value')) {
      throw new ModelError(`${file}: KV inputs are not past_key_values.0..${n - 1}.key|value (layer ${i} is incomplete)`, file);
    }
    layout.pastKey.push(`past_key_values.${i}.key`);
    layout.pastValue.push(`past_key_values.${i}.value`);
    layout.presentKey.push(`${presentPrefix}.${i}.key`);
    layout.presentValue.push(`${presentPrefix}.${i}.value`);
  }
  const missing = [...layout.presentKey, ...layout.presentValue].filter((x) => !outputNames.includes(x));
  if (missing.length > 0) {
    throw new ModelError(`${file}: graph takes past_key_values but lacks outputs ${missing.slice(0, 4).join(', ')}${missing.length > 4 ? ', ...' : ''}; its outputs are ${outputNames.slice(0, 6).join(', ')}`, file);
  }
  return layout;
}

function genaiKv(file: string, g: NonNullable<ModelFolder['genaiNames']>, inputNames: readonly string[], outputNames: readonly string[], layers: number): KvLayout {
  const expand = (pattern: string) => Array.from({ length: layers }, (_, i) => pattern.replace('%d', String(i)));
  const need = (list: string[], available: readonly string[], kind: string) => {
    const missing = list.filter((n) => !available.includes(n));
    if (missing.length > 0) {
      throw new ModelError(`${file}: genai_config.json declares ${kind} "${missing[0]}", which the graph lacks; graph ${kind}s are ${available.slice(0, 8).join(', ')}`, file);
    }
    return list;
  };
  if (g.past) {
    if (!g.present) throw new ModelError(`${file}: genai_config.json has inputs.past_names but no outputs.present_names`, file);
    return { kind: 'combined', past: need(expand(g.past), inputNames, 'input'), present: need(expand(g.present), outputNames, 'output') };
  }
  if (!g.presentKey || !g.presentValue) {
    throw new ModelError(`${file}: genai_config.json has past_key_names but no outputs.present_key_names / present_value_names`, file);
  }
  return {
    kind: 'separate',
    pastKey: need(expand(g.pastKey!), inputNames, 'input'),
    pastValue: need(expand(g.pastValue!), inputNames, 'input'),
    presentKey: need(expand(g.presentKey), outputNames, 'output'),
    presentValue: need(expand(g.presentValue), outputNames, 'output'),
  };
}
