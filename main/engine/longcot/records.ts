/**
 * Readers for the record shapes public long-CoT datasets use. Each returns the problem, the gold
 * answer when the record has one, and one or more transcripts (OpenR1-Math holds several
 * generations per problem). A record that fits no shape, or a field of the wrong type, is an
 * error naming the field; field names can be overridden (`--field reasoning=my_column`).
 */
import { extractBoxed } from '../tasks/math-answer';
import { separateParts, splitThink, type TranscriptParts } from './think';

import type { LongCotField } from '../../../common/longcot';

export type LongCotFields = Partial<Record<LongCotField, string>>;

export const RECORD_SHAPES = ['text', 'chat', 'openthoughts', 's1k', 'openr1', 'fields'] as const;
export type RecordShape = (typeof RECORD_SHAPES)[number];

export interface SourceTranscript {
  parts: TranscriptParts;
  /** Which generation of the record (OpenR1-Math), else null. */
  generation: number | null;
}

export interface LongCotSource {
  shape: RecordShape;
  problem: string;
  gold: string | null;
  transcripts: SourceTranscript[];
  /** Fields of the record not read as problem, reasoning, answer or gold. */
  metadata: Record<string, unknown>;
}

/** A record that cannot be read; the message names the field. */
export class RecordError extends Error {}

type Json = Record<string, unknown>;

function str(record: Json, field: string, required: true): string;
function str(record: Json, field: string, required: false): string | null;
function str(record: Json, field: string, required: boolean): string | null {
  const v = record[field];
  if (typeof v === 'string') return v;
  if (v === undefined || v === null) {
    if (required) throw new RecordError(`field "${field}" is missing`);
    return null;
  }
  throw new RecordError(`field "${field}" is not text`);
}

function firstPresent(record: Json, names: readonly string[]): string | undefined {
  return names.find((n) => record[n] !== undefined && record[n] !== null);
}

/** The gold answer: an `answer`-like field as it is, or the `\boxed{}` of a solution field. */
function goldOf(record: Json, fields: LongCotFields, solutionFields: readonly string[]): string | null {
  if (fields.gold) {
    const v = str(record, fields.gold, false);
    return v === null ? null : (extractBoxed(v) ?? (v.trim() || null));
  }
  for (const name of ['answer', 'gold', 'gold_answer', 'ground_truth', 'ground_truth_answer', 'final_answer']) {
    const v = record[name];
    if (typeof v === 'string' && v.trim()) return extractBoxed(v) ?? v.trim();
    if (typeof v === 'number') return String(v);
  }
  for (const name of solutionFields) {
    const v = str(record, name, false);
    const boxed = v === null ? null : extractBoxed(v);
    if (boxed !== null) return boxed;
  }
  return null;
}

function problemOf(record: Json, fields: LongCotFields, defaults: readonly string[]): string {
  const name = fields.problem ?? firstPresent(record, defaults) ?? defaults[0]!;
  const problem = str(record, name, true);
  if (!problem.trim()) throw new RecordError(`field "${name}" (the problem) is empty`);
  return problem;
}

function responseParts(text: string, where: string): TranscriptParts {
  const parts = splitThink(text);
  if (!parts) throw new RecordError(`${where} has no <think>...</think> reasoning`);
  return parts;
}

function rest(record: Json, used: readonly (string | undefined)[]): Json {
  return Object.fromEntries(Object.entries(record).filter(([k]) => !used.includes(k)));
}

const USER_ROLES = new Set(['user', 'human']);
const ASSISTANT_ROLES = new Set(['assistant', 'gpt', 'model', 'bot']);

/** `messages` / `conversations`: `[{role|from, content|value, reasoning_content?}]`. */
function readChat(record: Json, fields: LongCotFields): LongCotSource {
  const name = fields.messages ?? firstPresent(record, ['messages', 'conversations']) ?? 'messages';
  const list = record[name];
  if (!Array.isArray(list)) throw new RecordError(`field "${name}" is not a list of messages`);
  let problem: string | null = null;
  let reply: { content: string; reasoning: string | null; index: number } | null = null;
  list.forEach((m, k) => {
    if (!m || typeof m !== 'object') throw new RecordError(`${name}[${k}] is not a message object`);
    const msg = m as Json;
    const role = msg.role ?? msg.from;
    const content = msg.content ?? msg.value;
    if (typeof role !== 'string') throw new RecordError(`${name}[${k}] has no "role" or "from"`);
    if (typeof content !== 'string') throw new RecordError(`${name}[${k}] has no text "content" or "value"`);
    if (USER_ROLES.has(role.toLowerCase())) problem = content;
    else if (ASSISTANT_ROLES.has(role.toLowerCase())) {
      const reasoning = msg.reasoning_content ?? msg.reasoning;
      if (reasoning !== undefined && reasoning !== null && typeof reasoning !== 'string') {
        throw new RecordError(`${name}[${k}].reasoning_content is not text`);
      }
      reply = { content, reasoning: (reasoning as string | undefined) ?? null, index: k };
    }
  });
  if (problem === null || !(problem as string).trim()) throw new RecordError(`${name} has no user message with the problem`);
  if (reply === null) throw new RecordError(`${name} has no assistant message`);
  const r = reply as { content: string; reasoning: string | null; index: number };
  const parts = r.reasoning ? separateParts(r.reasoning, r.content) : responseParts(r.content, `${name}[${r.index}].content`);
  return {
    shape: 'chat',
    problem,
    gold: goldOf(record, fields, ['solution', 'ground_truth_solution']),
    transcripts: [{ parts, generation: null }],
    metadata: rest(record, [name]),
  };
}

