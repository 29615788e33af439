/**
 * A causal language model loaded from a model folder: tokenizer, ONNX session and the graph's
 * signature, plus one primitive, `extend`, that feeds tokens after a cached state and returns
 * the next-token logits of every row. Generation, caching and scoring are built on it.
 */
import * as ort from 'onnxruntime-node';
import { ModelError } from './errors';
import { readModelFolder, type ModelFolder } from './folder';
import { appendKv, emptyKv, kvFromOutputs, kvToFeeds, reserveKv, rowView, selectKv, type KvState } from './kv';
import { filledTensor, floatData, intTensor, openSession, type SessionOptions } from './session';
import { readDecoderSignature, type DecoderSignature } from './signature';
import { TextTokenizer } from './tokenizer';

/** Sequences after some forward passes: every row holds the same number of fed tokens. */
export interface LmState {
  rows: number;
  /** Tokens fed so far, per row. */
  tokens: number[][];
  /** Keys/values of exactly those tokens; null for graphs without a KV cache. */
  kv: KvState | null;
}

export interface LoadOptions extends SessionOptions {
  /** Which ONNX file of an optimum folder to use (e.g. onnx/model_fp16.onnx). */
  onnxFile?: string;
  /** A session already opened on the folder's graph (model check inspects before loading). */
  session?: ort.InferenceSession;
}

/** Time and work inside onnxruntime, for the benchmark's "share of time in the runtime". */
export interface RunStats {
  runs: number;
  runMs: number;
  tokensFed: number;
}

export class CausalLM {
  readonly stats: RunStats = { runs: 0, runMs: 0, tokensFed: 0 };

  private constructor(
    readonly folder: ModelFolder,
    readonly signature: DecoderSignature,
    readonly tokenizer: TextTokenizer,
    readonly vocabSize: number,
    private readonly session: ort.InferenceSession,
  ) {}

  static async load(dir: string, options: LoadOptions = {}): Promise<CausalLM> {
    const folder = readModelFolder(dir, { onnxFile: options.onnxFile });
    const tokenizer = TextTokenizer.load(folder.tokenizerPath, folder.tokenizerConfigPath, {
      bos: folder.bosTokenId,
      eos: folder.eosTokenIds,
      pad: folder.padTokenId,
    });
    const session = options.session ?? (await openSession(folder.onnxPath, options));
    try {
      const signature = readDecoderSignature(folder, session);
      const logitsMeta = session.outputMetadata.find((m) => m.name === signature.logits);
      const lastDim = logitsMeta?.isTensor ? logitsMeta.shape[logitsMeta.shape.length - 1] : undefined;
      const vocabSize = typeof lastDim === 'number' ? lastDim : (folder.vocabSize ?? tokenizer.vocabSize);
      if (tokenizer.vocabSize > vocabSize) {
        throw new ModelError(`${folder.tokenizerPath} has ${tokenizer.vocabSize} tokens but the graph's logits have ${vocabSize}; tokenizer and model do not match`, folder.tokenizerPath);
      }
      return new CausalLM(folder, signature, tokenizer, vocabSize, session);
    } catch (error) {
      await session.release();
      throw error;
    }
  }

  get contextLength(): number {
    return this.folder.contextLength ?? Number.POSITIVE_INFINITY;
  }

  get hasKvCache(): boolean {
    return this.signature.kv !== null;
  }

  /** A state with nothing fed yet. */
  emptyState(rows = 1): LmState {
    return { rows, tokens: Array.from({ length: rows }, () => []), kv: this.signature.kv ? emptyKv(this.signature, rows) : null };
  }

  /**
   * Feeds `tokens` (one equal-length list per row) after `state` and returns each row's logits
   * at its last position plus the new state. Graphs without a KV cache re-encode every row.
   */
  async extend(state: LmState, tokens: number[][]): Promise<{ logits: Float32Array[]; state: LmState }> {
    const rows = state.rows;
    const n = tokens[0]?.length ?? 0;
    if (tokens.length !== rows || n === 0 || tokens.some((t) => t.length !== n)) {
      throw new Error(`extend needs ${rows} non-empty rows of equal length`);
    }
    const past = state.tokens[0]!.length;
    if (past + n > this.contextLength) {
      throw new ModelError(`a sequence of ${past + n} tokens exceeds the model's context length of ${this.contextLength}`, this.folder.configPath);
    }
    const all = state.tokens.map((t, r) => t.concat(tokens[r]!));
    if (!state.kv) {
      const outputs = await this.run(all, 0, null);
      return { logits: this.lastLogits(outputs, rows), state: { rows, tokens: all, kv: null } };
    }
    if (this.signature.kvMode === 'static') {
      // The graph reads the buffer as it is and returns only the n new positions: no whole-cache copy.
      const target = reserveKv(state.kv, n);
      const outputs = await this.run(tokens, past, state.kv);
      return { logits: this.lastLogits(outputs, rows), state: { rows, tokens: all, kv: this.wrap(() => appendKv(this.signature, target, outputs, n)) } };
    }
    const outputs = await this.run(tokens, past, state.kv);
    return { logits: this.lastLogits(outputs, rows), state: { rows, tokens: all, kv: this.wrap(() => kvFromOutputs(this.signature, outputs, rows, past, n)) } };
  }

