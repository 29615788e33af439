/**
 * Queues search runs and executes them off the caller's event loop: each slot is a worker thread
 * with its own database connection for run rows and reads, so the thread serving the window or
 * HTTP stays responsive. Node writes from every slot go to the database's one writer thread
 * (started by the manager; each worker gets its own channel to it), so several searches at once
 * never contend for SQLite's write lock with one another. Events from the workers (runChanged,
 * nodesAdded, nodesUpdated) are forwarded onto the engine's EventBus for live trees.
 *
 * In-memory databases cannot be shared with another thread; for them (and where a caller asks)
 * runs execute on the caller's thread instead, still queued and still cancellable.
 */
import { Worker } from 'node:worker_threads';
import { ApiError } from '../../../common/contract/define';
import type { Run } from '../../../common/domain';
import type { EventBus } from '../events';
import type { Store } from '../store/store';
import { isRunnable, SearchInputError, type ExecuteOptions } from './run-service';
import { executeAndReport } from './worker/execute';
import type { FromWorker, WorkerData } from './worker/protocol';
import { SearchRuntime } from './runtime';

export interface SearchManagerOptions {
  /** The caller's connection: status changes of queued runs, reads. */
  store: Store;
  events: EventBus;
  /** 'worker' (default for file databases) or 'inline' (the caller's thread; forced for ':memory:'). */
  mode?: 'worker' | 'inline';
  /** Runs executing at once, each on its own worker thread (default 1: searches are CPU-bound and cores are few). */
  concurrency?: number;
  /**
   * The database's runtime (writer thread, providers, request limit, worker entry), which the
   * caller closes after the manager. Without one the manager makes its own and closes it.
   */
  runtime?: SearchRuntime;
  /** The worker entry, for a runtime the manager makes; packaged builds pass their bundled worker. */
  workerUrl?: URL;
  /**
   * Forward every committed node as nodesAdded / nodesUpdated (default true: the app's live
   * trees). Batch jobs that only need run changes turn it off and save the copies.
   */
  liveNodes?: boolean;
  /** Ready-made providers for inline execution (tests). */
  providers?: ExecuteOptions['providers'];
}


interface Slot {
  /** Runs executing in this slot now: one, or several endpoint runs (see SearchManager.fits). */
  readonly running: ReadonlySet<number>;
  start(runId: number): void;
  cancel(runId: number): void;
  close(): Promise<void>;
}

/** A provider name that points at a model server: `http(s)://…` or `kind:http(s)://…` (served scorers). */
const ENDPOINT_NAME = /^(?:[\w-]+:)?https?:\/\//i;

export class SearchManager {
  private readonly queue: number[] = [];
  private readonly slots: Slot[] = [];
  private closed = false;
  private idleWaiters: (() => void)[] = [];
  /** The runtime the manager made for itself (closed with it); null when the caller passed one. */
  private readonly ownRuntime: SearchRuntime | null;
  readonly runtime: SearchRuntime;

  constructor(private readonly options: SearchManagerOptions) {
    const inline = options.mode === 'inline' || options.store.path === ':memory:';
    this.ownRuntime = options.runtime ? null : SearchRuntime.forStore(options.store, { workerUrl: options.workerUrl });
    this.runtime = options.runtime ?? this.ownRuntime!;
    const n = Math.max(1, options.concurrency ?? 1);
    for (let i = 0; i < n; i++) {
      this.slots.push(inline ? new InlineSlot(this, options) : new WorkerSlot(this, options));
    }
  }

  /** Queues runs (already created, status queued) in order. */
  enqueue(runIds: readonly number[]): void {
    if (this.closed) throw new ApiError('unavailable', 'the search manager is closed');
    for (const id of runIds) if (!this.queue.includes(id) && !this.isRunning(id)) this.queue.push(id);
    this.pump();
  }

  /** Cancels a queued run at once, or asks a running one to stop (it ends `cancelled`, nodes kept). */
  cancel(runId: number): Run {
    const { store, events } = this.options;
    const at = this.queue.indexOf(runId);
    if (at >= 0) {
      this.queue.splice(at, 1);
      const run = store.runs.setStatus(runId, 'cancelled');
      events.emit('runChanged', { run });
      this.notifyIdle();
      return run;
    }
    const slot = this.slots.find((s) => s.running.has(runId));
    if (slot) {
      slot.cancel(runId);
      return store.runs.get(runId);
    }
    const run = store.runs.get(runId);
    if (run.status === 'queued') {
      // Queued by a process that has gone: nothing will run it, so cancelling is just the status.
      const cancelled = store.runs.setStatus(runId, 'cancelled');
      events.emit('runChanged', { run: cancelled });
      return cancelled;
    }
    throw new ApiError('conflict', `Run ${runId} is ${run.status}, not queued or running`);
  }