/** OpenR1-Math: `problem` + `answer` + `generations[]`, one transcript per generation. */
function readOpenR1(record: Json, fields: LongCotFields): LongCotSource {
  const name = fields.generations ?? 'generations';
  const list = record[name];
  if (!Array.isArray(list) || list.length === 0) throw new RecordError(`field "${name}" is not a non-empty list of generations`);
  const transcripts = list.map((g, k): SourceTranscript => {
    if (typeof g !== 'string') throw new RecordError(`${name}[${k}] is not text`);
    return { parts: responseParts(g, `${name}[${k}]`), generation: k };
  });
  const problemField = fields.problem ?? 'problem';
  return {
    shape: 'openr1',
    problem: problemOf(record, fields, ['problem']),
    gold: goldOf(record, fields, ['solution']),
    transcripts,
    metadata: rest(record, [name, problemField, 'answer', 'solution']),
  };
}

/** Two text fields: reasoning and answer (OpenThoughts, s1K, or any named with --field). */
function readSeparate(
  record: Json,
  fields: LongCotFields,
  shape: RecordShape,
  defaults: { problem: readonly string[]; reasoning: readonly string[]; answer: readonly string[]; solution: readonly string[] },
): LongCotSource {
  const reasoningName = fields.reasoning ?? firstPresent(record, defaults.reasoning) ?? defaults.reasoning[0]!;
  let reasoning = record[reasoningName];
  // s1K's original `thinking_trajectories` is a list of one string.
  if (Array.isArray(reasoning) && reasoning.every((s) => typeof s === 'string')) reasoning = reasoning.join('\n\n');
  if (typeof reasoning !== 'string') {
    throw new RecordError(`field "${reasoningName}" (the reasoning) is ${reasoning === undefined ? 'missing' : 'not text'}`);
  }
  const answerName = fields.answer ?? firstPresent(record, defaults.answer);
  const answer = answerName ? (str(record, answerName, false) ?? '') : '';
  const problemName = fields.problem ?? firstPresent(record, defaults.problem);
  const parts = splitThink(reasoning) && !answer ? splitThink(reasoning)! : separateParts(reasoning, answer);
  return {
    shape,
    problem: problemOf(record, fields, defaults.problem),
    gold: goldOf(record, fields, defaults.solution),
    transcripts: [{ parts, generation: null }],
    metadata: rest(record, [reasoningName, answerName, problemName, ...defaults.solution]),
  };
}

const OPENTHOUGHTS = {
  problem: ['problem', 'question'],
  reasoning: ['deepseek_reasoning'],
  answer: ['deepseek_solution'],
  solution: ['ground_truth_solution', 'solution'],
};
const S1K = {
  problem: ['question', 'problem'],
  reasoning: ['deepseek_thinking_trajectory', 'thinking_trajectories', 'gemini_thinking_trajectory'],
  answer: ['deepseek_attempt', 'attempt', 'gemini_attempt'],
  solution: ['solution'],
};
const GENERIC = {
  problem: ['problem', 'question', 'prompt', 'input'],
  reasoning: ['reasoning', 'reasoning_content', 'thinking', 'thought', 'response', 'completion', 'output'],
  answer: ['response', 'completion', 'output', 'solution_text'],
  solution: ['solution'],
};

/** Reads one JSON record, guessing its shape from the fields it has (overrides first). */
export function readRecord(record: Json, fields: LongCotFields = {}): LongCotSource {
  if (fields.generations || Array.isArray(record.generations)) return readOpenR1(record, fields);
  if (fields.messages || Array.isArray(record.messages) || Array.isArray(record.conversations)) return readChat(record, fields);
  if (fields.reasoning) return readSeparate(record, fields, 'fields', GENERIC);
  if (record.deepseek_reasoning !== undefined) return readSeparate(record, fields, 'openthoughts', OPENTHOUGHTS);
  if (S1K.reasoning.some((f) => record[f] !== undefined)) return readSeparate(record, fields, 's1k', S1K);
  const responseName = fields.response ?? firstPresent(record, ['response', 'completion', 'output', 'text']);
  if (responseName) {
    const text = str(record, responseName, true);
    return {
      shape: 'fields',
      problem: problemOf(record, fields, GENERIC.problem),
      gold: goldOf(record, fields, GENERIC.solution),
      transcripts: [{ parts: responseParts(text, `field "${responseName}"`), generation: null }],
      metadata: rest(record, [responseName, ...GENERIC.problem]),
    };
  }
  throw new RecordError(
    'no long chain of thought found: expected messages/conversations, generations, deepseek_reasoning, ' +
      'deepseek_thinking_trajectory, a response with <think>, or fields named with --field',
  );
}

/** A plain text or Markdown file: an optional problem, then `<think>...</think>` and the answer. */
export function readText(text: string, fileName: string): LongCotSource {
  const parts = splitThink(text) ?? separateParts(text, '');
  const problem = parts.prefix.replace(/<think>$|<\|begin_of_thought\|>$/, '').trim();
  return {
    shape: 'text',
    problem: problem || fileName,
    gold: null,
    transcripts: [{ parts, generation: null }],
    metadata: problem ? {} : { note: 'no problem text before <think>; the file name stands for it' },
  };
}
