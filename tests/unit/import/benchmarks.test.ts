/**
 * ProcessBench and PRMBench files in: trees, reference labels (annotations and gold), the run's
 * benchmark fields, bad records named by line, and round trips through the TRL and PRM800K exports.
 * The fixtures are written from the published field lists (ProcessBench's README, PRMBench's
 * docs/data_format.md, whose example is the first PRMBench record).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ExportRequest, ImportRequest, type ExportOptionsInput, type ImportRequestInput } from '../../../common/contract/export';
import { exportDataset } from '../../../main/engine/export/run-export';
import { importFile } from '../../../main/engine/import/run-import';
import { jsonArrayRecords } from '../../../main/engine/import/records';
import { Store } from '../../../main/engine/store/store';

const fixture = (name: string) => path.join(import.meta.dirname, 'fixtures', name);
let dir: string;
let counter = 0;

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'metacot-benchmarks-'));
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

async function importInto(file: string, input: Omit<ImportRequestInput, 'path'>, store = Store.open(path.join(dir, `db-${++counter}.db`))) {
  const summary = await importFile(store, ImportRequest.parse({ ...input, path: file }));
  return { store, summary };
}

interface StepView {
  seq: number;
  parentSeq: number | null;
  text: string;
  rating: number | null;
  gold: number | null;
  terminal: boolean;
  outcome: string | null;
}

function steps(store: Store, runId: number, annotator: string): StepView[] {
  const nodes = store.nodes.forRun(runId);
  const seqById = new Map(nodes.map((n) => [n.id, n.seq]));
  const ratings = new Map(
    store.annotations
      .forRun(runId)
      .annotations.filter((a) => a.annotator === annotator)
      .map((a) => [a.nodeId, a.rating]),
  );
  const gold = new Map(
    (store.connection.prepare('SELECT node_id, rating FROM gold_labels WHERE run_id = ?').all(runId) as { node_id: number; rating: number }[]).map(
      (g) => [g.node_id, g.rating],
    ),
  );
  return nodes.map((n) => ({
    seq: n.seq,
    parentSeq: n.parentId === null ? null : seqById.get(n.parentId)!,
    text: n.stepText,
    rating: ratings.get(n.id) ?? null,
    gold: gold.get(n.id) ?? null,
    terminal: n.isTerminal,
    outcome: n.outcome,
  }));
}

const runIds = (store: Store) => store.runs.list({ limit: 100, offset: 0, direction: 'asc' }).runs.map((r) => r.id);

describe('ProcessBench', () => {
  let store: Store;
  beforeAll(async () => {
    const result = await importInto(fixture('processbench.json'), { format: 'processbench' });
    store = result.store;
    expect(result.summary).toMatchObject({ committed: true, errorCount: 0, runs: 3, problems: 3, labels: 4 + 2 + 1 });
  });
  afterAll(() => store.close());

  it('one linear tree per record: +1 before the first error, -1 on it, nothing after', () => {
    const [allRight, errorAt1, errorAt0] = runIds(store);
    const ratings = (run: number) => steps(store, run!, 'processbench').map((s) => s.rating);
    expect(ratings(allRight!)).toEqual([null, 1, 1, 1, 1]);
    expect(ratings(errorAt1!)).toEqual([null, 1, -1, null, null]);
    expect(ratings(errorAt0!)).toEqual([null, -1, null]);
    // The same ratings are the runs' gold labels, set by the benchmark, apart from any person.
    for (const run of [allRight, errorAt1, errorAt0]) {
      const view = steps(store, run!, 'processbench');
      expect(view.map((s) => s.gold)).toEqual(view.map((s) => s.rating));
    }
    expect(store.connection.prepare('SELECT DISTINCT set_by FROM gold_labels').pluck().all()).toEqual(['processbench']);
    expect(store.connection.prepare('SELECT sum(quality_control) FROM runs').pluck().get()).toBe(3);
  });

  it('the path is the file\'s steps in order, ending where the file ends, with the final answer\'s verdict', () => {
    const [allRight, errorAt1] = runIds(store);
    const view = steps(store, errorAt1!, 'processbench');
    expect(view.map((s) => s.parentSeq)).toEqual([null, 0, 1, 2, 3]);
    expect(view[2]!.text).toBe('So $\\frac{1}{2} = \\frac{3}{6}$ and $\\frac{1}{3} = \\frac{3}{6}$.');
    // A step that states an answer early does not end the path: the file says where it ends.
    expect(view.map((s) => s.terminal)).toEqual([false, false, false, false, true]);
    expect(view.at(-1)!.outcome).toBe('incorrect');
    expect(steps(store, allRight!, 'processbench').at(-1)!.outcome).toBe('correct');
    const run = store.runs.get(errorAt1!);
    expect(run.config).toMatchObject({
      import: { format: 'processbench', id: 'math-7', generator: 'Meta-Llama-3-70B-Instruct' },
      benchmark: { name: 'processbench', firstErrorStep: 1, finalAnswerCorrect: false },
    });
    expect(store.problems.get(run.problemId)).toMatchObject({ task: 'math', goldAnswer: null, metadata: { source: 'ProcessBench' } });
  });

  it('bad records are named by the line they start on, and nothing is written', async () => {
    const records = JSON.parse(fs.readFileSync(fixture('processbench.json'), 'utf8'));
    records[1].label = 9;
    delete records[2].steps;
    const file = path.join(dir, 'bad.json');
    fs.writeFileSync(file, JSON.stringify(records, null, 2));
    const lineOf = (id: string) => fs.readFileSync(file, 'utf8').split('\n').findIndex((l) => l.includes(`"${id}"`)); // line before the id = the `{`
    const { store: empty, summary } = await importInto(file, { format: 'processbench' });
    expect(summary.committed).toBe(false);
    expect(summary.errors).toEqual([
      { line: lineOf('math-7'), reason: 'label: label points past the last step' },
      { line: lineOf('olympiadbench-3'), reason: 'steps: Invalid input: expected array, received undefined' },
    ]);
    expect(runIds(empty)).toEqual([]);
    empty.close();
  });

  it('a JSON array file over the size read whole is refused with the way out, before it is read', () => {
    const records = [...jsonArrayRecords(fixture('processbench.json'), 100)];
    expect(records).toHaveLength(1);
    expect(records[0]).toMatchObject({ line: 1, error: expect.stringMatching(/over the 0 MB read whole; write it as JSON Lines/) });
    // Under the limit the same file gives one record per element.
    const elements = JSON.parse(fs.readFileSync(fixture('processbench.json'), 'utf8')) as unknown[];
    expect([...jsonArrayRecords(fixture('processbench.json'))]).toHaveLength(elements.length);
  });

  it('JSON Lines work too', async () => {
    const records = JSON.parse(fs.readFileSync(fixture('processbench.json'), 'utf8'));
    const file = path.join(dir, 'processbench.jsonl');
    fs.writeFileSync(file, records.map((r: unknown) => JSON.stringify(r)).join('\n'));
    const { store: other, summary } = await importInto(file, { format: 'processbench' });
    expect(summary).toMatchObject({ committed: true, runs: 3 });
    other.close();
  });
});

describe('PRMBench', () => {
  let store: Store;
  beforeAll(async () => {
    const result = await importInto(fixture('prmbench.jsonl'), { format: 'prmbench' });
    store = result.store;
    expect(result.summary).toMatchObject({ committed: true, errorCount: 0, runs: 2, problems: 2 });
  });
  afterAll(() => store.close());

  it('original and modified processes are two branches sharing the steps before the first modification', () => {
    const [circular] = runIds(store);
    const view = steps(store, circular!, 'prmbench');
    // root, 2 shared steps, 4 more of the original, 5 more of the modified
    expect(view).toHaveLength(1 + 2 + 4 + 5);
    expect(view.map((s) => s.parentSeq)).toEqual([null, 0, 1, 2, 3, 4, 5, 2, 7, 8, 9, 10]);
    expect(view[3]!.text).toMatch(/^3\. To solve this system/);
    expect(view[7]!.text).toMatch(/^3\. Assume a pencil costs 29 cents/);
    // Original: all right. Modified: error_steps 3, 4, 5 wrong, 6 and 7 right (PRMBench's evaluation).
    expect(view.map((s) => s.rating)).toEqual([null, 1, 1, 1, 1, 1, 1, -1, -1, -1, 1, 1]);
    expect(view.map((s) => s.gold)).toEqual(view.map((s) => s.rating));
    expect(view.filter((s) => s.terminal).map((s) => s.seq)).toEqual([6, 11]);
  });

  it('the error class, reason and the two leaves are kept on the run', () => {
    const [circular, contradiction] = runIds(store);
    expect(store.runs.get(circular!).config).toMatchObject({
      import: { format: 'prmbench', idx: 'circular_prm_test_p1_0' },
      benchmark: { name: 'prmbench', classification: 'circular', errorSteps: [3, 4, 5], sharedSteps: 2, originalLeafSeq: 6, modifiedLeafSeq: 11 },
    });
    expect(store.runs.get(contradiction!).config).toMatchObject({
      benchmark: { classification: 'step_contradiction', sharedSteps: 1, originalLeafSeq: 2, modifiedLeafSeq: 3 },
    });
  });

  it('records that contradict themselves are refused with the reason', async () => {
    const [first] = fs.readFileSync(fixture('prmbench.jsonl'), 'utf8').split('\n');
    const record = JSON.parse(first!);
    const file = path.join(dir, 'bad.jsonl');
    fs.writeFileSync(
      file,
      [
        { ...record, error_steps: [9] },
        { ...record, error_steps: [1] },
        { ...record, modified_process: record.original_process, modified_steps: [] },
        { ...record, classification: undefined },
      ]
        .map((r) => JSON.stringify(r))
        .join('\n'),
    );
    const { store: empty, summary } = await importInto(file, { format: 'prmbench' });
    expect(summary.errors).toEqual([
      { line: 1, reason: 'error_steps: an error step is past the end of modified_process' },
      { line: 2, reason: 'error_steps lists a step the original process shares (steps 1-2 are identical)' },
      { line: 3, reason: 'original_process and modified_process are the same steps' },
      { line: 4, reason: 'classification: Invalid input: expected string, received undefined' },
    ]);
    empty.close();
  });
});

describe('round trips through the exports', () => {
  async function exportFrom(store: Store, input: ExportOptionsInput): Promise<string> {
    const outDir = path.join(dir, `export-${++counter}`);
    await exportDataset(store.connection, ExportRequest.parse({ ...input, outDir }));
    return path.join(outDir, 'train.jsonl');
  }

  /** Every step of every run as "problem / step texts from the root" → rating, so trees split into records compare. */
  function stepsByPath(store: Store, annotator: string, labeledOnly: boolean): Map<string, number | null> {
    const out = new Map<string, number | null>();
    for (const run of runIds(store)) {
      const prompt = store.problems.get(store.runs.get(run).problemId).prompt;
      const view = steps(store, run, annotator);
      const keyOf = (s: StepView): string => (s.parentSeq === null ? prompt : `${keyOf(view[s.parentSeq]!)} / ${s.text}`);
      for (const s of view) if (s.parentSeq !== null && (!labeledOnly || s.rating !== null)) out.set(keyOf(s), s.rating);
    }
    return out;
  }

  for (const [format, fileName] of [
    ['processbench', 'processbench.json'],
    ['prmbench', 'prmbench.jsonl'],
  ] as const) {
    it(`${format} → TRL → import: the same trees and labels (TRL carries labeled steps only)`, async () => {
      const { store } = await importInto(fixture(fileName), { format });
      const file = await exportFrom(store, { format: 'trl', labels: { kind: 'annotator', annotator: format } });
      const { store: back, summary } = await importInto(file, { format: 'trl', annotator: format });
      expect(summary.errors).toEqual([]);
      expect(stepsByPath(back, format, false)).toEqual(stepsByPath(store, format, true));
      if (format === 'prmbench') expect(stepsByPath(back, format, false)).toEqual(stepsByPath(store, format, false));
      store.close();
      back.close();
    });

    it(`${format} → PRM800K (every spine, past errors) → import: the same steps and labels`, async () => {
      const { store } = await importInto(fixture(fileName), { format });
      const file = await exportFrom(store, {
        format: 'prm800k',
        labels: { kind: 'annotator', annotator: format },
        prm800k: { spines: 'all', stopAtFirstError: false },
      });
      const { store: back, summary } = await importInto(file, { format: 'prm800k' });
      expect(summary.errors).toEqual([]);
      expect(back.connection.prepare('SELECT DISTINCT annotator FROM annotations').pluck().all()).toEqual([format]);
      expect(stepsByPath(back, format, false)).toEqual(stepsByPath(store, format, false));
      store.close();
      back.close();
    });
  }
});