  /** Queues a cancelled, interrupted or failed run again; it continues from its stored nodes. */
  resume(runId: number): Run {
    const { store, events } = this.options;
    if (this.queue.includes(runId) || this.isRunning(runId)) throw new ApiError('conflict', `Run ${runId} is already queued or running`);
    const current = store.runs.get(runId);
    if (!isRunnable(current.status)) {
      throw new SearchInputError(`Run ${runId} is ${current.status}; only cancelled, interrupted or failed runs can be resumed`);
    }
    const run = store.runs.setStatus(runId, 'queued');
    events.emit('runChanged', { run });
    this.enqueue([runId]);
    return run;
  }

  /** Runs waiting, and runs executing now. */
  get pending(): { queued: number[]; running: number[] } {
    return { queued: [...this.queue], running: this.slots.flatMap((s) => [...s.running]) };
  }

  /** Resolves when nothing is queued or running. */
  idle(): Promise<void> {
    if (this.isIdle()) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /**
   * Stops everything: queued runs become cancelled, running ones are cancelled (their nodes are
   * kept), then the workers end.
   */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const id of this.queue.splice(0)) {
      try {
        this.options.events.emit('runChanged', { run: this.options.store.runs.setStatus(id, 'cancelled') });
      } catch {
        // The store is closing too; the run stays queued and can be resumed later.
      }
    }
    await Promise.all(this.slots.map((s) => s.close()));
    // Every run has ended and flushed: a writer thread of the manager's own runtime can go too.
    await this.ownRuntime?.close();
    this.notifyIdle();
  }

  /** Called by a slot when one of its runs has ended. */
  finished(runId: number): void {
    this.remote.delete(runId);
    this.pump();
    this.notifyIdle();
  }

  /** Forwards a worker's message onto the event bus. */
  forward(message: FromWorker): void {
    const { events } = this.options;
    if (message.type === 'runChanged') events.emit('runChanged', { run: message.run });
    else if (message.type === 'nodesAdded') events.emit('nodesAdded', { runId: message.runId, nodes: message.nodes });
    else if (message.type === 'nodesUpdated') events.emit('nodesUpdated', { runId: message.runId, nodes: message.nodes });
  }

  /**
   * A worker that could not even start (its entry file missing from a packaged build, say): run
   * this and later searches on the caller's thread rather than not at all.
   */
  fallBackInline(slot: Slot, runIds: readonly number[], why: string): void {
    const at = this.slots.indexOf(slot);
    if (at < 0 || this.closed) return;
    process.emitWarning(`search worker could not start (${why}); running searches on the engine thread`);
    const inline = new InlineSlot(this, this.options);
    this.slots[at] = inline;
    for (const runId of runIds) inline.start(runId);
  }

  /** Marks a run failed from the caller's side (its worker died before it could). */
  failFromOutside(runId: number, error: string): void {
    if (this.closed) return;
    try {
      const run = this.options.store.runs.get(runId);
      if (run.status === 'running' || run.status === 'queued') {
        this.options.events.emit('runChanged', { run: this.options.store.runs.setStatus(runId, 'failed', error) });
      }
    } catch {
      // Store closed or run deleted: nothing to record.
    }
  }

  private isRunning(runId: number): boolean {
    return this.slots.some((s) => s.running.has(runId));
  }

  private isIdle(): boolean {
    return this.queue.length === 0 && this.slots.every((s) => s.running.size === 0);
  }

  private pump(): void {
    if (this.closed) return;
    for (const slot of this.slots) {
      while (this.queue.length > 0 && this.fits(slot, this.queue[0]!)) slot.start(this.queue.shift()!);
    }
  }

  /**
   * Whether a slot may take the run now: when idle, or, for a run against a model server, beside
   * other such runs up to the process's request limit (they wait on the server, not on this
   * slot's CPU, and the request pool bounds what they send). Local searches run alone.
   */
  private fits(slot: Slot, runId: number): boolean {
    if (slot.running.size === 0) return true;
    if (slot.running.size >= this.runtime.concurrency || !this.isRemote(runId)) return false;
    return [...slot.running].every((id) => this.isRemote(id));
  }

  private readonly remote = new Map<number, boolean>();

  private isRemote(runId: number): boolean {
    let remote = this.remote.get(runId);
    if (remote === undefined) {
      const run = this.options.store.runs.get(runId);
      remote = [run.policy, run.scorer ?? ''].some((name) => ENDPOINT_NAME.test(name));
      this.remote.set(runId, remote);
    }
    return remote;
  }

  private notifyIdle(): void {
    if (!this.isIdle()) return;
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const w of waiters) w();
  }
}

