/**
 * Contract events (SSE in a browser, IPC in the app) fanned out to whichever components care:
 * one subscription for the whole studio.
 */
import { createContext, useContext, useEffect, useRef, type ReactNode } from 'react';
import type { EventName, EventPayload } from '../../../common/contract';
import type { StudioClient } from '../api/client';

type AnyListener = <E extends EventName>(name: E, payload: EventPayload<E>) => void;

interface Hub {
  client: StudioClient;
  add(listener: AnyListener): () => void;
}

const HubContext = createContext<Hub | null>(null);

export function StudioProvider({ client, children }: { client: StudioClient; children: ReactNode }) {
  const hub = useRef<Hub | null>(null);
  if (!hub.current) {
    const listeners = new Set<AnyListener>();
    hub.current = {
      client,
      add: (l) => {
        listeners.add(l);
        return () => listeners.delete(l);
      },
    };
    client.on((name, payload) => {
      for (const l of listeners) l(name, payload);
    });
  }
  return <HubContext.Provider value={hub.current}>{children}</HubContext.Provider>;
}

export function useClient(): StudioClient {
  const hub = useContext(HubContext);
  if (!hub) throw new Error('useClient outside StudioProvider');
  return hub.client;
}

/** Calls the latest `listener` for every contract event while mounted. */
export function useStudioEvents(listener: AnyListener): void {
  const hub = useContext(HubContext);
  const ref = useRef(listener);
  ref.current = listener;
  useEffect(() => hub?.add((name, payload) => ref.current(name, payload)), [hub]);
}
