/**
 * A search worker thread: opens its own connection to the database (run rows, reads; WAL lets it
 * work while the caller's thread reads and writes labels), sends its nodes to the database's
 * writer thread over the port it was given, and executes the runs it is sent (several at once when
 * the manager sends several endpoint runs).
 * Bundlers can build this file as a worker entry directly; under tsx, search-worker.mjs loads it.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { adoptRequestPool } from '../../providers/request-pool';
import { Store } from '../../store/store';
import { SearchRuntime } from '../runtime';
import { executeAndReport } from './execute';
import type { FromWorker, ToWorker, WorkerData } from './protocol';

if (!parentPort) throw new Error('search-worker must run in a worker thread');
const port = parentPort;
const { dbPath, writerPort, liveNodes, requestPool } = workerData as WorkerData;
adoptRequestPool(requestPool);
const store = Store.open(dbPath);
// This worker's view of the database's runtime: the manager's writer thread, over the port it gave.
const runtime = SearchRuntime.inWorker(dbPath, writerPort);
const controllers = new Map<number, AbortController>();
const post = (message: FromWorker) => port.postMessage(message);

port.on('message', (message: ToWorker) => {
  if (message.type === 'cancel') {
    controllers.get(message.runId)?.abort();
    return;
  }
  const controller = new AbortController();
  controllers.set(message.runId, controller);
  // Should the writer thread have died, later runs write on this worker's own connection.
  const writer = runtime.writer() ? 'thread' : 'inline';
  void executeAndReport(store, message.runId, controller.signal, post, { runtime, writer, liveNodes }).finally(() => controllers.delete(message.runId));
});

port.on('close', () => store.close());
