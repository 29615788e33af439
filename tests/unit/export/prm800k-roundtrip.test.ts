/**
 * PRM800K records in and out again: the final `# Answer` step is read as the answer (a finished,
 * solved tree), and exporting the imported trees gives back the file's records, labeling
 * metadata included (quality-control flag, labeler, timestamp, generation, total_time,
 * human_completion, pre-generated steps and answer, a solution that stops with none chosen).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { ExportRequest, ImportRequest } from '../../../common/contract/export';
import { exportDataset } from '../../../main/engine/export/run-export';
import { importFile } from '../../../main/engine/import/run-import';
import { Store } from '../../../main/engine/store/store';
import { PRM800K_README_RECORD as readmeExample } from './prm800k-records';

const LABELER = readmeExample.labeler;

const completion = (text: string, rating: -1 | 0 | 1 | null, flagged = false) => ({ text, rating, flagged });

/** A quality-control question solved to its `# Answer` step, with a labeler's own step on the way. */
const solved = {
  labeler: LABELER,
  timestamp: '2023-02-03T11:00:00.000000',
  generation: 3,
  is_quality_control_question: true,
  is_initial_screening_question: false,
  question: {
    problem: 'Compute $4 \\cdot 27$.',
    ground_truth_solution: null,
    ground_truth_answer: '108',
    pre_generated_steps: ['4 times 27 is 98.', '# Answer\n\n98'],
    pre_generated_answer: '98',
    pre_generated_verifier_score: 0.2,
  },
  label: {
    steps: [
      { completions: [completion('4 times 27 is 98.', -1)], human_completion: completion('4 times 27 is 108.', 1), chosen_completion: null },
      { completions: [completion('# Answer\n\n108', 1)], human_completion: null, chosen_completion: 0 },
    ],
    total_time: 41000,
    finish_reason: 'solution',
  },
};

let dir: string;
let store: Store;
beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'metacot-prm800k-'));
  const file = path.join(dir, 'phase2.jsonl');
  fs.writeFileSync(file, `${[readmeExample, solved].map((r) => JSON.stringify(r)).join('\n')}\n`);
  store = Store.open(path.join(dir, 'p.db'));
  const summary = await importFile(store, ImportRequest.parse({ format: 'prm800k', path: file }));
  expect(summary.errors).toEqual([]);
});
afterAll(() => {
  store.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

test('the "# Answer" step is the answer: a finished node, correct, and the run solved', () => {
  const run = store.runs.list({ limit: 10, offset: 0 }).runs.find((r) => r.prompt === solved.question.problem)!;
  expect(run.solved).toBe(true);
  const answer = store.nodes.forRun(run.id).find((n) => n.stepText === '# Answer\n\n108')!;
  expect(answer).toMatchObject({ isTerminal: true, outcome: 'correct' });
});

test("exporting the imported trees gives the file's records back", async () => {
  const outDir = path.join(dir, 'out');
  await exportDataset(store.connection, ExportRequest.parse({ format: 'prm800k', outDir, labels: { kind: 'annotator', annotator: LABELER } }));
  const records = fs
    .readFileSync(path.join(outDir, 'train.jsonl'), 'utf8')
    .trim()
    .split('\n')
    .map((line) => {
      const { meta: _meta, ...record } = JSON.parse(line) as Record<string, unknown>;
      return record;
    });
  // A flag the file leaves null is stored as not flagged, so it comes back false.
  const flaggedAsStored = (record: unknown) => JSON.parse(JSON.stringify(record).replaceAll('"flagged":null', '"flagged":false'));
  expect(records).toEqual([flaggedAsStored(readmeExample), solved]);
});
