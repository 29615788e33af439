/**
 * The renderer's API client: one async function per contract method, over whichever transport
 * the studio runs on: the preload bridge in the desktop app, HTTP + server-sent events in a browser.
 * Errors arrive as ApiError with a message meant for the user.
 */
import type { DesktopBridge } from '../../../common/bridge';
import {
  ApiError,
  METHOD_NAMES,
  events as eventSchemas,
  type ApiClient,
  type ApiResult,
  type EventName,
  type EventPayload,
  type MethodName,
} from '../../../common/contract';

type Listener = <E extends EventName>(name: E, payload: EventPayload<E>) => void;

export interface Transport {
  call(method: MethodName, input: unknown): Promise<ApiResult<unknown>>;
  subscribe(listener: (name: EventName, payload: unknown) => void): () => void;
}

declare global {
  interface Window {
    metacot?: DesktopBridge;
  }
}

export function bridgeTransport(bridge: DesktopBridge): Transport {
  return {
    call: (method, input) => bridge.api[method](input),
    subscribe: (listener) => bridge.subscribe(listener),
  };
}

/** Token for a `serve` bound off loopback: given once in the URL, kept for the tab's session. */
function accessToken(): string | null {
  const fromUrl = new URLSearchParams(window.location.search).get('token');
  if (fromUrl) {
    sessionStorage.setItem('metacot-token', fromUrl);
    return fromUrl;
  }
  return sessionStorage.getItem('metacot-token');
}

export function httpTransport(base = ''): Transport {
  const token = accessToken();
  return {
    async call(method, input) {
      let response: Response;
      try {
        response = await fetch(`${base}/api/${method}`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
          body: JSON.stringify(input ?? {}),
        });
      } catch (error) {
        return { ok: false, error: { code: 'unavailable', message: `The studio server is not reachable (${String(error)})` } };
      }
      try {
        return (await response.json()) as ApiResult<unknown>;
      } catch {
        return { ok: false, error: { code: 'internal', message: `Server answered ${response.status} without JSON` } };
      }
    },
    subscribe(listener) {
      const source = new EventSource(`${base}/api/events${token ? `?token=${encodeURIComponent(token)}` : ''}`);
      const names = Object.keys(eventSchemas) as EventName[];
      const handlers = names.map((name) => {
        const handler = (event: MessageEvent<string>) => listener(name, JSON.parse(event.data));
        source.addEventListener(name, handler);
        return handler;
      });
      return () => {
        names.forEach((name, i) => source.removeEventListener(name, handlers[i]!));
        source.close();
      };
    },
  };
}

export interface StudioClient {
  api: ApiClient;
  /** Subscribes to contract events; returns the unsubscribe function. */
  on: (listener: Listener) => () => void;
}

export function createClient(transport: Transport): StudioClient {
  const api = {} as Record<MethodName, (input: unknown) => Promise<unknown>>;
  for (const method of METHOD_NAMES) {
    api[method] = async (input: unknown) => {
      const result = await transport.call(method, input ?? {});
      if (!result.ok) throw ApiError.fromBody(result.error);
      return result.value;
    };
  }
  return {
    api: api as unknown as ApiClient,
    on: (listener) =>
      transport.subscribe((name, payload) => {
        const parsed = eventSchemas[name].safeParse(payload);
        if (parsed.success) listener(name, parsed.data as never);
      }),
  };
}

/** The client for wherever the studio is running. */
export function defaultClient(): StudioClient {
  return createClient(window.metacot ? bridgeTransport(window.metacot) : httpTransport());
}
