/**
 * ONNX scorers of reasoning paths. Two kinds, told apart by the graph's output:
 *  - token classification ([batch, sequence, labels]): a TRL-style process reward model, whose
 *    score of step i is the positive-class probability at the last token of step i's separator;
 *  - sequence classification ([batch, labels]): a value model giving one score for the path.
 * The input is built the way TRL's PRMTrainer builds it: BOS (when the tokenizer has one), the
 * prompt, then each step followed by the step separator, every piece tokenized on its own.
 */
import * as ort from 'onnxruntime-node';
import { ModelError } from './errors';
import { readModelFolder, type ModelFolder } from './folder';
import { floatData, intTensor, openSession, type SessionOptions } from './session';
import { TextTokenizer } from './tokenizer';
import type { IdsType } from './signature';

export type ScorerKind = 'process' | 'value';

export interface ScorerLoadOptions extends SessionOptions {
  onnxFile?: string;
  /** Text after each step; default: the config's step_separator, else "\n" (TRL's default). */
  stepSeparator?: string;
  /** Paths per forward pass. */
  batchSize?: number;
  /** A session already opened on the folder's graph. */
  session?: ort.InferenceSession;
}

export interface PathToScore {
  prompt: string;
  steps: readonly string[];
}

export interface PathScores {
  /** Process models: one score in [0, 1] per step. Value models: empty. */
  stepScores: number[];
  /** Score of the whole path: the last step's score (process) or the value (value model). */
  score: number;
}

const POSITIVE = /^(1|label_1|pos|positive|good|correct|\+|true|yes)$/i;

export class OnnxScorer {
  /** Forward passes and the time spent in them (benchmarks: the share of a search inside onnxruntime). */
  readonly stats = { runs: 0, runMs: 0 };

  private constructor(
    readonly folder: ModelFolder,
    readonly kind: ScorerKind,
    readonly tokenizer: TextTokenizer,
    private readonly session: ort.InferenceSession,
    private readonly io: { ids: string; mask: string | null; positions: string | null; tokenTypes: string | null; idsType: IdsType; output: string; outputType: 'float32' | 'float16' },
    private readonly numLabels: number,
    private readonly positive: number,
    readonly stepSeparator: string,
    private readonly batchSize: number,
  ) {}

  static async load(dir: string, options: ScorerLoadOptions = {}): Promise<OnnxScorer> {
    const folder = readModelFolder(dir, { onnxFile: options.onnxFile });
    const tokenizer = TextTokenizer.load(folder.tokenizerPath, folder.tokenizerConfigPath, { bos: folder.bosTokenId, eos: folder.eosTokenIds, pad: folder.padTokenId });
    const session = options.session ?? (await openSession(folder.onnxPath, options));
    try {
      const file = folder.onnxPath;
      const inputs = session.inputNames;
      if (!inputs.includes('input_ids')) {
        throw new ModelError(`${file}: a scorer graph needs an input "input_ids"; its inputs are ${inputs.join(', ')}`, file);
      }
      const known = new Set(['input_ids', 'attention_mask', 'position_ids', 'token_type_ids']);
      const unexpected = inputs.filter((n) => !known.has(n));
      if (unexpected.length > 0) {
        throw new ModelError(
          `${file}: unexpected input names ${unexpected.map((n) => `"${n}"`).join(', ')} for a scorer; expected input_ids, attention_mask and optionally position_ids, token_type_ids` +
            (unexpected.some((n) => n.startsWith('past_')) ? ' (this looks like a causal LM decoder; use it as a policy)' : ''),
          file,
        );
      }
      const output = session.outputNames.includes('logits') ? 'logits' : session.outputNames[0]!;
      const meta = session.outputMetadata.find((m) => m.name === output);
      const idsMeta = session.inputMetadata.find((m) => m.name === 'input_ids');
      const shape = meta?.isTensor ? meta.shape : [];
      const outputType = meta?.isTensor ? meta.type : 'unknown';
      if (outputType !== 'float32' && outputType !== 'float16') {
        throw new ModelError(`${file}: output "${output}" has type ${outputType}; expected float32 or float16 scores`, file);
      }
      const idsType = idsMeta?.isTensor ? idsMeta.type : 'int64';
      if (idsType !== 'int32' && idsType !== 'int64') throw new ModelError(`${file}: input_ids has type ${idsType}; expected int32 or int64`, file);
      let kind: ScorerKind;
      if (shape.length === 3) kind = 'process';
      else if (shape.length === 2) kind = 'value';
      else {
        throw new ModelError(`${file}: output "${output}" has ${shape.length} dimensions; expected [batch, sequence, labels] (token-classification PRM) or [batch, labels] (value model)`, file);
      }
      const last = shape[shape.length - 1];
      const numLabels = typeof last === 'number' ? last : (folder.numLabels ?? 2);
      if (numLabels > 16 || folder.architectures.some((a) => a.endsWith('ForCausalLM'))) {
        throw new ModelError(`${file}: output "${output}" has ${numLabels} classes per position (${folder.architectures.join(', ') || 'no architecture'}); this is a language model, not a PRM or value model`, file);
      }
      const labels = folder.id2label ?? {};
      const named = Object.entries(labels).find(([, name]) => POSITIVE.test(name));
      const positive = named ? Number(named[0]) : numLabels >= 2 ? 1 : 0;
      return new OnnxScorer(
        folder,
        kind,
        tokenizer,
        session,
        {
          ids: 'input_ids',
          mask: inputs.includes('attention_mask') ? 'attention_mask' : null,
          positions: inputs.includes('position_ids') ? 'position_ids' : null,
          tokenTypes: inputs.includes('token_type_ids') ? 'token_type_ids' : null,
          idsType,
          output,
          outputType,
        },
        numLabels,
        positive,
        options.stepSeparator ?? folder.stepSeparator ?? '\n',
        options.batchSize ?? 8,
      );
    } catch (error) {
      await session.release();
      throw error;
    }
  }

