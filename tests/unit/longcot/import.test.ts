/**
 * Long-CoT import end to end: every record shape, the tree shape of the R1-style fixture under
 * each segmenter, the exact text round trip from the database, and bad records named by line
 * with nothing written.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ImportRequest, type ImportRequestInput } from '../../../common/contract/export';
import { importFile } from '../../../main/engine/import/run-import';
import { linearise, loadTranscript } from '../../../main/engine/longcot/store';
import { Store } from '../../../main/engine/store/store';
import { runCli } from '../../helpers/cli';
import { ANSWER, FIXTURE, FIXTURE_PATH, PROBLEM, REASONING, RESPONSE, SHAPES, WRONG_RESPONSE } from './fixture';

let dir: string;
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'longcot-import-'));
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function fresh(name: string): Store {
  return Store.open(path.join(dir, `${name}.db`));
}

function write(name: string, lines: unknown[]): string {
  const file = path.join(dir, name);
  fs.writeFileSync(file, lines.map((l) => (typeof l === 'string' ? l : JSON.stringify(l))).join('\n') + '\n');
  return file;
}

const run = (store: Store, input: ImportRequestInput) => importFile(store, ImportRequest.parse(input));
const runsOf = (store: Store) => (store.connection.prepare('SELECT id FROM runs ORDER BY id').all() as { id: number }[]).map((r) => store.runs.get(r.id));

/** parent index (-1 = root) of each step in reading order, and its relation's first letter. */
function shape(store: Store, runId: number) {
  const t = loadTranscript(store.connection, runId)!;
  return { parents: t.steps.map((s) => s.parent), relations: t.steps.map((s) => s.relation[0]).join(''), t };
}

describe('long-cot import of the R1-style fixture', () => {
  // Pinned shapes: the rules put the wrong first attempt, its correction and the new approach on
  // three branches; the check and the final answer continue the last one.
  const expected = {
    paragraph: { parents: [-1, 0, 1, 2, 1, 4, 5, 6, 1, 8, 9, 10, 11, 12, 13, 14], relations: 'ccccbcccecvccccc', abandoned: 6 },
    sentence: {
      parents: [-1, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 10, 12, 13, 14, 15, 16, 17, 18, 19, 20, 2, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32, 33, 34, 35, 36, 37],
      relations: 'ccccccccccccbcbccccccceccccvccccccccccc',
      abandoned: 19,
    },
    discourse: { parents: [-1, 0, 0, 2, 0, 4, 5, 6, 7], relations: 'ccbcevccc', abandoned: 3 },
  } as const;

  for (const [segment, want] of Object.entries(expected)) {
    it(`${segment}: branches, outcomes and the exact text`, async () => {
      const store = fresh(`fixture-${segment}`);
      const summary = await run(store, { format: 'long-cot', path: FIXTURE_PATH, longCot: { segment: segment as never } });
      expect(summary.committed).toBe(true);
      expect(summary.runs).toBe(1);
      const runId = runsOf(store)[0]!.id;
      const { parents, relations, t } = shape(store, runId);
      expect(parents).toEqual(want.parents);
      expect(relations).toBe(want.relations);
      expect(t.steps.filter((s) => s.abandoned)).toHaveLength(want.abandoned);
      expect(t.segmenter).toBe(segment);
      // Every character comes back, in the order the model wrote it.
      expect(linearise(t)).toBe(FIXTURE);
      // The wrong first attempt states 0; the last branch states 38. No gold in a text file.
      expect(t.steps.filter((s) => s.answer !== null).map((s) => s.answer)).toEqual(['0', '38', '38']);
      // Nodes: seq and expansion follow reading order, so replay walks the text as written.
      const nodes = store.nodes.forRun(runId);
      expect(nodes.map((n) => n.stepText).join('')).toBe(REASONING + ANSWER);
      expect(nodes.every((n, i) => n.seq === i && n.expansion === i)).toBe(true);
      const stats = store.runs.get(runId).stats.transcript as Record<string, number>;
      expect(stats.backtracks).toBeGreaterThanOrEqual(1);
      expect(stats.attempts).toBe(2);
      expect(stats.failedStepFraction).toBeCloseTo(want.abandoned / t.steps.length, 10);
      store.close();
    });
  }
});

