/** Export, import into a fresh database, and get the same tree, labels and order back. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ExportRequest, ImportRequest, type ExportOptionsInput, type ImportRequestInput } from '../../../common/contract/export';
import { exportDataset } from '../../../main/engine/export/run-export';
import { importFile } from '../../../main/engine/import/run-import';
import { Store } from '../../../main/engine/store/store';
import { PRM800K_README_RECORD } from './prm800k-records';
import { buildFixtureDb, type FixtureDb } from './fixtures';

let dir: string;
let fx: FixtureDb;
let counter = 0;

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'metacot-roundtrip-'));
  fx = buildFixtureDb(path.join(dir, 'fixture.db'));
});
afterAll(() => {
  fx.store.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

interface NodeView {
  seq: number;
  parentSeq: number | null;
  stepText: string;
  isTerminal: boolean;
  outcome: string | null;
  exactLabel: number | null;
  rating: number | null;
}

/** A run's exported nodes (pruned subtrees left out) with one annotator's ratings, in seq order. */
function treeView(store: Store, runId: number, annotator: string | null): NodeView[] {
  const nodes = store.nodes.forRun(runId);
  const seqById = new Map(nodes.map((n) => [n.id, n.seq]));
  const kept = new Set<number>();
  for (const n of nodes) if (!n.pruned && (n.parentId === null || kept.has(n.parentId))) kept.add(n.id);
  const ratings = new Map(
    store.annotations
      .forRun(runId)
      .annotations.filter((a) => a.annotator === annotator)
      .map((a) => [a.nodeId, a.rating]),
  );
  return nodes
    .filter((n) => kept.has(n.id))
    .map((n) => ({
      seq: n.seq,
      parentSeq: n.parentId === null ? null : seqById.get(n.parentId)!,
      stepText: n.stepText,
      isTerminal: n.isTerminal,
      outcome: n.outcome,
      exactLabel: n.exactLabel,
      rating: ratings.get(n.id) ?? null,
    }));
}

async function exportFile(input: ExportOptionsInput, db = fx.store): Promise<string> {
  const outDir = path.join(dir, `export-${++counter}`);
  await exportDataset(db.connection, ExportRequest.parse({ ...input, outDir }));
  return path.join(outDir, 'train.jsonl');
}

async function importInto(file: string, input: Omit<ImportRequestInput, 'path'>): Promise<Store> {
  const store = Store.open(path.join(dir, `import-${++counter}.db`));
  const summary = await importFile(store, ImportRequest.parse({ ...input, path: file }));
  expect(summary.errors).toEqual([]);
  expect(summary.committed).toBe(true);
  return store;
}

const runOf = (store: Store, prompt: string) =>
  store.runs.list({ limit: 100, offset: 0 }).runs.filter((r) => r.prompt === prompt).map((r) => r.id);

describe('PRM800K as published', () => {
  it("reads the dataset README's example: ratings by the labeler, siblings, the spine and finish reason", async () => {
    const record = PRM800K_README_RECORD;
    const file = path.join(dir, 'prm800k-readme.jsonl');
    fs.writeFileSync(file, `${JSON.stringify(record)}\n`);
    const store = await importInto(file, { format: 'prm800k' });
    const [run] = store.runs.list({ limit: 1, offset: 0 }).runs;
    expect(run).toMatchObject({ finishReason: 'found_error', algorithm: 'best-of-n', policy: 'import:prm800k' });
    const view = treeView(store, run!.id, record.labeler);
    expect(view.map((n) => [n.seq, n.parentSeq, n.rating])).toEqual([
      [0, null, null],
      [1, 0, 0],
      [2, 1, 0],
      [3, 2, -1],
      [4, 2, 0],
      [5, 2, 0],
    ]);
    const flagged = store.annotations.forRun(run!.id).annotations.filter((a) => a.flagged);
    expect(flagged.map((a) => store.nodes.get(a.nodeId).seq)).toEqual([5]);
    // The spine stops before the whole pre-generated solution, so its verifier score is not a step's.
    expect(store.nodes.forRun(run!.id).every((n) => n.score === null)).toBe(true);
    expect(store.problems.get(run!.problemId)).toMatchObject({ goldAnswer: '40,\\!000', metadata: { source: 'PRM800K' } });
    store.close();
  });
});

