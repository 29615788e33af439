/** Messages between the search manager (caller's thread) and a search worker thread. */
import type { MessagePort } from 'node:worker_threads';
import type { Run, TreeNode } from '../../../../common/domain';
import type { FlushResult } from '../../store/node-writer';

export interface WorkerData {
  dbPath: string;
  /** A channel to the database's writer thread; without one the worker writes nodes itself. */
  writerPort?: MessagePort;
  /** Report every committed node (nodesAdded / nodesUpdated); batch jobs leave them out. */
  liveNodes: boolean;
  /** The process's model-server request pool (providers/request-pool.ts), so every thread shares one limit. */
  requestPool: SharedArrayBuffer;
}

export type ToWorker = { type: 'run'; runId: number } | { type: 'cancel'; runId: number };

export type FromWorker =
  | { type: 'runChanged'; run: Run }
  | { type: 'nodesAdded'; runId: number; nodes: TreeNode[] }
  | { type: 'nodesUpdated'; runId: number; nodes: FlushResult['updated'] }
  /** The run ended (done, cancelled, failed) or could not start (`error`). */
  | { type: 'finished'; runId: number; error?: string };
