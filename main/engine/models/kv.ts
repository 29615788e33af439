/**
 * Keys and values of a batch of sequences, kept in one normalized form whatever the graph's
 * layout: per layer, a key and a value array shaped [rows, heads, capacity, headDim] holding
 * `length` positions per row. For graphs that return the whole cache (full layout) capacity is
 * length; the combined `past_%d` form ([2, rows, heads, length, headDim]) is exactly a key block
 * followed by a value block, so reading it costs no copy. For static-layout graphs the arrays are
 * a buffer with room to spare: the graph reads it as it is (the mask hides the free slots) and
 * returns only the new positions, which `appendKv` writes in place. Arrays are Float32Array
 * (float32) or Uint16Array (float16 bits), and are copied, never converted.
 */
import * as ort from 'onnxruntime-node';
import type { DecoderSignature, FloatType } from './signature';

export type KvArray = Float32Array | Uint16Array;

export interface KvState {
  rows: number;
  /** Positions held per row. */
  length: number;
  /** Positions allocated per row (the arrays' third axis); length for full-layout graphs. */
  capacity: number;
  /** Shared by every state viewing the same arrays. */
  buffer: KvBuffer;
  heads: number;
  headDim: number;
  type: FloatType;
  layers: { key: KvArray; value: KvArray }[];
}

/**
 * Bookkeeping of one set of arrays, shared by the states that view them. `written`: positions
 * written so far; a state may append in place only while its length is this frontier, so no
 * state's positions ever change. `lent`: rows handed out as one-row views (a finished child kept
 * by the cache); appends skip them, so a view's own free slots stay its own.
 */
export interface KvBuffer {
  written: number;
  lent: Set<number>;
}

const newBuffer = (written: number): KvBuffer => ({ written, lent: new Set() });

function alloc(type: FloatType, n: number): KvArray {
  return type === 'float32' ? new Float32Array(n) : new Uint16Array(n);
}

/** An array whose contents are left as they are: the caller writes every element. */
function allocUninitialized(type: FloatType, n: number): KvArray {
  const per = type === 'float32' ? 4 : 2;
  const bytes = Buffer.allocUnsafeSlow(n * per);
  return type === 'float32' ? new Float32Array(bytes.buffer, bytes.byteOffset, n) : new Uint16Array(bytes.buffer, bytes.byteOffset, n);
}