describe('round trips', () => {
  it('TRL: the labeled tree, its labels and its order come back exactly', async () => {
    const file = await exportFile({ format: 'trl', labels: { kind: 'annotator', annotator: 'alice' }, filters: { runIds: [1, 2] } });
    const store = await importInto(file, { format: 'trl', annotator: 'alice' });
    const runs = store.runs.list({ limit: 10, offset: 0, direction: 'asc' }).runs;
    expect(runs).toHaveLength(2);
    // Countdown: every node is on a labeled path, so the whole tree returns, exact labels replayed.
    expect(treeView(store, runs[0]!.id, 'alice')).toEqual(treeView(fx.store, 1, 'alice'));
    // Math: the pruned branch was never exported; everything else returns.
    expect(treeView(store, runs[1]!.id, 'alice')).toEqual(treeView(fx.store, 2, 'alice'));
    store.close();
  });

  it('TRL without meta: paths are merged by their step texts', async () => {
    const file = await exportFile({
      format: 'trl',
      labels: { kind: 'annotator', annotator: 'alice' },
      filters: { runIds: [2] },
      trl: { meta: false },
    });
    const store = await importInto(file, { format: 'trl', annotator: 'alice' });
    const [run] = runOf(store, fx.store.problems.get(2).prompt);
    // Nodes come in the order paths first reach them; labels are booleans, so +1 and 0 come
    // back as +1 and -1 as -1 (alice used no 0 on this tree). Without meta there is no gold
    // answer, so outcomes stay unchecked.
    const edges = (view: NodeView[]) =>
      view.map((n) => [view.find((p) => p.seq === n.parentSeq)?.stepText ?? null, n.stepText, n.rating, n.isTerminal]).sort();
    expect(edges(treeView(store, run!, 'alice'))).toEqual(edges(treeView(fx.store, 2, 'alice')));
    expect(store.nodes.forRun(run!).map((n) => n.stepText)).toEqual([
      '',
      'Natalia sold 48/2 = 24 clips in May.',
      'Altogether she sold 48+24 = 72 clips.\nThe answer is 72',
      'The answer is 24',
      'In May she sold 48*2 = 96 clips.',
      'The answer is 144',
    ]);
    store.close();
  });

  it('generic trace: tree, labels and expansion order come back from the text', async () => {
    const file = await exportFile({
      format: 'trace',
      labels: { kind: 'annotator', annotator: 'alice' },
      filters: { runIds: [2] },
      trace: { order: 'expansion', stopAtGoal: false },
    });
    const store = await importInto(file, { format: 'trace', annotator: 'alice' });
    const [run] = runOf(store, fx.store.problems.get(2).prompt);
    expect(treeView(store, run!, 'alice')).toEqual(treeView(fx.store, 2, 'alice'));
    store.close();
  });

  it('Stream of Search trace: the countdown tree and its order come back (the syntax carries no labels)', async () => {
    const file = await exportFile({ format: 'trace', filters: { runIds: [1] }, trace: { order: 'expansion', stopAtGoal: false } });
    const store = await importInto(file, { format: 'trace' });
    const [run] = runOf(store, '24:[4, 9, 3]');
    expect(treeView(store, run!, null)).toEqual(treeView(fx.store, 1, null));
    // States were read from the trace.
    expect(store.nodes.forRun(run!).map((n) => n.state)).toEqual(fx.store.nodes.forRun(1).map((n) => n.state));
    store.close();
  });

  it('Stream of Search DFS trace: every explored node comes back with its parent', async () => {
    const file = await exportFile({ format: 'trace', filters: { runIds: [1] }, trace: { order: 'dfs', stopAtGoal: false } });
    const store = await importInto(file, { format: 'trace' });
    const [run] = runOf(store, '24:[4, 9, 3]');
    const byText = (view: NodeView[]) =>
      view.map((n) => `${n.parentSeq === null ? '' : view.find((p) => p.seq === n.parentSeq)!.stepText}>${n.stepText}`).sort();
    expect(byText(treeView(store, run!, null))).toEqual(byText(treeView(fx.store, 1, null)));
    store.close();
  });

  it('PRM800K: re-exporting the imported records gives the same records', async () => {
    const options: ExportOptionsInput = {
      format: 'prm800k',
      labels: { kind: 'annotator', annotator: 'alice' },
      filters: { runIds: [1, 2] },
    };
    const file = await exportFile(options);
    const store = await importInto(file, { format: 'prm800k' });
    const again = await exportFile({ ...options, filters: {} }, store);
    const strip = (f: string) =>
      fs
        .readFileSync(f, 'utf8')
        .trim()
        .split('\n')
        .map((l) => {
          const { timestamp: _t, meta: _m, label, ...rest } = JSON.parse(l);
          return { ...rest, label: { ...label, total_time: null } };
        });
    expect(strip(again)).toEqual(strip(file));
    store.close();
  });

  it('Math-Shepherd: labels come back as automatic labels and re-export unchanged', async () => {
    const file = await exportFile({ format: 'math-shepherd', labels: { kind: 'annotator', annotator: 'alice' }, filters: { runIds: [1, 2] } });
    const store = await importInto(file, { format: 'math-shepherd' });
    // No human label was invented: the +/- are suggestions under source "import".
    expect(store.connection.prepare('SELECT count(*) AS n FROM annotations').get()).toEqual({ n: 0 });
    const again = await exportFile({ format: 'math-shepherd', labels: { kind: 'auto', source: 'import' } }, store);
    expect(fs.readFileSync(again, 'utf8')).toEqual(fs.readFileSync(file, 'utf8'));
    store.close();
  });

  it('soft Math-Shepherd labels import as values', async () => {
    const file = await exportFile({ format: 'math-shepherd', filters: { runIds: [2] }, mathShepherd: { variant: 'soft' } });
    const store = await importInto(file, { format: 'math-shepherd' });
    const values = store.connection.prepare("SELECT value FROM auto_labels WHERE source = 'import' ORDER BY run_id, node_id").all();
    expect(values.map((v) => (v as { value: number }).value)).toEqual([0.5, 1, 0.5, 0, 0, 0]);
    store.close();
  });
});