  /** Token ids of a path and, per step, the position whose score belongs to that step. */
  encodePath(path: PathToScore): { ids: number[]; stepEnds: number[] } {
    const ids: number[] = [];
    if (this.tokenizer.bosTokenId !== undefined) ids.push(this.tokenizer.bosTokenId);
    ids.push(...this.tokenizer.encode(path.prompt));
    const sep = this.tokenizer.encode(this.stepSeparator);
    const stepEnds: number[] = [];
    for (const step of path.steps) {
      ids.push(...this.tokenizer.encode(step), ...sep);
      stepEnds.push(ids.length - 1);
    }
    return { ids, stepEnds };
  }

  async score(paths: readonly PathToScore[]): Promise<PathScores[]> {
    const out: PathScores[] = [];
    for (let i = 0; i < paths.length; i += this.batchSize) {
      out.push(...(await this.scoreBatch(paths.slice(i, i + this.batchSize))));
    }
    return out;
  }

  async release(): Promise<void> {
    await this.session.release();
  }

  private async scoreBatch(paths: readonly PathToScore[]): Promise<PathScores[]> {
    const encoded = paths.map((p) => this.encodePath(p));
    const rows = encoded.length;
    const width = Math.max(1, ...encoded.map((e) => e.ids.length));
    const pad = this.tokenizer.padTokenId ?? 0;
    // Right padding with a zero mask: a causal or bidirectional model's real positions are unchanged.
    const ids = new Array<number>(rows * width).fill(pad);
    const mask = new Array<number>(rows * width).fill(0);
    encoded.forEach((e, r) => e.ids.forEach((t, i) => ((ids[r * width + i] = t), (mask[r * width + i] = 1))));
    const feeds: Record<string, ort.Tensor> = { [this.io.ids]: intTensor(this.io.idsType, ids, [rows, width]) };
    if (this.io.mask) feeds[this.io.mask] = intTensor(this.io.idsType, mask, [rows, width]);
    if (this.io.positions) feeds[this.io.positions] = intTensor(this.io.idsType, Array.from({ length: rows * width }, (_, i) => i % width), [rows, width]);
    if (this.io.tokenTypes) feeds[this.io.tokenTypes] = intTensor(this.io.idsType, new Array(rows * width).fill(0), [rows, width]);
    const t0 = performance.now();
    const result = await this.session.run(feeds);
    this.stats.runMs += performance.now() - t0;
    this.stats.runs += 1;
    const tensor = result[this.io.output]!;
    const data = floatData(tensor, this.io.outputType);
    const labels = this.numLabels;
    const prob = (offset: number) => this.positiveProbability(data, offset, labels);
    return encoded.map((e, r) => {
      if (this.kind === 'value') return { stepScores: [], score: prob(r * labels) };
      const seq = tensor.dims[1]!;
      const stepScores = e.stepEnds.map((pos) => prob((r * seq + pos) * labels));
      return { stepScores, score: stepScores.length > 0 ? stepScores[stepScores.length - 1]! : Number.NaN };
    });
  }

  /** Positive-class probability: softmax over the labels, or a sigmoid for a single logit. */
  private positiveProbability(data: Float32Array, offset: number, labels: number): number {
    if (labels === 1) return 1 / (1 + Math.exp(-data[offset]!));
    let max = Number.NEGATIVE_INFINITY;
    for (let i = 0; i < labels; i++) max = Math.max(max, data[offset + i]!);
    let sum = 0;
    for (let i = 0; i < labels; i++) sum += Math.exp(data[offset + i]! - max);
    return Math.exp(data[offset + this.positive]! - max) / sum;
  }
}
