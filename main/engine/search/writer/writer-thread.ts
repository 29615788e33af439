/**
 * The writer thread: owns one connection to a database and commits the node batches searches send
 * it, one transaction per batch (store/packed-node-writer.ts). Searches on other threads then only encode and
 * post, so SQLite work runs alongside the search instead of inside it. The thread that started it
 * talks to it directly; other threads (search workers) get their own channel through `attach`,
 * so every search in the process shares this one writer and its one connection.
 */
import { parentPort, workerData, type MessagePort } from 'node:worker_threads';
import { PackedNodeWriter } from '../../store/packed-node-writer';
import { Store } from '../../store/store';
import type { FromWriter, RunFinal, ToWriter, WriterData } from './protocol';

if (!parentPort) throw new Error('writer-thread must run in a worker thread');
const store = Store.open((workerData as WriterData).dbPath);
// The store's packed-node writer checks runs and parents itself; this connection writes nothing else.
const statements = store.packedNodeStatements();

interface Replier {
  postMessage(message: FromWriter): void;
}

/** Open runs, with the channel each was opened on; failed runs ignore further batches until closed. */
const runs = new Map<number, { writer: PackedNodeWriter | null; reply: Replier; committed: Int32Array }>();

function handle(m: Exclude<ToWriter, { type: 'attach' }>, reply: Replier): void {
  const run = runs.get(m.runId);
  try {
    if (m.type === 'open') {
      if (m.start) store.runs.setStatus(m.runId, 'running');
      runs.set(m.runId, { writer: new PackedNodeWriter(statements, m.runId, m.results), reply, committed: m.committed });
    } else if (m.type === 'batch') {
      if (!run) throw new Error(`run ${m.runId} has no open writer`);
      if (!run.writer) return;
      const result = run.writer.commit(m.nodes, m.stats);
      if (result) reply.postMessage({ type: 'committed', runId: m.runId, result });
      // The search reads this counter without waiting for a message (batch sizing, backpressure).
      Atomics.add(run.committed, 0, 1);
      Atomics.notify(run.committed, 0);
    } else {
      runs.delete(m.runId);
      // A run whose writes failed ends on the search's side (it records the failure itself).
      if (m.final && run?.writer) finishRun(m.runId, m.final);
      reply.postMessage({ type: 'closed', runId: m.runId });
    }
  } catch (error) {
    const committed = m.type === 'open' ? m.committed : run?.committed;
    if (committed && m.type !== 'close') runs.set(m.runId, { writer: null, reply, committed });
    reply.postMessage({ type: 'error', runId: m.runId, message: error instanceof Error ? error.message : String(error) });
    if (m.type === 'close') {
      runs.delete(m.runId);
      reply.postMessage({ type: 'closed', runId: m.runId });
    }
  }
}

const finishRun = (runId: number, final: RunFinal) =>
  store.atomically(() => {
    store.runs.updateStats(runId, final.stats, final.solved);
    store.runs.setStatus(runId, final.status);
  });

function attach(port: MessagePort): void {
  port.on('message', (m: ToWriter) => {
    if (m.type !== 'attach') handle(m, port);
  });
  // The other thread ended (a search worker stopped): forget its runs.
  port.on('close', () => {
    for (const [id, run] of runs) if (run.reply === port) runs.delete(id);
  });
}

const own = parentPort;
own.on('message', (m: ToWriter) => (m.type === 'attach' ? attach(m.port) : handle(m, own)));
own.on('close', () => store.close());
