/** Messages between a search (any thread) and the writer thread that owns a database's node writes. */
import type { MessagePort } from 'node:worker_threads';
import type { FlushResult } from '../../store/node-writer';
import type { EncodedNodes, EncodedStats } from './encoding';

export type ToWriter =
  /** `committed[0]` counts the run's committed batches; the writer adds to it and notifies. */
  | { type: 'open'; runId: number; results: boolean; committed: Int32Array }
  | { type: 'batch'; runId: number; nodes: EncodedNodes | null; stats: EncodedStats | null }
  | { type: 'close'; runId: number }
  /** From the thread that started the writer: another thread's end of a new channel to it. */
  | { type: 'attach'; port: MessagePort };

export type FromWriter =
  /** The rows of a committed batch, when results were asked for. */
  | { type: 'committed'; runId: number; result: FlushResult }
  | { type: 'error'; runId: number; message: string }
  | { type: 'closed'; runId: number };

export interface WriterData {
  dbPath: string;
}
