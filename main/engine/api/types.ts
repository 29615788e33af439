import type { MethodName, MethodOutput, MethodParsedInput } from '../../../common/contract';
import type { EventBus } from '../events';
import type { ModelAccess } from './model-access';
import type { SearchManager } from '../search/manager';
import type { Store } from '../store/store';

/** What every handler gets besides its validated input. */
export interface EngineContext {
  store: Store;
  events: EventBus;
  /** Under `serve`: the only folder whose files API calls may read or write (see file-access.ts). */
  fileRoot?: string;
  /** Under `serve`: the models clients may name (see model-access.ts); absent: any the user names. */
  modelAccess?: ModelAccess;
  /** Desktop only: replaces the open database (absent under serve, which keeps its own). */
  switchDatabase?: (file: string, create: boolean) => Promise<void>;
  /** Runs searches off this thread; absent where the engine runs none. */
  searches?: SearchManager;
}

export type Handler<M extends MethodName> = (
  input: MethodParsedInput<M>,
  ctx: EngineContext,
) => MethodOutput<M> | Promise<MethodOutput<M>>;

export type Handlers<M extends MethodName> = { [K in M]: Handler<K> };
