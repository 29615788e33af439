/** Finish reasons are each annotator's own (migration 005), through the contract, with undo. */
import { afterEach, expect, test } from 'vitest';
import type { Engine } from '../../../main/engine/engine';
import { callEngine } from '../../helpers/engine-call';
import { engineOnSampleTree } from '../../helpers/sample-engine';

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
