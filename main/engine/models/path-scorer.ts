/**
 * The search's Scorer backed by an ONNX PRM or value model (scorer.ts). A process model's step
 * scores are combined into one path score: the last step's (default, what PRM-guided search
 * usually reads), their minimum, or their product.
 */
import type { CallOptions, PathQuery, Scorer } from '../providers/types';
import type { OnnxScorer } from './scorer';

export type Aggregation = 'last' | 'min' | 'prod';

/** A process model's step scores as one path score (also used by the served PRM scorers). */
export function aggregateStepScores(stepScores: readonly number[], how: Aggregation): number {
  if (stepScores.length === 0) return 0.5; // a process model says nothing about a path with no step yet
  if (how === 'min') return Math.min(...stepScores);
  if (how === 'prod') return stepScores.reduce((a, b) => a * b, 1);
  return stepScores[stepScores.length - 1]!;
}

export class OnnxPathScorer implements Scorer {
  constructor(
    readonly name: string,
    readonly model: OnnxScorer,
    private readonly aggregation: Aggregation = 'last',
  ) {}

  async score(requests: readonly PathQuery[], options: CallOptions = {}): Promise<number[]> {
    options.signal?.throwIfAborted();
    const scores = await this.model.score(requests.map((r) => ({ prompt: r.task.prompt(r.problem), steps: r.steps })));
    return scores.map((s) => (this.model.kind === 'value' ? s.score : aggregateStepScores(s.stepScores, this.aggregation)));
  }

  async close(): Promise<void> {
    await this.model.release();
  }
}
