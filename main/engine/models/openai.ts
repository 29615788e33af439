/**
 * A policy backed by an OpenAI-compatible completions endpoint (vLLM, SGLang, llama.cpp's
 * server, Ollama): how search runs with a model too large for this machine. One request asks for
 * n continuations of one or several prompts (`n`, `prompt` as a list), stopping at the step
 * delimiter, with token logprobs. Requests go through json-endpoint.ts: the process's request
 * pool, timeouts per attempt, retries with exponential backoff on network errors, 429 and 5xx.
 */
import { z } from 'zod';
import { ModelError } from './errors';
import { JsonEndpoint, serverUrl } from './json-endpoint';

export interface OpenAiOptions {
  /** e.g. http://127.0.0.1:8000 or http://host:8000/v1 */
  baseUrl: string;
  /** Model name the server knows; default: the first one /v1/models lists. */
  model?: string | null;
  apiKey?: string;
  timeoutMs?: number;
  /** Extra attempts after the first. */
  retries?: number;
  /** First backoff; doubles each retry. */
  backoffMs?: number;
  /** Requests of this client in flight at once, below the process-wide pool's limit. */
  concurrency?: number;
}

export interface RemoteStepOptions {
  delimiter: string | null;
  maxTokens: number;
  seed: number;
  temperature?: number;
  topP?: number;
  topK?: number;
}

export interface RemoteStep {
  text: string;
  logprob: number;
  tokenLogprobs: number[];
  tokenCount: number;
  stop: 'delimiter' | 'eos' | 'length';
}

const Choice = z.looseObject({
  text: z.string(),
  index: z.number().int().nonnegative().optional(),
  finish_reason: z.string().nullable().optional(),
  /** vLLM: the stop string or token id that ended the choice; null for EOS. */
  stop_reason: z.union([z.string(), z.number()]).nullable().optional(),
  logprobs: z
    .looseObject({ tokens: z.array(z.string()).optional(), token_logprobs: z.array(z.number().nullable()) })
    .nullable()
    .optional(),
});
const Completion = z.looseObject({ choices: z.array(Choice).min(1) });
const Models = z.looseObject({ data: z.array(z.looseObject({ id: z.string() })).min(1) });

export class OpenAiCompletions {
  readonly root: string;
  private model: string | null;
  private modelLookup: Promise<string> | null = null;
  private readonly http: JsonEndpoint;

  constructor(options: OpenAiOptions) {
    const trimmed = serverUrl(options.baseUrl).href.replace(/\/+$/, '');
    this.root = trimmed.endsWith('/v1') ? trimmed : `${trimmed}/v1`;
    this.model = options.model ?? null;
    this.http = new JsonEndpoint({ ...options, label: 'the completion endpoint' });
  }

  /** The model name requests use: the configured one, else the first the server lists. */
  async modelName(signal?: AbortSignal): Promise<string> {
    if (this.model) return this.model;
    // Concurrent first requests share one lookup; a failed one is not remembered.
    this.modelLookup ??= this.request('GET', '/models', undefined, signal)
      .then((answer) => {
        const models = Models.safeParse(answer);
        if (!models.success) throw new ModelError(`${this.root}/models did not list any model; pass the model name (URL#model)`, this.root);
        return (this.model = models.data.data[0]!.id);
      })
      .catch((error: unknown) => {
        this.modelLookup = null;
        throw error;
      });
    return this.modelLookup;
  }

  /** k sampled continuations of `prompt`, each one step. */
  async sampleSteps(prompt: string, k: number, options: RemoteStepOptions, signal?: AbortSignal): Promise<RemoteStep[]> {
    return (await this.sampleMany([prompt], k, options, signal))[0]!;
  }

  /**
   * n continuations of each prompt in one request (`prompt` as a list; choice `index` is
   * prompt x n + j, as OpenAI's and vLLM's completions number them). The seed is the request's.
   */
  async sampleMany(prompts: readonly string[], n: number, options: RemoteStepOptions, signal?: AbortSignal): Promise<RemoteStep[][]> {
    const body: Record<string, unknown> = {
      model: await this.modelName(signal),
      prompt: prompts.length === 1 ? prompts[0] : prompts,
      n,
      max_tokens: options.maxTokens,
      temperature: options.temperature ?? 1,
      top_p: options.topP ?? 1,
      logprobs: 1,
      seed: options.seed,
    };
    if (options.delimiter) body.stop = [options.delimiter];
    if (options.topK) body.top_k = options.topK; // vLLM/SGLang extension; others ignore it
    const parsed = Completion.safeParse(await this.request('POST', '/completions', body, signal));
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new ModelError(`${this.root}/completions answered an unexpected shape: ${issue?.path.join('.') || '(top level)'}: ${issue?.message}`, this.root);
    }
    const choices = parsed.data.choices;
    if (prompts.length > 1 && choices.some((c) => c.index === undefined || c.index >= prompts.length * n)) {
      throw new ModelError(`${this.root}/completions answered ${prompts.length} prompts without numbering each choice (index 0..${prompts.length * n - 1})`, this.root);
    }
    const perPrompt: RemoteStep[][] = prompts.map(() => []);
    for (const c of [...choices].sort((a, b) => (a.index ?? 0) - (b.index ?? 0))) {
      perPrompt[Math.floor((c.index ?? 0) / n)]!.push(toStep(c, options.delimiter));
    }
    return perPrompt;
  }

  private request(method: 'GET' | 'POST', path: string, body: unknown, signal: AbortSignal | undefined): Promise<unknown> {
    return this.http.request(method, `${this.root}${path}`, body, signal);
  }
}

function toStep(c: z.infer<typeof Choice>, delimiter: string | null): RemoteStep {
  const lps = (c.logprobs?.token_logprobs ?? []).map((x) => x ?? 0);
  let text = c.text;
  // Servers drop the stop string; some keep it when include_stop_str_in_output is on.
  if (delimiter && text.includes(delimiter)) text = text.slice(0, text.indexOf(delimiter));
  const stop: RemoteStep['stop'] =
    c.finish_reason === 'length' ? 'length' : c.stop_reason === null || typeof c.stop_reason === 'number' || !delimiter ? 'eos' : 'delimiter';
  return { text, logprob: lps.reduce((a, b) => a + b, 0), tokenLogprobs: lps, tokenCount: lps.length, stop };
}
