/**
 * A NodeSink that hands node writes to a writer thread (one per database per process, shared by
 * all runs and all search workers; the database's SearchRuntime, ../runtime.ts, starts it and hands
 * it down): the search thread only packs nodes into a typed array and a string and posts them, and
 * SQLite commits them on another core.
 *
 * Batches are sized by the writer's pace, read from a shared counter of committed batches (no
 * message round trip): while the writer is idle, every 256 new nodes go at once, so it starts early
 * and is never far behind when the run ends; while it is busy, nodes gather up to 512 a batch.
 * Stats updates merge per node and ride along; a timer posts stragglers after 10 ms.
 *
 * Backpressure: at most `maxInFlight` batches are posted and not yet committed. Past that the sink
 * holds new nodes and `ready()` answers a promise the search awaits (SearchRun.tick), so a writer
 * slower than the search slows the search instead of piling batches up in memory.
 *
 * `finished()` resolves once every node and stat of the run is committed (and every result
 * delivered); a write error surfaces there and on the search's next add, so the run fails instead
 * of losing nodes silently.
 */
import { MessageChannel, Worker, type MessagePort } from 'node:worker_threads';
import type { FlushResult, NewNode, NodeSink, NodeStats } from '../../store/node-writer';
import { workerEntries } from '../../worker-entries';
import { encodeStats, NodeEncoder, type EncodedStats } from '../../store/packed-nodes';
import type { FromWriter, RunFinal, ToWriter, WriterData } from './protocol';

const POST_EVERY_NODES = 512;
const POST_WHEN_IDLE_NODES = 256;
const POST_EVERY_STATS = 4096;
const POST_EVERY_MS = 10;
/** Batches posted but not committed before the search waits: a few thousand nodes, a few MB at most. */
export const MAX_IN_FLIGHT = 8;
/** How often a waiting search re-checks that the writer is still there. */
const WAIT_SLICE_MS = 50;

/** Atomics.waitAsync (ES2024; Node has it, the ES2023 lib types do not). */
const waitAsync = (Atomics as unknown as {
  waitAsync(a: Int32Array, index: number, value: number, timeoutMs: number): { async: boolean; value: Promise<string> | string };
}).waitAsync;

export interface ThreadedSinkOptions {
  /** Committed rows of every batch (live trees). */
  onFlush?: (result: FlushResult) => void;
  maxInFlight?: number;
  /** Have the writer mark the run running before its first batch (see RunFinal for its end). */
  start?: boolean;
}

export class ThreadedNodeSink implements NodeSink {
  private readonly encoder = new NodeEncoder();
  /** Stats held for the next batch, one merged record per node, by seq; `touched` lists their seqs. */
  private readonly statsBySeq: (NodeStats | undefined)[] = [];
  private touched: number[] = [];
  private timer: NodeJS.Timeout | undefined;
  /** [0]: batches of this run the writer has committed. */
  private readonly committed = new Int32Array(new SharedArrayBuffer(4));
  private posted = 0;
  private closed = false;
  private failure: Error | null = null;
  private readonly done: Promise<void>;
  private settle!: { resolve: () => void; reject: (e: Error) => void };
  private readonly maxInFlight: number;
  private readonly onFlush: ((result: FlushResult) => void) | undefined;

  constructor(
    private readonly thread: WriterThread,
    readonly runId: number,
    options: ThreadedSinkOptions = {},
  ) {
    this.maxInFlight = Math.max(1, options.maxInFlight ?? MAX_IN_FLIGHT);
    this.onFlush = options.onFlush;
    this.done = new Promise((resolve, reject) => (this.settle = { resolve, reject }));
    this.done.catch(() => {}); // observed through finished()
    thread.send({ type: 'open', runId, results: this.onFlush !== undefined, committed: this.committed, ...(options.start ? { start: true } : {}) });
  }

  add(node: NewNode): void {
    this.check();
    this.encoder.add(node);
    this.pump();
  }

