/**
 * Optional: an OpenAI-compatible chat model proposes each step's tag, relation and parent
 * (`--llm http://host:8000/v1#model`). Its answer is never trusted blindly: it must be JSON of the
 * documented shape, every tag and relation must be a known one, every parent an earlier step, and
 * entries that break a rule are rejected with the reason (the rule-based reading stays there).
 * Accepted proposals become ordinary structure edits by a named annotator, so they sit in the
 * history and can be reviewed and undone like a person's.
 */
import { z } from 'zod';
import { StepRelation, StepTag } from '../../../common/longcot';
import { JsonEndpoint } from '../models/json-endpoint';
import { ModelError } from '../models/errors';
import { OpenAiCompletions } from '../models/openai';
import { parseServedSpec } from '../models/served-scorer-spec';
import type { Store } from '../store/store';
import { taggerPrompt } from './llm-prompt';
import { loadTranscript } from './store';
import './structure';

export interface Proposal {
  /** Index of the step in reading order. */
  index: number;
  tag: StepTag;
  relation: StepRelation;
  /** Index of the parent step, -1 for the problem. */
  parent: number;
}

export interface TaggerReview {
  proposals: Proposal[];
  rejected: { step: number | null; reason: string }[];
}

const Entry = z.object({ step: z.number().int(), tag: z.string(), relation: z.string(), parent: z.number().int() });

/** The JSON object in a model's answer (models wrap it in prose or ```json fences). */
function jsonIn(content: string): unknown {
  const start = content.indexOf('{');
  const end = content.lastIndexOf('}');
  if (start < 0 || end < start) throw new ModelError(`the tagger answered no JSON object: "${content.slice(0, 200)}"`);
  try {
    return JSON.parse(content.slice(start, end + 1));
  } catch (error) {
    throw new ModelError(`the tagger's JSON does not parse (${(error as Error).message}): "${content.slice(start, start + 200)}"`);
  }
}

/** Checks a model's answer for `count` steps; what breaks a rule is rejected with its reason. */
export function parseTaggerAnswer(content: string, count: number): TaggerReview {
  const root = z.object({ steps: z.array(z.unknown()) }).safeParse(jsonIn(content));
  if (!root.success) throw new ModelError('the tagger\'s JSON has no "steps" list');
  const review: TaggerReview = { proposals: [], rejected: [] };
  const seen = new Set<number>();
  root.data.steps.forEach((raw, k) => {
    const entry = Entry.safeParse(raw);
    if (!entry.success) {
      const issue = entry.error.issues[0]!;
      review.rejected.push({ step: null, reason: `entry ${k}: ${issue.path.join('.') || 'entry'}: ${issue.message}` });
      return;
    }
    const { step, tag, relation, parent } = entry.data;
    const reject = (reason: string) => review.rejected.push({ step, reason });
    if (step < 1 || step > count) return reject(`step ${step} does not exist (1-${count})`);
    if (seen.has(step)) return reject(`step ${step} is given twice`);
    const t = StepTag.safeParse(tag);
    if (!t.success) return reject(`step ${step}: "${tag}" is not a tag`);
    const r = StepRelation.safeParse(relation);
    if (!r.success) return reject(`step ${step}: "${relation}" is not a relation`);
    if (parent < 0 || parent >= step) return reject(`step ${step}: parent ${parent} is not the problem (0) or an earlier step`);
    seen.add(step);
    review.proposals.push({ index: step - 1, tag: t.data, relation: r.data, parent: parent - 1 });
  });
  for (let step = 1; step <= count; step++) if (!seen.has(step) && !review.rejected.some((x) => x.step === step)) review.rejected.push({ step, reason: `step ${step}: no proposal` });
  return review;
}

const ChatResponse = z.looseObject({
  choices: z.array(z.looseObject({ message: z.looseObject({ content: z.string().nullable() }) })).min(1),
});

const TaggerOptions = {
  max_tokens: z.coerce.number().int().min(1).max(65_536).default(8192),
  temperature: z.coerce.number().min(0).max(2).default(0),
};

export class LlmTagger {
  private readonly spec;
  private readonly http: JsonEndpoint;
  private readonly models: OpenAiCompletions;

  constructor(endpoint: string) {
    this.spec = parseServedSpec('llm tagger', endpoint, TaggerOptions);
    this.http = new JsonEndpoint({ ...this.spec.request, label: 'the tagger endpoint' });
    this.models = new OpenAiCompletions({ baseUrl: this.spec.baseUrl, model: this.spec.model, ...this.spec.request });
  }

  async propose(problem: string, steps: readonly string[], signal?: AbortSignal): Promise<TaggerReview> {
    const url = `${this.models.root}/chat/completions`;
    const body = {
      model: await this.models.modelName(signal),
      messages: [{ role: 'user', content: taggerPrompt(problem, steps) }],
      max_tokens: this.spec.options.max_tokens,
      temperature: this.spec.options.temperature,
    };
    const answer = ChatResponse.safeParse(await this.http.request('POST', url, body, signal));
    if (!answer.success) throw new ModelError(`${url} answered an unexpected shape: ${answer.error.issues[0]!.message}`, url);
    return parseTaggerAnswer(answer.data.choices[0]!.message.content ?? '', steps.length);
  }
}

export interface TaggedRun {
  runId: number;
  steps: number;
  /** Proposals that agree with the current reading, per field. */
  agree: { tag: number; relation: number; parent: number };
  /** Edits made (with `apply`) or that would be made. */
  edits: number;
  rejected: TaggerReview['rejected'];
}

/**
 * Asks the tagger about one transcript and compares its proposals with the current tree; with
 * `apply`, writes the differing ones as structure edits by `annotator` (a move that would break
 * reading order is refused by the edit itself and counted as rejected).
 */
export async function tagWithLlm(store: Store, runId: number, tagger: LlmTagger, options: { apply: boolean; annotator: string }): Promise<TaggedRun> {
  const t = loadTranscript(store.connection, runId);
  if (!t) throw new ModelError(`run ${runId} is not a long-CoT transcript`);
  const problem = store.problems.get(store.runs.get(runId).problemId).prompt;
  const review = await tagger.propose(problem, t.steps.map((s) => s.text));
  const result: TaggedRun = { runId, steps: t.steps.length, agree: { tag: 0, relation: 0, parent: 0 }, edits: 0, rejected: review.rejected };
  for (const p of review.proposals) {
    const step = t.steps[p.index]!;
    const parentId = p.parent < 0 ? t.rootId : t.steps[p.parent]!.nodeId;
    const sameTag = step.tag === p.tag && step.relation === p.relation;
    if (step.tag === p.tag) result.agree.tag++;
    if (step.relation === p.relation) result.agree.relation++;
    if (step.parentId === parentId) result.agree.parent++;
    if (!sameTag) result.edits++;
    if (step.parentId !== parentId) result.edits++;
    if (!options.apply) continue;
    if (!sameTag) store.annotations.editStructure({ op: 'tag', nodeId: step.nodeId, tag: p.tag, relation: p.relation }, options.annotator);
    if (step.parentId !== parentId) {
      try {
        store.annotations.editStructure({ op: 'move', nodeId: step.nodeId, parentId }, options.annotator);
      } catch (error) {
        result.edits--;
        result.rejected.push({ step: p.index + 1, reason: `move refused: ${(error as Error).message}` });
      }
    }
  }
  return result;
}
