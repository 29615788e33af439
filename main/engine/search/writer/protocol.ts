/** Messages between a search (any thread) and the writer thread that owns a database's node writes. */
import type { FlushResult } from '../../store/node-writer';
import type { EncodedNodes, EncodedStats } from './encoding';

export type ToWriter =
  | { type: 'open'; runId: number; results: boolean }
  | { type: 'batch'; runId: number; nodes: EncodedNodes | null; stats: EncodedStats | null }
  | { type: 'close'; runId: number };

export type FromWriter =
  | { type: 'flushed'; runId: number; result: FlushResult }
  | { type: 'error'; runId: number; message: string }
  | { type: 'closed'; runId: number };
