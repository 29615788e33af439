/**
 * The engine as a transport sees it: an open store, its event bus, and `call` for contract
 * methods. IPC (utilityProcess host), HTTP (serve) and tests all go through this.
 */
import type { ApiResult } from '../../common/contract';
import { dispatch } from './api/dispatch';
import type { EngineContext } from './api/types';
import { EventBus } from './events';
import { SearchManager } from './search/manager';
import { SearchRuntime } from './search/runtime';
import { Store } from './store/store';
import { rememberDatabase } from './workspace';

export interface EngineOptions {
  /** The desktop app lets the user switch databases; `serve` stays on the one it was given. */
  switchable?: boolean;
}

export class Engine {
  readonly events = new EventBus();
  readonly context: EngineContext;
  /** Stops relaying the open store's annotation changes. */
  private unrelay: () => void;
  /** The open database's search runtime (writer thread, providers, request limit), one per database. */
  private runtime: SearchRuntime;

  constructor(store: Store, options: EngineOptions = {}) {
    // Searches run in worker threads with their own connection (inline for in-memory databases).
    this.runtime = SearchRuntime.forStore(store);
    this.context = { store, events: this.events, searches: new SearchManager({ store, events: this.events, runtime: this.runtime }) };
    this.unrelay = this.relayChanges(store);
    if (options.switchable) {
      this.context.switchDatabase = (file, create) => this.switchDatabase(file, create);
      if (store.path !== ':memory:') rememberDatabase(store.path);
    }
  }

  /** The open database (it changes when a desktop user opens another). */
  get store(): Store {
    return this.context.store;
  }

  /** Opens a database; CLI commands that read one pass mustExist so a typo is not a new file. */
  static open(dbPath: string, options: { mustExist?: boolean } & EngineOptions = {}): Engine {
    return new Engine(Store.open(dbPath, { create: !options.mustExist }), options);
  }

  /** The store publishes the annotation changes it commits; every client hears them as events. */
  private relayChanges(store: Store): () => void {
    return store.annotations.subscribe((event) => this.events.emit('annotationsChanged', event));
  }

  call(method: string, input: unknown): Promise<ApiResult<unknown>> {
    return dispatch(method, input, this.context);
  }

  /**
   * Opens another database in place of the current one. The new one is opened (and migrated)
   * first, so a file that cannot be opened leaves the current database in use.
   */
  private async switchDatabase(file: string, create: boolean): Promise<void> {
    const next = Store.open(file, { create });
    await this.context.searches?.close();
    await this.runtime.close();
    this.unrelay();
    this.context.store.close();
    this.context.store = next;
    this.unrelay = this.relayChanges(next);
    this.runtime = SearchRuntime.forStore(next);
    this.context.searches = new SearchManager({ store: next, events: this.events, runtime: this.runtime });
    rememberDatabase(file);
    this.events.emit('databaseChanged', { dbPath: next.path });
  }

  close(): void {
    // Queued runs are marked cancelled now; running ones are cancelled and their workers end
    // shortly, then the writer thread.
    const runtime = this.runtime;
    void Promise.resolve(this.context.searches?.close()).then(() => runtime.close());
    this.store.close();
  }
}