/** Executes runs in a worker thread, started on first use and kept (unreferenced) while idle. */
class WorkerSlot implements Slot {
  readonly running = new Set<number>();
  private worker: Worker | null = null;
  private online = false;

  constructor(
    private readonly manager: SearchManager,
    private readonly options: SearchManagerOptions,
  ) {}

  start(runId: number): void {
    this.running.add(runId);
    const worker = this.ensureWorker();
    worker.ref();
    worker.postMessage({ type: 'run', runId });
  }

  cancel(runId: number): void {
    this.worker?.postMessage({ type: 'cancel', runId });
  }

  async close(): Promise<void> {
    const worker = this.worker;
    if (!worker) return;
    if (this.running.size > 0) {
      const left = new Set(this.running);
      let onMessage: ((m: FromWorker) => void) | undefined;
      const ended = new Promise<void>((resolve) => {
        onMessage = (m) => m.type === 'finished' && left.delete(m.runId) && left.size === 0 && resolve();
        worker.on('message', onMessage);
        worker.once('exit', () => resolve());
      });
      for (const runId of left) this.cancel(runId);
      // A search notices cancellation between expansions; give a slow model call a few seconds.
      await Promise.race([ended, new Promise((r) => setTimeout(r, 5000).unref())]);
      worker.off('message', onMessage!);
    }
    this.worker = null;
    await worker.terminate();
  }

  private ensureWorker(): Worker {
    if (this.worker) return this.worker;
    const dbPath = this.options.store.path;
    const { runtime } = this.manager;
    // The worker's node writes go to the database's one writer thread over its own channel.
    const writerPort = runtime.connectWorker();
    const data: WorkerData = { dbPath, writerPort, liveNodes: this.options.liveNodes ?? true, requestPool: runtime.requests.shared };
    const worker = new Worker(this.options.workerUrl ?? runtime.workerUrl, { workerData: data, transferList: [writerPort] });
    worker.once('message', () => (this.online = true));
    worker.on('message', (message: FromWorker) => {
      this.manager.forward(message);
      if (message.type === 'finished' && this.running.delete(message.runId)) {
        if (message.error) this.manager.failFromOutside(message.runId, message.error);
        if (this.running.size === 0) worker.unref();
        this.manager.finished(message.runId);
      }
    });
    const lost = (why: string) => {
      if (this.worker !== worker) return;
      this.worker = null;
      const runIds = [...this.running];
      this.running.clear();
      if (runIds.length === 0) return;
      if (!this.online && runIds.every((id) => this.options.store.runs.get(id).status === 'queued')) {
        this.manager.fallBackInline(this, runIds, why);
      } else {
        for (const runId of runIds) {
          this.manager.failFromOutside(runId, `the search worker stopped: ${why}`);
          this.manager.finished(runId);
        }
      }
    };
    worker.on('error', (error) => lost(error.message));
    worker.on('exit', (code) => lost(`exit code ${code}`));
    this.worker = worker;
    return worker;
  }
}

/** Executes runs on the caller's thread (in-memory databases, tests); the search yields regularly. */
class InlineSlot implements Slot {
  readonly running = new Set<number>();
  private readonly controllers = new Map<number, AbortController>();
  private readonly done = new Set<Promise<void>>();

  constructor(
    private readonly manager: SearchManager,
    private readonly options: SearchManagerOptions,
  ) {}

  start(runId: number): void {
    this.running.add(runId);
    const controller = new AbortController();
    this.controllers.set(runId, controller);
    // Start on a later turn, as a worker would: the caller gets its answer first.
    const done: Promise<void> = new Promise<void>((resolve) => setImmediate(resolve))
      .then(() =>
        executeAndReport(
          this.options.store,
          runId,
          controller.signal,
          (message) => {
            this.manager.forward(message);
            if (message.type === 'finished' && message.error) this.manager.failFromOutside(runId, message.error);
          },
          { providers: this.options.providers, runtime: this.manager.runtime, liveNodes: this.options.liveNodes ?? true },
        ),
      )
      .finally(() => {
        this.running.delete(runId);
        this.controllers.delete(runId);
        this.done.delete(done);
        this.manager.finished(runId);
      });
    this.done.add(done);
  }

  cancel(runId: number): void {
    this.controllers.get(runId)?.abort();
  }

  async close(): Promise<void> {
    for (const controller of this.controllers.values()) controller.abort();
    await Promise.all(this.done);
  }
}
