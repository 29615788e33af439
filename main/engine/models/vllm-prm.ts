/**
 * A process reward model served by vLLM's pooling endpoint, for PRMs too large for this machine:
 *
 *   vllm-prm:http://host:8000[?sep=<extra_0>&agg=last&chat=on&system=...&timeout_ms=&retries=&concurrency=][#model]
 *
 * Served as `vllm serve Qwen/Qwen2.5-Math-PRM-7B` (vLLM's Qwen2ForProcessRewardModel pools at each
 * step-separator token `<extra_0>`, id 151651, and applies softmax over its two labels). As
 * Qwen's model card prescribes, each path is sent as a chat, the solution's steps each followed by
 * the separator:
 *
 *   POST /pooling {"model": M, "messages": [{system}, {user: question}, {assistant: "s1<extra_0>s2<extra_0>"}]}
 *   → {"data": [{"index": 0, "data": [[p_wrong, p_right], ...one per separator]}], ...}
 *
 * A step's score is its p_right (the last entry of its pair). With `chat=off` the request carries
 * `"input": question + "\n\n" + steps with separators` instead, for PRMs without a chat template
 * (Math-Shepherd's `ки`). `agg` turns step scores into a path score as for ONNX PRMs.
 */
import { z } from 'zod';
import type { CallOptions, PathQuery, Scorer } from '../providers/types';
import type { ProviderSet } from '../providers/provider-set';
import { ModelError } from './errors';
import { JsonEndpoint } from './json-endpoint';
import { OpenAiCompletions } from './openai';
import { aggregateStepScores } from './path-scorer';
import { parseServedSpec, withoutV1 } from './served-scorer-spec';

/** The system prompt of Qwen2.5-Math-PRM's model card. */
export const QWEN_PRM_SYSTEM = 'Please reason step by step, and put your final answer within \\boxed{}.';

const flag = z.enum(['on', 'off', 'true', 'false', '1', '0']).transform((v) => ['on', 'true', '1'].includes(v));

const VllmPrmOptions = {
  sep: z.string().min(1, 'the separator must not be empty').default('<extra_0>'),
  agg: z.enum(['last', 'min', 'prod']).default('last'),
  chat: flag.default(true),
  system: z.string().default(QWEN_PRM_SYSTEM),
};

/** One step's entry: a probability, or a [p_wrong, p_right] pair (the last entry is p_right). */
const StepEntry = z.union([z.number(), z.array(z.number()).min(1)]);
const PoolingResponse = z.looseObject({
  data: z.array(z.looseObject({ index: z.number().int().optional(), data: z.array(StepEntry) })).min(1),
});

export class VllmPrmScorer implements Scorer {
  readonly remote = true;
  private readonly http: JsonEndpoint;
  private readonly models: OpenAiCompletions;
  private readonly poolingUrl: string;

  constructor(
    readonly name: string,
    private readonly spec: ReturnType<typeof parseVllmPrm>,
  ) {
    this.http = new JsonEndpoint({ ...spec.request, label: 'the vLLM pooling endpoint' });
    this.models = new OpenAiCompletions({ baseUrl: spec.baseUrl, model: spec.model, ...spec.request });
    this.poolingUrl = `${withoutV1(spec.baseUrl)}/pooling`;
  }

  async score(requests: readonly PathQuery[], options: CallOptions = {}): Promise<number[]> {
    return Promise.all(requests.map((r) => this.scorePath(r, options.signal)));
  }

  /** Every step's probability of being right, as the served PRM gives it (one request per path; eval-prm asks this way). */
  async scorePathSteps(request: PathQuery, signal?: AbortSignal): Promise<number[]> {
    const { sep, chat, system } = this.spec.options;
    const question = request.problem.prompt;
    const solution = request.steps.map((s) => `${s}${sep}`).join('');
    const model = await this.models.modelName(signal);
    const body = chat
      ? {
          model,
          messages: [
            { role: 'system', content: system },
            { role: 'user', content: question },
            { role: 'assistant', content: solution },
          ],
        }
      : { model, input: `${question}\n\n${solution}` };
    const answer = PoolingResponse.safeParse(await this.http.request('POST', this.poolingUrl, body, signal));
    if (!answer.success) {
      const issue = answer.error.issues[0]!;
      throw new ModelError(`${this.poolingUrl} answered an unexpected shape: ${issue.path.join('.') || '(top level)'}: ${issue.message}`, this.poolingUrl);
    }
    const entries = answer.data.data[0]!.data;
    if (entries.length !== request.steps.length) {
      throw new ModelError(
        `${this.poolingUrl} returned ${entries.length} scores for ${request.steps.length} steps: the model must pool at each step separator ` +
          `("${sep}"; set sep= to the one it was trained with) and the server must pool by step (vLLM does for Qwen2.5-Math-PRM)`,
        this.poolingUrl,
      );
    }
    return entries.map((e, k) => {
      const p = typeof e === 'number' ? e : e[e.length - 1]!;
      if (!(p >= 0 && p <= 1)) throw new ModelError(`${this.poolingUrl} gave step ${k + 1} the score ${p}, not a probability`, this.poolingUrl);
      return p;
    });
  }

  private async scorePath(request: PathQuery, signal?: AbortSignal): Promise<number> {
    if (request.steps.length === 0) return 0.5;
    return aggregateStepScores(await this.scorePathSteps(request, signal), this.spec.options.agg);
  }
}

export function parseVllmPrm(arg: string | undefined) {
  return parseServedSpec('vllm-prm', arg, VllmPrmOptions);
}

export function registerVllmPrm(set: ProviderSet): void {
  set.registerScorer(
    'vllm-prm',
    'A PRM served by vLLM\'s pooling endpoint (vllm-prm:http://host:8000#Qwen/Qwen2.5-Math-PRM-7B; ?sep=, agg=last|min|prod, chat=on|off).',
    (arg) => new VllmPrmScorer(`vllm-prm:${arg}`, parseVllmPrm(arg)),
    (arg) => void parseVllmPrm(arg),
  );
}