  update(stats: NodeStats): void {
    this.check();
    // MCTS backs up along a path on every simulation: merge into one record per node in place.
    let held = this.statsBySeq[stats.seq];
    if (!held) {
      held = this.statsBySeq[stats.seq] = { seq: stats.seq };
      this.touched.push(stats.seq);
    }
    if (stats.visits !== undefined) held.visits = stats.visits;
    if (stats.q !== undefined) held.q = stats.q;
    if (stats.value !== undefined) held.value = stats.value;
    if (stats.score !== undefined) held.score = stats.score;
    if (!this.timer || this.touched.length >= POST_EVERY_STATS) this.pump();
  }

  /** Posts everything held now, whatever is in flight (the end of a run, an explicit flush). */
  flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    if (this.encoder.count === 0 && this.touched.length === 0) return;
    const nodes = this.encoder.count ? this.encoder.take() : null;
    const stats = this.touched.length ? this.takeStats() : null;
    this.posted++;
    // The node numbers are copied (a view of the encoder's reused buffer); the stats' array is handed over.
    this.thread.send({ type: 'batch', runId: this.runId, nodes, stats }, stats ? [stats.nums.buffer as ArrayBuffer] : []);
  }

  /** Batches posted and not yet committed. */
  get pendingBatches(): number {
    return this.posted - Atomics.load(this.committed, 0);
  }

  /** null while the writer keeps up; else resolves when it has room again (or the sink failed). */
  ready(): Promise<void> | null {
    if (this.failure || this.pendingBatches < this.maxInFlight) return null;
    return this.waitForRoom();
  }

  close(): void {
    this.end();
  }

  /**
   * Closes the sink and has the writer record the run's end after its last batch (one transaction
   * on the writer's connection): the search thread goes on without waiting for the commit, and
   * never contends with the writer for the run row. finished() says when it is all stored.
   */
  finish(final: RunFinal): void {
    this.end(final);
  }

  private end(final?: RunFinal): void {
    if (this.closed) return;
    if (!this.failure) this.flush();
    this.closed = true;
    this.thread.send({ type: 'close', runId: this.runId, ...(final && !this.failure ? { final } : {}) });
  }

  /** Resolves when everything sent is committed; rejects with the writer's error. */
  finished(): Promise<void> {
    this.close();
    return this.done;
  }

  /** Called by the thread with its messages for this run. */
  receive(m: FromWriter): void {
    if (m.type === 'committed') this.onFlush?.(m.result);
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

  private async waitForRoom(): Promise<void> {
    while (!this.failure && this.pendingBatches >= this.maxInFlight) {
      const wait = waitAsync(this.committed, 0, Atomics.load(this.committed, 0), WAIT_SLICE_MS);
      if (wait.async) await wait.value;
    }
    // Room again: post what gathered meanwhile, if it is a batch's worth.
    if (!this.closed && !this.failure) this.pump();
  }

  private takeStats(): EncodedStats {
    const held = this.touched.map((seq) => {
      const stats = this.statsBySeq[seq]!;
      this.statsBySeq[seq] = undefined;
      return stats;
    });
    this.touched = [];
    return encodeStats(held, held.length);
  }

  private check(): void {
    if (this.failure) throw this.failure;
    if (this.closed) throw new Error(`Run ${this.runId}: node sink is closed`);
  }

  /**
   * Posts when a batch is full, or when the writer is idle and enough nodes wait, and the writer
   * has room; otherwise makes sure a timer posts them later. Stats alone wait for the timer, so
   * the many updates of MCTS backups coalesce into one per node.
   */
  private pump(): void {
    const nodes = this.encoder.count;
    const stats = this.touched.length;
    if (nodes === 0 && stats === 0) return;
    const pending = this.pendingBatches;
    if (pending >= this.maxInFlight) return this.armTimer(); // or waitForRoom pumps again
    if (nodes >= POST_EVERY_NODES || stats >= POST_EVERY_STATS || (pending === 0 && nodes >= POST_WHEN_IDLE_NODES)) this.flush();
    else this.armTimer();
  }

  /** Posts what is held in a while (a search waiting on a model still shows its nodes), once there is room. */
  private armTimer(): void {
    if (this.timer || this.closed || this.failure) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      if (this.pendingBatches < this.maxInFlight) this.flush();
      else this.armTimer();
    }, POST_EVERY_MS);
    this.timer.unref?.();
  }
}

