/**
 * A NodeSink that hands node writes to a writer thread (one per database per process, shared by
 * all runs): the search thread only packs nodes into a typed array and posts it every 512 nodes
 * or 10 ms, small enough that even a short run's writes overlap its search, and SQLite commits
 * them on another core. `finished()` resolves once
 * every node and stat of the run is committed (and every flush result delivered); a write error
 * surfaces there and on the search's next add, so the run fails instead of losing nodes silently.
 */
import { Worker } from 'node:worker_threads';
import type { FlushResult, NewNode, NodeSink, NodeStats } from '../../store/node-writer';
import { encodeStats, NodeEncoder } from './encoding';
import type { FromWriter, ToWriter } from './protocol';
import { workerEntries } from '../../worker-entries';

const POST_EVERY_NODES = 512;
const POST_EVERY_MS = 10;

export class ThreadedNodeSink implements NodeSink {
  private readonly encoder = new NodeEncoder();
  private stats = new Map<number, NodeStats>();
  private lastPost = Date.now();
  private timer: NodeJS.Timeout | undefined;
  private closed = false;
  private failure: Error | null = null;
  private readonly done: Promise<void>;
  private settle!: { resolve: () => void; reject: (e: Error) => void };

  constructor(
    private readonly thread: WriterThread,
    readonly runId: number,
    private readonly onFlush?: (result: FlushResult) => void,
  ) {
    this.done = new Promise((resolve, reject) => (this.settle = { resolve, reject }));
    this.done.catch(() => {}); // observed through finished()
    thread.send({ type: 'open', runId, results: onFlush !== undefined });
  }

  add(node: NewNode): void {
    this.check();
    this.encoder.add(node);
    this.maybePost();
  }

  update(stats: NodeStats): void {
    this.check();
    const prev = this.stats.get(stats.seq);
    this.stats.set(stats.seq, prev ? { ...prev, ...stats } : stats);
    this.maybePost();
  }

  flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.lastPost = Date.now();
    if (this.encoder.count === 0 && this.stats.size === 0) return;
    const nodes = this.encoder.count ? this.encoder.take() : null;
    const stats = this.stats.size ? encodeStats(this.stats.values(), this.stats.size) : null;
    this.stats = new Map();
    this.thread.send({ type: 'batch', runId: this.runId, nodes, stats }, [nodes?.nums.buffer, stats?.nums.buffer].filter((b) => b !== undefined) as ArrayBuffer[]);
  }

  close(): void {
    if (this.closed) return;
    if (!this.failure) this.flush();
    this.closed = true;
    this.thread.send({ type: 'close', runId: this.runId });
  }

  /** Resolves when everything sent is committed; rejects with the writer's error. */
  finished(): Promise<void> {
    this.close();
    return this.done;
  }

  /** Called by the thread with its messages for this run. */
  receive(m: FromWriter): void {
    if (m.type === 'flushed') this.onFlush?.(m.result);
    else if (m.type === 'error') this.fail(new Error(m.message));
    else if (this.failure) this.settle.reject(this.failure);
    else this.settle.resolve();
  }

  fail(error: Error): void {
    this.failure ??= error;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }

  /** The thread is gone: nothing more will arrive. */
  abandon(error: Error): void {
    this.fail(error);
    this.settle.reject(this.failure!);
  }

  private check(): void {
    if (this.failure) throw this.failure;
    if (this.closed) throw new Error(`Run ${this.runId}: node sink is closed`);
  }

  private maybePost(): void {
    if (this.encoder.count >= POST_EVERY_NODES || Date.now() - this.lastPost >= POST_EVERY_MS) this.flush();
    else if (!this.timer) {
      this.timer = setTimeout(() => this.flush(), POST_EVERY_MS);
      this.timer.unref?.();
    }
  }
}

/** One writer thread and its connection for one database file; idle threads do not keep a process alive. */
export class WriterThread {
  private readonly sinks = new Map<number, ThreadedNodeSink>();
  private worker: Worker | null = null;

  constructor(
    readonly dbPath: string,
    private readonly url: URL = workerEntries.writer,
  ) {}

  open(runId: number, onFlush?: (result: FlushResult) => void): ThreadedNodeSink {
    if (this.sinks.has(runId)) throw new Error(`Run ${runId} is already being written`);
    this.ensureWorker().ref();
    const sink = new ThreadedNodeSink(this, runId, onFlush);
    this.sinks.set(runId, sink);
    return sink;
  }

  send(message: ToWriter, transfer: ArrayBuffer[] = []): void {
    this.ensureWorker().postMessage(message, transfer);
  }

  async terminate(): Promise<void> {
    const worker = this.worker;
    this.worker = null;
    for (const sink of this.sinks.values()) sink.abandon(new Error('the writer thread was stopped'));
    this.sinks.clear();
    await worker?.terminate();
  }

  private ensureWorker(): Worker {
    if (this.worker) return this.worker;
    const worker = new Worker(this.url, { workerData: { dbPath: this.dbPath } });
    worker.on('message', (m: FromWriter) => {
      const sink = this.sinks.get(m.runId);
      sink?.receive(m);
      if (m.type === 'closed') {
        this.sinks.delete(m.runId);
        if (this.sinks.size === 0) worker.unref();
      }
    });
    const lost = (why: string) => {
      if (this.worker !== worker) return;
      this.worker = null;
      for (const sink of this.sinks.values()) sink.abandon(new Error(`the writer thread stopped: ${why}`));
      this.sinks.clear();
    };
    worker.on('error', (e) => lost(e.message));
    worker.on('exit', (code) => lost(`exit code ${code}`));
    this.worker = worker;
    return worker;
  }
}

const threads = new Map<string, WriterThread>();

/** The shared writer thread for a database file (started on first use). */
export function writerThreadFor(dbPath: string): WriterThread {
  let thread = threads.get(dbPath);
  if (!thread) {
    thread = new WriterThread(dbPath);
    threads.set(dbPath, thread);
  }
  return thread;
}

/** Stops every writer thread (their runs must be finished first). */
export async function closeWriterThreads(): Promise<void> {
  const all = [...threads.values()];
  threads.clear();
  await Promise.all(all.map((t) => t.terminate()));
}