  /** A layout mismatch found at run time, as a ModelError naming the graph. */
  private wrap<T>(read: () => T): T {
    try {
      return read();
    } catch (error) {
      throw new ModelError(`${this.folder.onnxPath}: ${(error as Error).message}`, this.folder.onnxPath);
    }
  }

  /** Logits at every position of one sequence, encoded from scratch (scoring and checks). */
  async fullLogits(ids: number[]): Promise<Float32Array[]> {
    const outputs = await this.run([ids], 0, this.signature.kv ? emptyKv(this.signature, 1) : null);
    const t = outputs[this.signature.logits]!;
    const data = floatData(t, this.signature.logitsType);
    const [, s, v] = t.dims as [number, number, number];
    return Array.from({ length: s }, (_, i) => data.slice(i * v, (i + 1) * v));
  }

  /**
   * Rows of a state, in order (repeats tile a row), cut to `length` fed tokens; `room` positions
   * to come are allocated with it where the graph takes a fixed-capacity buffer (static layout).
   */
  selectRows(state: LmState, rows: readonly number[], length = state.tokens[0]!.length, room = 0): LmState {
    const capacity = this.signature.kvMode === 'static' ? length + room : length;
    return {
      rows: rows.length,
      tokens: rows.map((r) => state.tokens[r]!.slice(0, length)),
      kv: state.kv ? selectKv(state.kv, rows, length, capacity) : null,
    };
  }

  /**
   * One row of a state on its own (a finished child, for the cache). Static layout: a view on
   * the batch's buffer, no copy (the batch then copies before appending again); else a copy.
   */
  rowState(state: LmState, r: number): LmState {
    if (!state.kv || this.signature.kvMode !== 'static') return this.selectRows(state, [r]);
    return { rows: 1, tokens: [state.tokens[r]!], kv: rowView(state.kv, r) };
  }

  async release(): Promise<void> {
    await this.session.release();
  }

  private async run(rowsTokens: number[][], start: number, kv: KvState | null): Promise<Record<string, ort.Tensor>> {
    const sig = this.signature;
    const rows = rowsTokens.length;
    const n = rowsTokens[0]!.length;
    const feeds: Record<string, ort.Tensor> = {
      [sig.inputIds]: intTensor(sig.idsType, rowsTokens.flat(), [rows, n]),
    };
    if (sig.attentionMask) feeds[sig.attentionMask] = this.mask(rows, start, kv ? kv.capacity : start, n);
    if (sig.positionIds) {
      const pos = new Array<number>(rows * n);
      for (let r = 0; r < rows; r++) for (let i = 0; i < n; i++) pos[r * n + i] = start + i;
      feeds[sig.positionIds] = intTensor(sig.positionsType, pos, [rows, n]);
    }
    if (sig.tokenTypeIds) feeds[sig.tokenTypeIds] = filledTensor(sig.idsType, 0, [rows, n]);
    if (sig.useCacheBranch) {
      feeds[sig.useCacheBranch] = new ort.Tensor('bool', Uint8Array.of(start > 0 ? 1 : 0), [1]);
    }
    if (kv) kvToFeeds(sig, kv, feeds);
    const t0 = performance.now();
    const outputs = await this.session.run(feeds);
    this.stats.runMs += performance.now() - t0;
    this.stats.runs += 1;
    this.stats.tokensFed += rows * n;
    return outputs;
  }

  /**
   * Ones over the cached positions and the new tokens: [rows, capacity + n], zero over a static
   * buffer's free slots [start, capacity) (a full-layout state has no free slots).
   */
  private mask(rows: number, start: number, capacity: number, n: number): ort.Tensor {
    const sig = this.signature;
    if (capacity === start) return filledTensor(sig.maskType, 1, [rows, start + n]);
    const width = capacity + n;
    const data = sig.maskType === 'int32' ? new Int32Array(rows * width) : new BigInt64Array(rows * width);
    const one = (sig.maskType === 'int32' ? 1 : 1n) as never;
    for (let r = 0; r < rows; r++) data.fill(one, r * width, r * width + start).fill(one, r * width + capacity, (r + 1) * width);
    return new ort.Tensor(sig.maskType, data, [rows, width]);
  }

  private lastLogits(outputs: Record<string, ort.Tensor>, rows: number): Float32Array[] {
    const t = outputs[this.signature.logits]!;
    const data = floatData(t, this.signature.logitsType);
    const dims = t.dims;
    const v = dims[dims.length - 1]!;
    const s = dims.length === 3 ? dims[1]! : 1;
    return Array.from({ length: rows }, (_, r) => data.subarray((r * s + s - 1) * v, (r * s + s) * v));
  }
}
