/**
 * Opening an ONNX graph with onnxruntime-node, with a clear error when it cannot be loaded, and
 * small tensor helpers shared by the decoder and the scorers.
 */
import * as ort from 'onnxruntime-node';
import { ModelError, reason } from './errors';
import type { FloatType, IdsType } from './signature';

export interface SessionOptions {
  /** Threads for one operator; default: onnxruntime's choice (all cores). */
  threads?: number;
}

export async function openSession(file: string, options: SessionOptions = {}): Promise<ort.InferenceSession> {
  try {
    // Created from the path so external weight files (model.onnx_data) resolve beside it.
    return await ort.InferenceSession.create(file, {
      graphOptimizationLevel: 'all',
      executionMode: 'sequential',
      ...(options.threads ? { intraOpNumThreads: options.threads, interOpNumThreads: 1 } : {}),
    });
  } catch (error) {
    throw new ModelError(`${file}: the ONNX graph failed to load in onnxruntime: ${reason(error).split('\n')[0]}`, file);
  }
}

/** Integer tensor of the graph's id type from a flat row-major list. */
export function intTensor(type: IdsType, values: ArrayLike<number>, dims: number[]): ort.Tensor {
  if (type === 'int32') return new ort.Tensor('int32', Int32Array.from(values), dims);
  const data = new BigInt64Array(values.length);
  for (let i = 0; i < values.length; i++) data[i] = BigInt(values[i]!);
  return new ort.Tensor('int64', data, dims);
}

/** Filled integer tensor (attention masks of ones, zero token types). */
export function filledTensor(type: IdsType, value: number, dims: number[]): ort.Tensor {
  const n = dims.reduce((a, b) => a * b, 1);
  return type === 'int32' ? new ort.Tensor('int32', new Int32Array(n).fill(value), dims) : new ort.Tensor('int64', new BigInt64Array(n).fill(BigInt(value)), dims);
}

/** IEEE half-precision bits to a number. */
export function halfToFloat(h: number): number {
  const sign = h & 0x8000 ? -1 : 1;
  const exp = (h >> 10) & 0x1f;
  const frac = h & 0x3ff;
  if (exp === 0) return sign * frac * 2 ** -24;
  if (exp === 0x1f) return frac ? Number.NaN : sign * Number.POSITIVE_INFINITY;
  return sign * (1 + frac / 1024) * 2 ** (exp - 15);
}

/** A float tensor's values as float32, converting from float16 when needed. */
export function floatData(tensor: ort.Tensor, type: FloatType): Float32Array {
  if (type === 'float32') return tensor.data as Float32Array;
  const src = tensor.data as ArrayLike<number>;
  // Uint16Array holds half bits; a native Float16Array already holds numbers.
  if (src instanceof Uint16Array) return Float32Array.from(src, halfToFloat);
  return Float32Array.from(src);
}
