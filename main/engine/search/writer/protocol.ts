/** Messages between a search (any thread) and the writer thread that owns a database's node writes. */
import type { MessagePort } from 'node:worker_threads';
import type { FlushResult } from '../../store/node-writer';
import type { EncodedNodes, EncodedStats } from '../../store/packed-nodes';

export type ToWriter =
  /** `committed[0]` counts the run's committed batches; the writer adds to it and notifies. */
  /** With `start`, the writer marks the run running first (so the search thread writes no run row). */
  | { type: 'open'; runId: number; results: boolean; committed: Int32Array; start?: boolean }
  | { type: 'batch'; runId: number; nodes: EncodedNodes | null; stats: EncodedStats | null }
  /**
   * No more batches for the run. With `final`, the writer also records the run's end (stats,
   * solved, status) in the transaction after its last batch, so the search thread need not wait.
   */
  | { type: 'close'; runId: number; final?: RunFinal }
  /** From the thread that started the writer: another thread's end of a new channel to it. */
  | { type: 'attach'; port: MessagePort };

export type FromWriter =
  /** The rows of a committed batch, when results were asked for. */
  | { type: 'committed'; runId: number; result: FlushResult }
  | { type: 'error'; runId: number; message: string }
  | { type: 'closed'; runId: number };

/** How a run ended, as the writer records it once every node of the run is committed. */
export interface RunFinal {
  stats: Record<string, unknown>;
  solved: boolean;
  status: 'done' | 'cancelled';
}

export interface WriterData {
  dbPath: string;
}
