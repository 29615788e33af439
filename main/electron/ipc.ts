/**
 * The IPC side of the contract, free of runtime electron imports so it is unit-tested: every
 * method gets a handler that refuses frames other than the app's own and relays to the engine.
 */
import type { IpcMainInvokeEvent } from 'electron';
import { METHOD_NAMES, type ApiResult, type MethodName } from '../../common/contract';
import { ipcChannel } from '../../common/bridge';
import { isAppUrl } from './window-options';

export type EngineCall = (method: MethodName, input: unknown) => Promise<ApiResult<unknown>>;
export type IpcHandler = (event: Pick<IpcMainInvokeEvent, 'senderFrame'>, input: unknown) => Promise<ApiResult<unknown>>;

export function makeIpcHandlers(call: EngineCall, devServerUrl?: string): Map<string, IpcHandler> {
  const handlers = new Map<string, IpcHandler>();
  for (const method of METHOD_NAMES) {
    handlers.set(ipcChannel(method), async (event, input) => {
      const frameUrl = event.senderFrame?.url ?? '';
      if (!isAppUrl(frameUrl, devServerUrl)) {
        return { ok: false, error: { code: 'forbidden', message: `IPC from ${frameUrl || 'an unknown frame'} refused` } };
      }
      return call(method, input);
    });
  }
  return handlers;
}
