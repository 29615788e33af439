/**
 * The search's Scorer backed by an ONNX PRM or value model (scorer.ts). A process model's step
 * scores are combined into one path score: the last step's (default, what PRM-guided search
 * usually reads), their minimum, or their product.
 */
import type { CallOptions, PathQuery, Scorer } from '../providers/types';
import type { OnnxScorer } from './scorer';

export type Aggregation = 'last' | 'min' | 'prod';

export class OnnxPathScorer implements Scorer {
  constructor(
    readonly name: string,
    readonly model: OnnxScorer,
    private readonly aggregation: Aggregation = 'last',
  ) {}

  async score(requests: readonly PathQuery[], options: CallOptions = {}): Promise<number[]> {
    options.signal?.throwIfAborted();
    const scores = await this.model.score(requests.map((r) => ({ prompt: r.task.prompt(r.problem), steps: r.steps })));
    return scores.map((s) => {
      if (this.model.kind === 'value') return s.score;
      // A process model says nothing about a path with no step yet.
      if (s.stepScores.length === 0) return 0.5;
      if (this.aggregation === 'min') return Math.min(...s.stepScores);
      if (this.aggregation === 'prod') return s.stepScores.reduce((a, b) => a * b, 1);
      return s.stepScores[s.stepScores.length - 1]!;
    });
  }

  async close(): Promise<void> {
    await this.model.release();
  }
}
