/** Problem files with field mapping, and the import/export commands end to end through the CLI. */
import fs from 'node:fs';
import { runCli } from '../../helpers/cli';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { ImportRequest, type ImportRequestInput } from '../../../common/contract/export';
import { importFile } from '../../../main/engine/import/run-import';
import { Store } from '../../../main/engine/store/store';
import { buildFixtureDb } from './fixtures';

let dir: string;
let counter = 0;

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'metacot-problems-'));
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function write(lines: string[], ext = 'jsonl'): string {
  const f = path.join(dir, `in-${++counter}.${ext}`);
  fs.writeFileSync(f, `${lines.join('\n')}\n`);
  return f;
}

async function importProblems(file: string, input: Partial<ImportRequestInput> = {}) {
  const store = Store.open(path.join(dir, `db-${++counter}.db`));
  const summary = await importFile(store, ImportRequest.parse({ format: 'problems', path: file, ...input }));
  const problems = store.problems.list({ limit: 100, offset: 0 }).problems.reverse();
  store.close();
  return { summary, problems };
}

describe('problem imports', () => {
  it('GSM8K: question, and the answer after "#### " (worked solution kept)', async () => {
    const answer = 'Janet sells 16 - 3 - 4 = <<16-3-4=9>>9 duck eggs a day.\nShe makes 9 * 2 = $<<9*2=18>>18.\n#### 18';
    const { summary, problems } = await importProblems(write([JSON.stringify({ question: "Janet's ducks lay 16 eggs.", answer })]));
    expect(summary.problems).toBe(1);
    expect(problems[0]).toMatchObject({
      task: 'math',
      prompt: "Janet's ducks lay 16 eggs.",
      goldAnswer: '18',
      metadata: { reference: answer, source: 'GSM8K' },
    });
  });

  it('MATH: problem, the last \\boxed{} of the solution, other fields kept', async () => {
    const line = { problem: 'What is $\\frac12+\\frac12$?', solution: 'It is $\\boxed{\\frac{2}{2}} = \\boxed{1}$.', level: 'Level 1', type: 'Algebra' };
    const { problems } = await importProblems(write([JSON.stringify(line)]));
    expect(problems[0]).toMatchObject({ goldAnswer: '1', metadata: { level: 'Level 1', type: 'Algebra', source: 'MATH' } });
  });

  it("Tree of Thoughts' 24.csv: every row a Game of 24 problem with its rank", async () => {
    const { summary, problems } = await importProblems(path.join(__dirname, '../../fixtures/game24-hard.csv'));
    expect(summary.errors).toEqual([]);
    expect(problems.length).toBe(summary.problems);
    expect(problems[0]).toMatchObject({ task: 'game24', prompt: '24:[4, 5, 6, 10]', goldAnswer: '24', metadata: { rank: 901, source: '24.csv' } });
  });

  it('custom fields and a raw answer; a record without the field is reported', async () => {
    const file = write([JSON.stringify({ q: 'Two plus two?', a: '4' }), JSON.stringify({ a: '5' })]);
    const { summary } = await importProblems(file, { mapping: { preset: 'custom', promptField: 'q', answerField: 'a' } });
    expect(summary.errors).toEqual([{ line: 2, reason: 'field "q" is missing' }]);
    const partial = await importProblems(file, { mapping: { preset: 'custom', promptField: 'q', answerField: 'a' }, partial: true, reportPath: path.join(dir, 'r.jsonl') });
    expect(partial.problems.map((p) => [p.prompt, p.goldAnswer])).toEqual([['Two plus two?', '4']]);
  });

  it('a GSM8K preset on an answer without "####" is an error, not a guess', async () => {
    const { summary } = await importProblems(write([JSON.stringify({ question: 'Q?', answer: 'just 4' })]), {
      mapping: { preset: 'gsm8k' },
    });
    expect(summary.errors[0]!.reason).toMatch(/no "#### " final answer/);
  });

  it('countdown lines and JSON numbers; the same problem twice is stored once', async () => {
    const { summary, problems } = await importProblems(
      write(['24:[4, 9, 3]', JSON.stringify({ numbers: [4, 9, 3], target: 24 }), JSON.stringify({ nums: [1, 2, 3], target: 6 })]),
    );
    expect(summary.errors).toEqual([]);
    expect(problems.map((p) => p.prompt)).toEqual(['24:[4, 9, 3]', '6:[1, 2, 3]']);
  });
});

describe('the CLI', () => {
  const cli = (args: string[]) => runCli(...args);

  it('exports, then imports the export into a new database', async () => {
    const db = path.join(dir, 'cli.db');
    buildFixtureDb(db).store.close();
    const out = path.join(dir, 'cli-out');
    const exported = await cli(['export', '--db', db, '--format', 'trl', '--out', out, '--annotator', 'alice', '--test-fraction', '0.5']);
    expect(exported.code).toBe(0);
    expect(exported.out).toMatch(/wrote 7 trl records/);
    const target = path.join(dir, 'cli-target.db');
    for (const split of ['train', 'test']) {
      const file = path.join(out, `${split}.jsonl`);
      if (!fs.existsSync(file)) continue;
      const imported = await cli(['import', '--db', target, '--format', 'trl', '--annotator', 'alice', file]);
      expect(imported.code).toBe(0);
    }
    const store = Store.open(target);
    expect(store.runs.count()).toBe(2);
    store.close();
  });

  it('a file with bad lines exits 2, lists the lines and imports nothing', async () => {
    const db = path.join(dir, 'cli-bad.db');
    const file = write(['{"prompt": "q", "completions": ["a"], "labels": [true]}', 'not json', '{"prompt": "q"}']);
    const result = await cli(['import', '--db', db, '--format', 'trl', file]);
    expect(result.code).toBe(2);
    expect(result.err).toMatch(/2 bad lines; nothing was imported/);
    expect(result.err).toMatch(/line 2: not valid JSON/);
    expect(result.err).toMatch(/line 3: completions/);
    const store = Store.open(db);
    expect(store.runs.count()).toBe(0);
    store.close();
  });

  it('bad options are one-line errors with exit code 2', async () => {
    const db = path.join(dir, 'cli-opts.db');
    buildFixtureDb(db).store.close();
    expect((await cli(['export', '--db', db, '--format', 'yaml', '--out', dir])).code).toBe(2);
    expect((await cli(['export', '--db', db, '--format', 'trl'])).err).toMatch(/give --out/);
    expect((await cli(['export', '--db', db, '--format', 'trl', '--out', dir, '--labels', 'annotator:'])).code).toBe(2);
    expect((await cli(['export', '--db', db, '--format', 'trl', '--dry-run', '--runs', '1-2'])).out).toMatch(/would write 7 trl records/);
  });
});
