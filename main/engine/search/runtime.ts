/**
 * What every search on one database shares in one process: the writer thread that commits their
 * nodes, the provider set their policies and scorers are built from, the model-server request
 * limit, and where the threads of its worker pool (SearchManager) start. One per database; each
 * entry point makes one (`metacot search`, the engine for its open database, the sample-db
 * builder, the benches) and passes it down explicitly (runBatch, SearchManager, executeRun), and
 * a search worker thread builds its own view of it (`inWorker`). Nothing finds a writer by the
 * database's path.
 */
import type { MessagePort } from 'node:worker_threads';
import { defaultProviders, type ProviderSet } from '../providers';
import { requestPool, type RequestPool } from '../providers/request-pool';
import type { Store } from '../store/store';
import { workerEntries } from '../worker-entries';
import { WriterThread } from './writer/threaded-sink';

export interface SearchRuntimeOptions {
  /** Policies and scorers by name (default: this thread's set, `defaultProviders()`). */
  providers?: ProviderSet;
  /** Model-server requests in flight at once (default: this process's pool, `requestPool()`). */
  requests?: RequestPool;
  /** The writer thread's entry (default `workerEntries.writer`; packaged builds set their own). */
  writerUrl?: URL;
  /** The search workers' entry (default `workerEntries.search`). */
  workerUrl?: URL;
}

export class SearchRuntime {
  private thread: WriterThread | null = null;

  private constructor(
    readonly dbPath: string,
    readonly providers: ProviderSet,
    readonly requests: RequestPool,
    /** Where the writer is: a thread this runtime starts, one reached over a port, or none (nodes written inline). */
    private readonly writerSource: { url: URL } | { port: MessagePort } | null,
    private readonly workerEntry: URL | undefined,
  ) {
    if (writerSource && 'port' in writerSource) this.thread = WriterThread.over(dbPath, writerSource.port);
  }

  /**
   * The runtime of the thread that owns a database's searches: it starts the writer thread on the
   * first threaded run (never for an in-memory database) and connects its worker threads to it.
   */
  static forStore(store: Store | string, options: SearchRuntimeOptions = {}): SearchRuntime {
    const dbPath = typeof store === 'string' ? store : store.path;
    const source = dbPath === ':memory:' ? null : { url: options.writerUrl ?? workerEntries.writer };
    return new SearchRuntime(dbPath, options.providers ?? defaultProviders(), options.requests ?? requestPool(), source, options.workerUrl);
  }

  /**
   * In a search worker thread: node writes go to the writer thread the manager's runtime started,
   * over the port it handed this worker (none: the worker writes its nodes itself).
   */
  static inWorker(dbPath: string, writerPort: MessagePort | undefined, options: Pick<SearchRuntimeOptions, 'providers' | 'requests'> = {}): SearchRuntime {
    return new SearchRuntime(
      dbPath,
      options.providers ?? defaultProviders(),
      options.requests ?? requestPool(),
      writerPort ? { port: writerPort } : null,
      undefined,
    );
  }

  /**
   * The writer thread runs of this database send their nodes to (started on first use); null where
   * nodes are written on the search's own thread: an in-memory database, a worker given no
   * channel, or one whose writer has gone.
   */
  writer(): WriterThread | null {
    if (!this.writerSource) return null;
    if ('port' in this.writerSource) return this.thread?.stopped ? null : this.thread;
    this.thread ??= WriterThread.spawn(this.dbPath, this.writerSource.url);
    return this.thread;
  }

  /** A new channel to this database's writer thread, for a search worker of the pool. */
  connectWorker(): MessagePort {
    const writer = this.writer();
    if (!writer || !this.writerSource || !('url' in this.writerSource)) throw new Error('only the runtime that starts a writer thread can connect workers to it');
    return writer.connect();
  }

  /** Where the pool's search workers start. */
  get workerUrl(): URL {
    return this.workerEntry ?? workerEntries.search;
  }

  /** Model-server requests in flight at once, for every run, provider and worker of the process. */
  get concurrency(): number {
    return this.requests.limit;
  }

  set concurrency(limit: number) {
    this.requests.limit = limit;
  }

  /**
   * Stops the writer thread (every run must have finished: runs still writing fail). A later
   * threaded run starts a new one.
   */
  async close(): Promise<void> {
    const thread = this.thread;
    if (!this.writerSource || !('url' in this.writerSource)) return;
    this.thread = null;
    await thread?.terminate();
  }
}
