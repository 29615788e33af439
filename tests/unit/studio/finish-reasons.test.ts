/** Finish reasons are each annotator's own (migration 005), through the contract, with undo. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, expect, test } from 'vitest';
import { ImportRequest } from '../../../common/contract/export';
import { importFile } from '../../../main/engine/import/run-import';
import { Store } from '../../../main/engine/store/store';
import type { Engine } from '../../../main/engine/engine';
import { callEngine } from '../../helpers/engine-call';
import { engineOnSampleTree } from '../../helpers/sample-engine';
import { PRM800K_README_RECORD } from '../export/prm800k-records';

let engine: Engine | null = null;
afterEach(() => engine?.close());

test('two annotators keep their own finish reasons; undo takes back only its own; the run shows the latest', async () => {
  const opened = engineOnSampleTree();
  engine = opened.engine;
  const { runId } = opened;
  const tree = () => callEngine(engine!, 'getTree', { runId });

  await callEngine(engine, 'setFinishReason', { runId, annotator: 'ada', reason: 'solution' });
  await callEngine(engine, 'setFinishReason', { runId, annotator: 'bob', reason: 'found_error' });
  expect((await tree()).finishReasons).toEqual([
    { annotator: 'ada', reason: 'solution' },
    { annotator: 'bob', reason: 'found_error' },
  ]);
  expect((await tree()).run.finishReason).toBe('found_error');

  await callEngine(engine, 'undo', { annotator: 'bob' });
  expect((await tree()).finishReasons).toEqual([{ annotator: 'ada', reason: 'solution' }]);
  expect((await tree()).run.finishReason).toBe('solution');
  await callEngine(engine, 'setFinishReason', { runId, annotator: 'ada', reason: null });
  expect((await tree()).finishReasons).toEqual([]);
  expect((await tree()).run.finishReason).toBeNull();
});

test("an imported PRM800K record's finish reason is its labeler's", async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'metacot-finish-import-'));
  const file = path.join(dir, 'one.jsonl');
  fs.writeFileSync(file, `${JSON.stringify(PRM800K_README_RECORD)}\n`);
  const store = Store.open(path.join(dir, 'i.db'));
  try {
    expect((await importFile(store, ImportRequest.parse({ format: 'prm800k', path: file }))).errors).toEqual([]);
    const runId = store.runs.list({ limit: 1, offset: 0 }).runs[0]!.id;
    expect(store.annotations.forRun(runId).finishReasons).toEqual([{ annotator: PRM800K_README_RECORD.labeler, reason: 'found_error' }]);
  } finally {
    store.close();
  }
});
