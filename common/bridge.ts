/**
 * The shape preload exposes on `window.metacot` in the desktop app: one function per contract
 * method (returning the error envelope, never throwing across the bridge) and an event
 * subscription. The renderer's IPC transport reads it; the browser transport speaks HTTP instead.
 */
import type { ApiResult, EventName, MethodName } from './contract';

export type BridgeEventListener = (name: EventName, payload: unknown) => void;

export type DesktopBridge = {
  readonly api: { readonly [M in MethodName]: (input: unknown) => Promise<ApiResult<unknown>> };
  subscribe(listener: BridgeEventListener): () => void;
};

/** IPC channel names: one per method, plus one for events. */
export const ipcChannel = (method: MethodName): string => `metacot:${method}`;
export const IPC_EVENT_CHANNEL = 'metacot:event';
