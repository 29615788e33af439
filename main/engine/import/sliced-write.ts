/**
 * The writing pass of an import, in slices: each slice is one short transaction (about
 * SLICE_MS of work), and between slices the event loop runs, so other clients of `serve` are
 * never stalled for longer than one slice. All or nothing still holds: the slices write into an
 * import batch (store/import-batches.ts) that is finished only when the last slice committed; a
 * failure or cancel undoes what the batch created (in slices too), and a batch whose process died
 * is undone when the database is next opened.
 */
import { ApiError } from '../../../common/contract/define';
import type { Store } from '../store/store';
import type { ImportItem } from './types';
import { ImportWriter, type WriteCounts } from './writer';

const SLICE_MS = 10;
const UNDO_RUNS_PER_SLICE = 100;
const FORGET_ROWS_PER_SLICE = 20_000;

export interface SliceControl {
  signal?: AbortSignal;
  onProgress?: (lines: number) => void;
}

const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * Writes every item `produce` delivers (a generator that yields after each record and feeds
 * items to the `write` it is given) and returns the counts.
 */
export async function writeInSlices(
  store: Store,
  source: string,
  produce: (write: (item: ImportItem) => void) => Generator<number, number>,
  control: SliceControl = {},
): Promise<WriteCounts> {
  const batch = store.importBatches.begin(source);
  const writer = new ImportWriter(store, (kind, id) => store.importBatches.record(batch, kind, id));
  const steps = produce((item) => (item.kind === 'problem' ? writer.problemId(item.problem) : writer.writeTree(item.tree)));
  // One slice, one transaction (store.atomically): about SLICE_MS of records.
  const slice = () =>
    store.atomically((): { done: boolean; lines: number } => {
      const until = performance.now() + SLICE_MS;
      for (;;) {
        const step = steps.next();
        // The last slice marks the batch finished in its own transaction: written means kept.
        if (step.done) store.importBatches.markFinished(batch);
        if (step.done || performance.now() >= until) return { done: step.done === true, lines: step.value };
      }
    });
  try {
    for (;;) {
      if (control.signal?.aborted) throw new ApiError('conflict', 'Import cancelled; nothing was kept.');
      const { done, lines } = slice();
      if (done) break;
      control.onProgress?.(lines);
      await nextTurn();
    }
  } catch (error) {
    try {
      while (!store.importBatches.undoStep(batch, UNDO_RUNS_PER_SLICE)) await nextTurn();
    } catch {
      // Undoing failed too (full disk): the batch stays recorded and is undone on the next open.
    }
    throw error;
  }
  // Kept for good; only the bookkeeping goes (a failure here loses nothing: the next open ends it).
  try {
    while (!store.importBatches.finishStep(batch, FORGET_ROWS_PER_SLICE)) await nextTurn();
  } catch {
    // Left for undoOrphans, which forgets finished batches.
  }
  return writer.counts;
}