/** What carries messages to the writer: the Worker (in the thread that started it) or a port. */
type Link = Worker | MessagePort;

/**
 * The writer thread of one database file, as seen from one thread: the thread that starts it
 * (idle, it does not keep the process alive), or another thread holding a channel to it.
 */
export class WriterThread {
  private readonly sinks = new Map<number, ThreadedNodeSink>();
  private link: Link | null = null;
  private portClosed = false;

  private constructor(
    readonly dbPath: string,
    private readonly source: { url: URL } | { port: MessagePort },
  ) {
    if ('port' in source) this.attachPort(source.port);
  }

  /** Starts (on first use) a writer thread of this process for the database. */
  static spawn(dbPath: string, url: URL = workerEntries.writer): WriterThread {
    return new WriterThread(dbPath, { url });
  }

  /** A writer thread another thread started, reached through the port its `connect()` gave. */
  static over(dbPath: string, port: MessagePort): WriterThread {
    return new WriterThread(dbPath, { port });
  }

  /** A writer reached over a port whose other end has gone; one this thread starts restarts on use. */
  get stopped(): boolean {
    return this.portClosed;
  }

  open(runId: number, options?: ThreadedSinkOptions): ThreadedNodeSink {
    if (this.sinks.has(runId)) throw new Error(`Run ${runId} is already being written`);
    this.ensureLink().ref();
    const sink = new ThreadedNodeSink(this, runId, options);
    this.sinks.set(runId, sink);
    return sink;
  }

  send(message: ToWriter, transfer: (ArrayBuffer | MessagePort)[] = []): void {
    this.ensureLink().postMessage(message, transfer);
  }

  /** A new channel to this writer for another thread (a search worker); pass the port to it. */
  connect(): MessagePort {
    if (!('url' in this.source)) throw new Error('only the thread that started a writer can connect others to it');
    const { port1, port2 } = new MessageChannel();
    this.send({ type: 'attach', port: port1 }, [port1]);
    return port2;
  }

  async terminate(): Promise<void> {
    const link = this.link;
    this.link = null;
    for (const sink of this.sinks.values()) sink.abandon(new Error('the writer thread was stopped'));
    this.sinks.clear();
    if (link instanceof Worker) await link.terminate();
    else link?.close();
  }

  private ensureLink(): Link {
    if (this.link) return this.link;
    if (!('url' in this.source)) throw new Error('the writer thread has stopped');
    const data: WriterData = { dbPath: this.dbPath };
    const worker = new Worker(this.source.url, { workerData: data });
    worker.on('error', (e) => this.lost(worker, e.message));
    worker.on('exit', (code) => this.lost(worker, `exit code ${code}`));
    return this.listen(worker);
  }

  /** A port from the start: watched at once, so a writer that dies before the first run is noticed. */
  private attachPort(port: MessagePort): void {
    // A port is good once: when its other end goes, so has the writer.
    port.on('close', () => {
      this.portClosed = true;
      this.lost(port, 'its channel closed');
    });
    this.listen(port).unref();
  }

  private listen(link: Link): Link {
    link.on('message', (m: FromWriter) => {
      const sink = this.sinks.get(m.runId);
      sink?.receive(m);
      if (m.type === 'closed') {
        this.sinks.delete(m.runId);
        if (this.sinks.size === 0) link.unref();
      }
    });
    this.link = link;
    return link;
  }

  private lost(link: Link, why: string): void {
    if (this.link !== link) return;
    this.link = null;
    for (const sink of this.sinks.values()) sink.abandon(new Error(`the writer thread stopped: ${why}`));
    this.sinks.clear();
  }
}
