/**
 * The search's Policy backed by an OpenAI-compatible completions endpoint. Each request is one
 * HTTP call asking for its k children (`n: k`); a batch of requests goes out concurrently (up to
 * a limit) so servers with continuous batching (vLLM, SGLang) see them together.
 */
import type { CallOptions, Policy, Proposal, ProposeRequest } from '../providers/types';
import { pathText } from '../tasks/text';
import { OpenAiCompletions, type OpenAiOptions } from './openai';
import { mixSeed } from './sampling';

export interface HttpPolicyOptions extends OpenAiOptions {
  maxTokens: number;
  temperature?: number;
  topP?: number;
  topK?: number;
  /** Requests in flight at once. */
  concurrency?: number;
}

export class HttpPolicy implements Policy {
  readonly client: OpenAiCompletions;

  constructor(
    readonly name: string,
    private readonly options: HttpPolicyOptions,
  ) {
    this.client = new OpenAiCompletions(options);
  }

  async propose(requests: readonly ProposeRequest[], options: CallOptions = {}): Promise<Proposal[][]> {
    const out: Proposal[][] = requests.map(() => []);
    let next = 0;
    const worker = async () => {
      while (next < requests.length) {
        options.signal?.throwIfAborted();
        const i = next++;
        const r = requests[i]!;
        if (r.k <= 0) continue;
        const steps = await this.client.sampleSteps(pathText(r.task, r.problem, r.steps), r.k, {
          delimiter: r.task.stepDelimiter,
          maxTokens: this.options.maxTokens,
          seed: mixSeed(r.seed) & 0x7fffffff,
          temperature: this.options.temperature,
          topP: this.options.topP,
          topK: this.options.topK,
        });
        out[i] = steps.map((s) => ({ text: s.text, logprob: s.logprob, tokenCount: s.tokenCount })).sort((a, b) => b.logprob - a.logprob);
      }
    };
    await Promise.all(Array.from({ length: Math.min(this.options.concurrency ?? 8, requests.length) }, worker));
    return out;
  }
}