describe('long-cot record shapes', () => {
  it('reads chat messages, conversations, OpenThoughts, s1K and OpenR1-Math records', async () => {
    const store = fresh('shapes');
    const file = write('shapes.jsonl', Object.values(SHAPES));
    const summary = await run(store, { format: 'long-cot', path: file, longCot: { segment: 'paragraph' } });
    expect(summary.errors).toEqual([]);
    // One tree per record, two for OpenR1's two generations; one problem for all of them.
    expect(summary.runs).toBe(7);
    expect(summary.problems).toBe(1);
    const runs = runsOf(store);
    const shapes = runs.map((r) => (r.config.import as { shape: string }).shape);
    expect(shapes).toEqual(['chat', 'chat', 'chat', 'openthoughts', 's1k', 'openr1', 'openr1']);
    const problem = store.problems.get(runs[0]!.problemId);
    expect(problem.prompt).toBe(PROBLEM);
    expect(problem.goldAnswer).toBe('38');
    for (const [k, r] of runs.entries()) {
      const t = loadTranscript(store.connection, r.id)!;
      const wrong = k === 6;
      expect(t.steps.map((s) => s.text).join('')).toBe(wrong ? WRONG_RESPONSE.replace(/<\/?think>/g, '') : REASONING + ANSWER);
      // The gold answer checks every branch: the last generation's answer 10 is wrong.
      expect(r.solved).toBe(!wrong);
      expect(t.steps.at(-1)!.outcome).toBe(wrong ? 'incorrect' : 'correct');
    }
    // Wrappers give back each response exactly.
    expect(linearise(loadTranscript(store.connection, runs[0]!.id)!)).toBe(RESPONSE);
    expect(linearise(loadTranscript(store.connection, runs[2]!.id)!)).toBe((SHAPES.conversationsOpenThoughts!.conversations as { value: string }[])[1]!.value);
    expect(linearise(loadTranscript(store.connection, runs[6]!.id)!)).toBe(WRONG_RESPONSE);
    store.close();
  });

  it('reads fields under other names (--field) and picks the segmenter from the CLI', async () => {
    const file = write('renamed.jsonl', [{ q: PROBLEM, thoughts: REASONING, final: ANSWER, gold: '\\boxed{38}' }]);
    const db = path.join(dir, 'renamed.db');
    const res = await runCli('import', '--db', db, '--format', 'long-cot', file, '--segment', 'sentence', '--field', 'problem=q', '--field', 'reasoning=thoughts', '--field', 'answer=final');
    expect(res.err).toBe('');
    expect(res.out).toMatch(/imported 1 new problems .* 1 trees, 40 nodes/);
    const store = Store.open(db);
    const r = runsOf(store)[0]!;
    expect(loadTranscript(store.connection, r.id)!.segmenter).toBe('sentence');
    expect(store.problems.get(r.problemId).goldAnswer).toBe('38');
    expect(r.solved).toBe(true);
    store.close();
  });

  it('names bad records by line and writes nothing', async () => {
    const store = fresh('bad');
    const file = write('bad.jsonl', [
      SHAPES.openThoughts,
      { messages: [{ role: 'user', content: PROBLEM }] },
      '{"problem": "x", "generations": "not a list"',
      { problem: PROBLEM, generations: [RESPONSE, 'no tags here'] },
      { question: PROBLEM, deepseek_thinking_trajectory: 42 },
      { messages: [{ role: 'user', content: PROBLEM }, { role: 'assistant', content: 'just an answer' }] },
      { title: 'nothing to read' },
    ]);
    const summary = await run(store, { format: 'long-cot', path: file });
    expect(summary.committed).toBe(false);
    expect(summary.errors.map((e) => e.line)).toEqual([2, 3, 4, 5, 6, 7]);
    expect(summary.errors[0]!.reason).toBe('messages has no assistant message');
    expect(summary.errors[1]!.reason).toMatch(/^not valid JSON/);
    expect(summary.errors[2]!.reason).toBe('generations[1] has no <think>...</think> reasoning');
    expect(summary.errors[3]!.reason).toBe('field "deepseek_thinking_trajectory" (the reasoning) is not text');
    expect(summary.errors[4]!.reason).toBe('messages[1].content has no <think>...</think> reasoning');
    expect(summary.errors[5]!.reason).toMatch(/^no long chain of thought found/);
    const count = (table: string) => (store.connection.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;
    for (const table of ['problems', 'runs', 'nodes', 'transcripts', 'transcript_steps']) expect(count(table)).toBe(0);
    // --partial keeps the good record and reports the rest.
    const partial = await run(store, { format: 'long-cot', path: file, partial: true });
    expect(partial.runs).toBe(1);
    expect(count('transcripts')).toBe(1);
    store.close();
  });

  it('refuses a text file for other formats', async () => {
    const store = fresh('text-other');
    await expect(run(store, { format: 'trl', path: FIXTURE_PATH })).rejects.toThrow(/only long-cot reads text/);
    store.close();
  });
});

describe('metacot transcripts', () => {
  it('prints per-run and corpus statistics as JSON', async () => {
    const db = path.join(dir, 'stats.db');
    const file = write('stats.jsonl', [SHAPES.openR1, SHAPES.s1k]);
    expect((await runCli('import', '--db', db, '--format', 'long-cot', file, '--segment', 'paragraph')).err).toBe('');
    const res = await runCli('transcripts', '--db', db, '--json');
    expect(res.err).toBe('');
    const { corpus, runs } = JSON.parse(res.out);
    expect(runs).toHaveLength(3);
    expect(corpus.transcripts).toBe(3);
    // Two right final answers (38) and one wrong (10), all checked against the gold answer.
    expect([corpus.checked, corpus.correct]).toEqual([3, 2]);
    // The wrong generation is one straight attempt: nothing abandoned.
    expect(runs[1].stats.failedStepFraction).toBe(0);
    expect(runs[1].stats.attempts).toBe(1);
    expect(corpus.failedStepFraction).toBeCloseTo(
      runs.reduce((a: number, r: { stats: { abandonedSteps: number } }) => a + r.stats.abandonedSteps, 0) / corpus.steps,
      12,
    );
    const one = JSON.parse((await runCli('transcripts', '--db', db, '--json', '--run', String(runs[0].runId))).out);
    expect(one.runs).toHaveLength(1);
    expect((await runCli('transcripts', '--db', db)).out).toMatch(/Failed-Step Fraction\s+0\.\d{3} of all steps/);
  });
});

describe('long-cot text files', () => {
  const cases: [string, string][] = [
    ['no-think.md', 'Wait, there are no tags here at all.\n\nSo the answer is 4.\n'],
    ['cut-off.txt', 'Problem: add 2 and 2.\n<think>\nTwo plus two is four.\n\nWait, let me verify: 2 + 2 = 4. Yes.'],
    ['r1-template.md', 'Two plus two is four.\n</think>\n\nThe answer is $\\boxed{4}$.'],
    ['crlf.txt', 'Q: 2+2?\r\n<think>\r\nIt is 4.\r\n\r\nAlternatively, count: 1, 2, 3, 4.\r\n</think>\r\n\\boxed{4}'],
  ];
  for (const [name, text] of cases) {
    it(`${name}: every character comes back`, async () => {
      const store = fresh(name);
      const file = path.join(dir, name);
      fs.writeFileSync(file, text);
      for (const segment of ['paragraph', 'sentence', 'discourse'] as const) {
        const summary = await run(store, { format: 'long-cot', path: file, longCot: { segment } });
        expect(summary.errors).toEqual([]);
      }
      for (const r of runsOf(store)) expect(linearise(loadTranscript(store.connection, r.id)!)).toBe(text);
      store.close();
    });
  }

  it('an empty file is a bad record, nothing written', async () => {
    const store = fresh('empty');
    const file = path.join(dir, 'empty.md');
    fs.writeFileSync(file, '<think></think>');
    const summary = await run(store, { format: 'long-cot', path: file });
    expect(summary.committed).toBe(false);
    expect(summary.errors).toEqual([{ line: 1, reason: 'the reasoning is empty' }]);
    store.close();
  });
});