export function emptyKv(sig: DecoderSignature, rows: number): KvState {
  return {
    rows,
    length: 0,
    capacity: 0,
    buffer: newBuffer(0),
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

/** The error for a run whose present keys/values do not span what the declared layout says. */
function layoutMismatch(sig: DecoderSignature, name: string, got: number, expected: number, past: number): Error {
  const declared = sig.kvMode === 'static' ? 'metacot_kv_layout "static" (present = the new tokens only)' : 'the full KV layout (present = past + new tokens)';
  return new Error(`"${name}" returned ${got} positions after ${past} cached + ${expected - past} new tokens, expected ${sig.kvMode === 'static' ? expected - past : expected} for ${declared}; check metacot_kv_layout in config.json`);
}

/** The present KV of a full-layout run, as views on the output tensors (no copy). */
export function kvFromOutputs(sig: DecoderSignature, outputs: Record<string, ort.Tensor>, rows: number, past: number, n: number): KvState {
  const expectedLength = past + n;
  const kv = sig.kv!;
  const layers: KvState['layers'] = [];
  for (let i = 0; i < sig.numLayers; i++) {
    const name = kv.kind === 'separate' ? kv.presentKey[i]! : kv.present[i]!;
    const t = outputs[name]!;
    const length = kv.kind === 'separate' ? t.dims[2]! : t.dims[3]!;
    if (length !== expectedLength) throw layoutMismatch(sig, name, length, expectedLength, past);
    if (kv.kind === 'separate') {
      layers.push({ key: asKvArray(t.data, name), value: asKvArray(outputs[kv.presentValue[i]!]!.data, kv.presentValue[i]!) });
    } else {
      const all = asKvArray(t.data, name);
      const half = all.length / 2;
      layers.push({ key: all.subarray(0, half), value: all.subarray(half) });
    }
  }
  return { rows, length: expectedLength, capacity: expectedLength, buffer: newBuffer(expectedLength), heads: sig.kvHeads, headDim: sig.headDim, type: sig.kvType, layers };
}

/** Capacity to allocate for `needed` positions: some room to grow, in steps of 64. */
export const roomFor = (needed: number): number => Math.ceil((needed + 32) / 64) * 64;

/**
 * The state that the next `n` positions of a static-layout run will be written into: `state`'s
 * own arrays when it is at their frontier and they have room (claimed now, before the run is
 * awaited, so a concurrent extend of the same state copies instead), else a copy with room.
 */
export function reserveKv(state: KvState, n: number): KvState {
  const needed = state.length + n;
  if (state.buffer.written === state.length && state.capacity >= needed) {
    state.buffer.written = needed;
    return state;
  }
  const copy = selectKv(state, Array.from({ length: state.rows }, (_, r) => r), state.length, roomFor(needed));
  copy.buffer.written = needed;
  return copy;
}

/**
 * Writes a static-layout run's new keys/values (present = [rows, heads, n, headDim]) after
 * `target`'s positions, except in rows lent out as views (their run was for nothing).
 */
export function appendKv(sig: DecoderSignature, target: KvState, outputs: Record<string, ort.Tensor>, n: number): KvState {
  const kv = sig.kv!;
  if (kv.kind !== 'separate') throw new Error('static KV layout needs separate key/value tensors');
  const { rows, heads, headDim, capacity, length } = target;
  const span = n * headDim;
  for (let i = 0; i < sig.numLayers; i++) {
    for (const [name, dst] of [[kv.presentKey[i]!, target.layers[i]!.key], [kv.presentValue[i]!, target.layers[i]!.value]] as const) {
      const t = outputs[name]!;
      if (t.dims[2] !== n) throw layoutMismatch(sig, name, t.dims[2]!, length + n, length);
      const src = asKvArray(t.data, name);
      for (let r = 0; r < rows; r++) {
        if (target.buffer.lent.has(r)) continue;
        for (let rh = r * heads; rh < (r + 1) * heads; rh++) dst.set(src.subarray(rh * span, (rh + 1) * span), (rh * capacity + length) * headDim);
      }
    }
  }
  return { ...target, length: length + n };
}

/**
 * Row `r` of a static-layout state on its own without a copy: views on that row's slice of the
 * batch's arrays (contiguous, rows being the outer axis), with its own bookkeeping. The row is
 * lent: the batch's later appends skip it, so the view's free slots stay its own. A row already
 * lent is copied instead.
 */
export function rowView(state: KvState, r: number): KvState {
  if (state.buffer.lent.has(r)) return selectKv(state, [r]);
  state.buffer.lent.add(r);
  const per = state.heads * state.capacity * state.headDim;
  return {
    ...state,
    rows: 1,
    buffer: newBuffer(state.length),
    layers: state.layers.map((l) => ({ key: l.key.subarray(r * per, (r + 1) * per), value: l.value.subarray(r * per, (r + 1) * per) })),
  };
}

/** Graph inputs for a KV state (the whole buffer: a static graph's mask hides the free slots). */
export function kvToFeeds(sig: DecoderSignature, state: KvState, feeds: Record<string, ort.Tensor>): void {
  const kv = sig.kv!;
  const dims = [state.rows, state.heads, state.capacity, state.headDim];
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
 * (a causal model's keys for a prefix are the prefix of its keys). `capacity` (static layout
 * only) leaves room for positions to come.
 */
export function selectKv(state: KvState, rowIndices: readonly number[], length = state.length, capacity = length): KvState {
  if (length > state.length) throw new Error(`cannot take ${length} positions from a KV state of ${state.length}`);
  if (capacity < length) throw new Error(`a KV capacity of ${capacity} cannot hold ${length} positions`);
  const { heads, headDim } = state;
  const srcRow = heads * state.capacity * headDim;
  const dstRow = heads * capacity * headDim;
  const span = length * headDim;
  // Every element is written below (copied, or zeroed free slots, which a static graph's mask
  // hides but which must hold finite numbers), so the arrays need no zero-filling first.
  const copy = (src: KvArray): KvArray => {
    const dst = allocUninitialized(state.type, rowIndices.length * dstRow);
    rowIndices.forEach((r, out) => {
      if (capacity === state.capacity && length === state.length) {
        dst.set(src.subarray(r * srcRow, (r + 1) * srcRow), out * dstRow);
        return;
      }
      for (let h = 0; h < heads; h++) {
        const from = r * srcRow + h * state.capacity * headDim;
        const to = out * dstRow + h * capacity * headDim;
        dst.set(src.subarray(from, from + span), to);
        dst.fill(0, to + span, to + capacity * headDim);
      }
    });
    return dst;
  };
  return {
    ...state,
    rows: rowIndices.length,
    length,
    capacity,
    buffer: newBuffer(length),
    layers: state.layers.map((l) => ({ key: copy(l.key), value: copy(l.value) })),
  };
}
