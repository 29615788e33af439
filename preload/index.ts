/**
 * Exposes exactly the contract's methods to the sandboxed renderer, and nothing else: no raw
 * ipcRenderer, no Node. Runs as a bundled CommonJS file (sandboxed preloads cannot be ESM).
 */
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import { IPC_EVENT_CHANNEL, ipcChannel, type BridgeEventListener, type DesktopBridge } from '../common/bridge';
import { METHOD_NAMES, type ApiResult, type EventName } from '../common/contract';

const api = Object.fromEntries(
  METHOD_NAMES.map((method) => [
    method,
    (input: unknown) => ipcRenderer.invoke(ipcChannel(method), input) as Promise<ApiResult<unknown>>,
  ]),
) as DesktopBridge['api'];

const bridge: DesktopBridge = {
  api,
  subscribe(listener: BridgeEventListener) {
    const handler = (_event: IpcRendererEvent, name: EventName, payload: unknown) => listener(name, payload);
    ipcRenderer.on(IPC_EVENT_CHANNEL, handler);
    return () => ipcRenderer.off(IPC_EVENT_CHANNEL, handler);
  },
};

contextBridge.exposeInMainWorld('metacot', bridge);
