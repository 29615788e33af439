/**
 * The writer thread: owns one connection to a database and commits the node batches searches send
 * it, one transaction per batch, through the store's NodeWriter. Searches on other threads then
 * only encode and post, so SQLite work runs alongside the search instead of inside it.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { NodeWriter } from '../../store/node-writer';
import { Store } from '../../store/store';
import { decodeNodes, decodeStats } from './encoding';
import type { FromWriter, ToWriter } from './protocol';

if (!parentPort) throw new Error('writer-thread must run in a worker thread');
const port = parentPort;
const store = Store.open((workerData as { dbPath: string }).dbPath);
const writers = new Map<number, NodeWriter>();
const failed = new Set<number>();
const post = (m: FromWriter) => port.postMessage(m);
/** Flushes happen when a batch arrives, never on the writer's own clock. */
const NEVER_MS = 1_000_000_000;

port.on('message', (m: ToWriter) => {
  if (failed.has(m.runId) && m.type !== 'close') return;
  try {
    if (m.type === 'open') {
      failed.delete(m.runId);
      writers.set(
        m.runId,
        store.nodeWriter(m.runId, {
          flushIntervalMs: NEVER_MS,
          maxBatch: Number.MAX_SAFE_INTEGER,
          onFlush: m.results ? (result) => post({ type: 'flushed', runId: m.runId, result }) : undefined,
        }),
      );
    } else if (m.type === 'batch') {
      const writer = writers.get(m.runId);
      if (!writer) throw new Error(`run ${m.runId} has no open writer`);
      if (m.nodes) for (const n of decodeNodes(m.nodes)) writer.add(n);
      if (m.stats) for (const s of decodeStats(m.stats)) writer.update(s);
      writer.flush();
    } else {
      const writer = writers.get(m.runId);
      writers.delete(m.runId);
      if (!failed.delete(m.runId)) writer?.close();
      post({ type: 'closed', runId: m.runId });
    }
  } catch (error) {
    failed.add(m.runId);
    writers.delete(m.runId);
    post({ type: 'error', runId: m.runId, message: error instanceof Error ? error.message : String(error) });
    if (m.type === 'close') post({ type: 'closed', runId: m.runId });
  }
});

port.on('close', () => store.close());
