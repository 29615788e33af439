/**
 * The engine as a transport sees it: an open store, its event bus, and `call` for contract
 * methods. IPC (utilityProcess host), HTTP (serve) and tests all go through this.
 */
import type { ApiResult } from '../../common/contract';
import { dispatch } from './api/dispatch';
import type { EngineContext } from './api/types';
import { EventBus } from './events';
import { SearchManager } from './search/manager';
import { Store } from './store/store';

export class Engine {
  readonly events = new EventBus();
  readonly context: EngineContext;

  constructor(readonly store: Store) {
    // Searches run in worker threads with their own connection (inline for in-memory databases).
    this.context = { store, events: this.events, searches: new SearchManager({ store, events: this.events }) };
  }

  /** Opens a database; CLI commands that read one pass mustExist so a typo is not a new file. */
  static open(dbPath: string, options: { mustExist?: boolean } = {}): Engine {
    return new Engine(Store.open(dbPath, { create: !options.mustExist }));
  }

  call(method: string, input: unknown): Promise<ApiResult<unknown>> {
    return dispatch(method, input, this.context);
  }

  close(): void {
    // Queued runs are marked cancelled now; running ones are cancelled and their workers end shortly.
    void this.context.searches?.close();
    this.store.close();
  }
}
