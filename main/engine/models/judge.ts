/**
 * An LLM judge as a scorer, over an OpenAI-compatible chat endpoint, with ProcessBench's critic
 * protocol: the model reads the problem and the numbered steps (`<paragraph_i>` tags, from 0) and
 * puts the index of the earliest wrong step, or -1, in `\boxed{}`.
 *
 *   judge:http://host:8000/v1[?max_tokens=4096&temperature=0&votes=1&timeout_ms=&retries=&concurrency=][#model]
 *
 * With `votes=N` the endpoint samples N critiques at once (`n`, temperature 0.7 unless given) and
 * the step most of them name wins, as ProcessBench's majority voting.
 *
 * `eval-prm` asks for a whole solution at once (`scorePathSteps`): steps before the one the judge
 * names score 1, the rest 0, so the first step below any threshold is the step it names. As a
 * search scorer a path scores 1 when the judge finds no error in it and 0 when it does; a path that
 * extends one already found wrong is wrong without another call (the earliest error stays put).
 */
import { z } from 'zod';
import { extractBoxed } from '../tasks/math-boxed';
import type { CallOptions, PathQuery, Scorer } from '../providers/types';
import type { ProviderSet } from '../providers/provider-set';
import { ModelError } from './errors';
import { JsonEndpoint } from './json-endpoint';
import { OpenAiCompletions } from './openai';
import { parseServedSpec } from './served-scorer-spec';

/** ProcessBench's critique template (Zheng et al., 2024, code/templates). */
export function critiquePrompt(problem: string, steps: readonly string[]): string {
  const tagged = steps.map((s, i) => `<paragraph_${i}>\n${s}\n</paragraph_${i}>`).join('\n\n');
  return (
    'The following is a math problem and a solution (split into paragraphs, enclosed with tags and indexed from 0):\n\n' +
    `[Math Problem]\n\n${problem}\n\n[Solution]\n\n${tagged}\n\n` +
    'Your task is to review and critique the solution paragraph by paragraph. Once you identify an error in a paragraph, ' +
    'return the index of the paragraph where the earliest error occurs. Otherwise, return the index of -1 (which typically denotes "not found").\n\n' +
    'Please put your final answer (i.e., the index) in \\boxed{}.'
  );
}

const JudgeOptions = {
  max_tokens: z.coerce.number().int().min(1).max(65_536).default(4096),
  /** Default 0 for one vote; with several votes, sampling must differ (0.7 unless given). */
  temperature: z.coerce.number().min(0).max(2).optional(),
  /** Critiques sampled at once (`n`); the index most of them name wins, the earliest among equals. */
  votes: z.coerce.number().int().min(1).max(64).default(1),
};

const ChatResponse = z.looseObject({
  choices: z.array(z.looseObject({ message: z.looseObject({ content: z.string().nullable() }) })).min(1),
});

export class JudgeScorer implements Scorer {
  readonly remote = true;
  private readonly http: JsonEndpoint;
  private readonly models: OpenAiCompletions;
  private readonly chatUrl: string;
  /** The error the judge named on each path (question and steps) found wrong, so its extensions need no call. */
  private readonly found = new Map<string, number>();

  constructor(
    readonly name: string,
    private readonly spec: ReturnType<typeof parseJudge>,
  ) {
    this.http = new JsonEndpoint({ ...spec.request, label: 'the judge endpoint' });
    this.models = new OpenAiCompletions({ baseUrl: spec.baseUrl, model: spec.model, ...spec.request });
    this.chatUrl = `${this.models.root}/chat/completions`;
  }

  async score(requests: readonly PathQuery[], options: CallOptions = {}): Promise<number[]> {
    return Promise.all(requests.map(async (r) => ((await this.firstError(r, options.signal)) === -1 ? 1 : 0)));
  }

  /** Per step: 1 before the step the judge names on the whole path, 0 from it on (eval-prm asks this way). */
  async scorePathSteps(request: PathQuery, signal?: AbortSignal): Promise<number[]> {
    const error = await this.firstError(request, signal);
    return request.steps.map((_, k) => (error === -1 || k < error ? 1 : 0));
  }

  /** The index of the earliest wrong step the judge names on this path, or -1. */
  async firstError(request: PathQuery, signal?: AbortSignal): Promise<number> {
    if (request.steps.length === 0) return -1;
    const key = (n: number) => JSON.stringify([request.problem.prompt, request.steps.slice(0, n)]);
    for (let n = 1; n < request.steps.length; n++) {
      const earlier = this.found.get(key(n));
      if (earlier !== undefined) return earlier;
    }
    const { votes, max_tokens } = this.spec.options;
    const body = {
      model: await this.models.modelName(signal),
      messages: [{ role: 'user', content: critiquePrompt(request.problem.prompt, request.steps) }],
      max_tokens,
      temperature: this.spec.options.temperature ?? (votes > 1 ? 0.7 : 0),
      ...(votes > 1 ? { n: votes } : {}),
    };
    const answer = ChatResponse.safeParse(await this.http.request('POST', this.chatUrl, body, signal));
    if (!answer.success) {
      const issue = answer.error.issues[0]!;
      throw new ModelError(`${this.chatUrl} answered an unexpected shape: ${issue.path.join('.') || '(top level)'}: ${issue.message}`, this.chatUrl);
    }
    const contents = answer.data.choices.map((c) => c.message.content ?? '');
    const named = contents.map((c) => namedStep(c, request.steps.length)).filter((i): i is number => i !== null);
    if (named.length === 0) {
      const last = contents[contents.length - 1]!;
      throw new ModelError(
        `the judge at ${this.chatUrl} did not name a step: expected \\boxed{-1} to \\boxed{${request.steps.length - 1}}, ` +
          `got ${extractBoxed(last) === null ? 'no \\boxed{}' : `\\boxed{${extractBoxed(last)}}`} in "${last.slice(-200)}"`,
        this.chatUrl,
      );
    }
    const index = majority(named);
    if (index >= 0) this.found.set(key(request.steps.length), index);
    return index;
  }
}

/** The step index a critique puts in its last `\boxed{}`, or null when it names none in range. */
function namedStep(content: string, steps: number): number | null {
  const boxed = extractBoxed(content);
  const index = boxed === null ? NaN : Number(boxed.trim());
  return Number.isInteger(index) && index >= -1 && index < steps ? index : null;
}

/** The index named most often; among equals the earliest step (-1, no error, counts as last). */
function majority(indices: readonly number[]): number {
  const counts = new Map<number, number>();
  for (const i of indices) counts.set(i, (counts.get(i) ?? 0) + 1);
  const rank = (i: number) => (i === -1 ? Infinity : i);
  return [...counts].sort((a, b) => b[1] - a[1] || rank(a[0]) - rank(b[0]))[0]![0];
}

export function parseJudge(arg: string | undefined) {
  return parseServedSpec('judge', arg, JudgeOptions);
}

export function registerJudge(set: ProviderSet): void {
  set.registerScorer(
    'judge',
    'An LLM judge over an OpenAI-compatible chat endpoint, ProcessBench critic protocol (judge:http://host:8000/v1#model): 0 once it names a wrong step, else 1.',
    (arg) => new JudgeScorer(`judge:${arg}`, parseJudge(arg)),
    (arg) => void parseJudge(arg),
  );
}
