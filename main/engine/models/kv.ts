/**
 * Keys and values of a batch of sequences, kept in one normalized form whatever the graph's
 * layout: per layer, a key and a value array shaped [rows, heads, length, headDim]. The combined
 * `past_%d` form ([2, rows, heads, length, headDim]) is exactly a key block followed by a value
 * block, so reading it costs no copy. Arrays are Float32Array (float32) or Uint16Array (float16
 * bits), and are copied, never converted.
 */
import * as ort from 'onnxruntime-node';
import type { DecoderSignature, FloatType } from './signature';

export type KvArray = Float32Array | Uint16Array;

export interface KvState {
  rows: number;
  /** Positions held per row. */
  length: number;
  heads: number;
  headDim: number;
  type: FloatType;
  layers: { key: KvArray; value: KvArray }[];
}

function alloc(type: FloatType, n: number): KvArray {
  return type === 'float32' ? new Float32Array(n) : new Uint16Array(n);
}

export function kvBytes(state: KvState): number {
  const per = state.type === 'float32' ? 4 : 2;
  return state.layers.length * 2 * state.rows * state.heads * state.length * state.headDim * per;
}

export function emptyKv(sig: DecoderSignature, rows: number): KvState {
  return {
    rows,
    length: 0,
    heads: sig.kvHeads,
    headDim: sig.headDim,
    type: sig.kvType,
    layers: Array.from({ length: sig.numLayers }, () => ({ key: alloc(sig.kvType, 0), value: alloc(sig.kvType, 0) })),
  };
}

function asKvArray(data: unknown, name: string): KvArray {
  if (data instanceof Float32Array || data instanceof Uint16Array) return data;
  // Float16Array (newer runtimes) shares Uint16Array's layout: reinterpret its bytes.
  if (ArrayBuffer.isView(data)) return new Uint16Array(data.buffer, data.byteOffset, data.byteLength / 2);
  throw new Error(`KV output "${name}" is not a numeric tensor`);
}

/** The present KV of a run, as views on the output tensors (no copy). */
export function kvFromOutputs(sig: DecoderSignature, outputs: Record<string, ort.Tensor>, rows: number): KvState {
  const kv = sig.kv!;
  const layers: KvState['layers'] = [];
  let length = 0;
  for (let i = 0; i < sig.numLayers; i++) {
    if (kv.kind === 'separate') {
      const k = outputs[kv.presentKey[i]!]!;
      const v = outputs[kv.presentValue[i]!]!;
      length = k.dims[2]!;
      layers.push({ key: asKvArray(k.data, kv.presentKey[i]!), value: asKvArray(v.data, kv.presentValue[i]!) });
    } else {
      const t = outputs[kv.present[i]!]!;
      length = t.dims[3]!;
      const all = asKvArray(t.data, kv.present[i]!);
      const half = all.length / 2;
      layers.push({ key: all.subarray(0, half), value: all.subarray(half) });
    }
  }
  return { rows, length, heads: sig.kvHeads, headDim: sig.headDim, type: sig.kvType, layers };
}

/** Graph inputs for a KV state. */
export function kvToFeeds(sig: DecoderSignature, state: KvState, feeds: Record<string, ort.Tensor>): void {
  const kv = sig.kv!;
  const dims = [state.rows, state.heads, state.length, state.headDim];
  for (let i = 0; i < sig.numLayers; i++) {
    const { key, value } = state.layers[i]!;
    if (kv.kind === 'separate') {
      feeds[kv.pastKey[i]!] = new ort.Tensor(state.type, key, dims);
      feeds[kv.pastValue[i]!] = new ort.Tensor(state.type, value, dims);
    } else {
      const both = alloc(state.type, key.length * 2);
      both.set(key, 0);
      both.set(value, key.length);
      feeds[kv.past[i]!] = new ort.Tensor(state.type, both, [2, ...dims]);
    }
  }
}

/**
 * Copies chosen rows (in order, repeats allowed), keeping the first `length` positions of each:
 * selecting siblings out of a batch, tiling a parent k times, or cutting a row to a prefix
 * (a causal model's keys for a prefix are the prefix of its keys).
 */
export function selectKv(state: KvState, rowIndices: readonly number[], length = state.length): KvState {
  if (length > state.length) throw new Error(`cannot take ${length} positions from a KV state of ${state.length}`);
  const { heads, headDim } = state;
  const srcRow = heads * state.length * headDim;
  const dstRow = heads * length * headDim;
  const span = length * headDim;
  const copy = (src: KvArray): KvArray => {
    const dst = alloc(state.type, rowIndices.length * dstRow);
    rowIndices.forEach((r, out) => {
      if (length === state.length) {
        dst.set(src.subarray(r * srcRow, (r + 1) * srcRow), out * dstRow);
        return;
      }
      for (let h = 0; h < heads; h++) {
        const from = r * srcRow + h * state.length * headDim;
        dst.set(src.subarray(from, from + span), out * dstRow + h * span);
      }
    });
    return dst;
  };
  return {
    ...state,
    rows: rowIndices.length,
    length,
    layers: state.layers.map((l) => ({ key: copy(l.key), value: copy(l.value) })),
  };
}
