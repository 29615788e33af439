/**
 * The search's Policy backed by an OpenAI-compatible completions endpoint. A policy call becomes
 * requests the way the server prefers them: a request's k children are asked as `n` (split into
 * several requests of at most `maxN` where a server caps n), and up to `promptsPerRequest` paths
 * that want the same n share one request (`prompt` as a list). The split depends only on the call,
 * never on timing, so each request's seed (derived from its first path's seed) and so the tree are
 * the same whatever the concurrency. All requests of a call go out at once; the process's request
 * pool decides how many are in flight.
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
  /** Most continuations asked in one request (`n`); default: all k of a path at once. */
  maxN?: number;
  /** Paths asked in one request (`prompt` as a list); default 1. */
  promptsPerRequest?: number;
}

/** Part of a path's k: `n` continuations drawn with `seed`. */
interface Share {
  request: number;
  prompt: string;
  n: number;
  seed: number;
}

export class HttpPolicy implements Policy {
  readonly client: OpenAiCompletions;
  /** Calls wait on the server, not on this thread: a batch overlaps many runs' calls. */
  readonly remote = true;

  constructor(
    readonly name: string,
    private readonly options: HttpPolicyOptions,
  ) {
    this.client = new OpenAiCompletions(options);
  }

  async propose(requests: readonly ProposeRequest[], options: CallOptions = {}): Promise<Proposal[][]> {
    const out: Proposal[][] = requests.map(() => []);
    const groups = this.plan(requests);
    const answers = await Promise.all(
      groups.map((group) =>
        this.client.sampleMany(
          group.map((s) => s.prompt),
          group[0]!.n,
          {
            delimiter: requests[group[0]!.request]!.task.stepDelimiter,
            maxTokens: this.options.maxTokens,
            seed: group[0]!.seed,
            temperature: this.options.temperature,
            topP: this.options.topP,
            topK: this.options.topK,
          },
          options.signal,
        ),
      ),
    );
    // Shares are assembled in plan order, so completion order never shows in the result.
    groups.forEach((group, g) => group.forEach((share, j) => out[share.request]!.push(...answers[g]![j]!.map((s) => ({ text: s.text, logprob: s.logprob, tokenCount: s.tokenCount })))));
    return out.map((proposals) => proposals.sort((a, b) => b.logprob - a.logprob));
  }

  /** The call's requests as HTTP requests: each k split by maxN, then same-n shares merged in order. */
  private plan(requests: readonly ProposeRequest[]): Share[][] {
    const maxN = this.options.maxN ?? Number.POSITIVE_INFINITY;
    const perRequest = this.options.promptsPerRequest ?? 1;
    const shares: Share[] = [];
    requests.forEach((r, request) => {
      const prompt = pathText(r.task, r.problem, r.steps);
      for (let part = 0, left = r.k; left > 0; part++, left -= maxN) {
        // The first part keeps the seed one whole request always had.
        const seed = (part === 0 ? mixSeed(r.seed) : mixSeed(r.seed, part)) & 0x7fffffff;
        shares.push({ request, prompt, n: Math.min(left, maxN), seed });
      }
    });
    const groups: Share[][] = [];
    const open = new Map<number, Share[]>();
    for (const share of shares) {
      let group = open.get(share.n);
      if (!group || group.length >= perRequest) {
        group = [];
        groups.push(group);
        open.set(share.n, group);
      }
      group.push(share);
    }
    return groups;
  }
}
