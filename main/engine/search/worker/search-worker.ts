/**
 * A search worker thread: opens its own connection to the database (WAL lets it write nodes while
 * the caller's thread reads and writes labels) and executes the runs it is sent, one at a time.
 * Bundlers can build this file as a worker entry directly; under tsx, search-worker.mjs loads it.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { Store } from '../../store/store';
import '../providers';
import { executeAndReport } from './execute';
import type { FromWorker, ToWorker, WorkerData } from './protocol';

if (!parentPort) throw new Error('search-worker must run in a worker thread');
const port = parentPort;
const { dbPath } = workerData as WorkerData;
const store = Store.open(dbPath);
const controllers = new Map<number, AbortController>();
const post = (message: FromWorker) => port.postMessage(message);

port.on('message', (message: ToWorker) => {
  if (message.type === 'cancel') {
    controllers.get(message.runId)?.abort();
    return;
  }
  const controller = new AbortController();
  controllers.set(message.runId, controller);
  void executeAndReport(store, message.runId, controller.signal, post).finally(() => controllers.delete(message.runId));
});

port.on('close', () => store.close());
