/**
 * Records active labeling time on the open run: a second counts when the window is visible and
 * the annotator pressed a key or used the mouse within the last minute. Reported to the API
 * every 30 s and when the run or annotator changes.
 */
import { useEffect, useRef, useState } from 'react';
import type { StudioClient } from '../api/client';
import type { Toaster } from '../ui/toasts';

const IDLE_AFTER_MS = 60_000;
const FLUSH_EVERY_S = 30;

export function useTimeSpent(client: StudioClient, runId: number | null, annotator: string, toast: Toaster) {
  const [recorded, setRecorded] = useState<{ mine: number; total: number }>({ mine: 0, total: 0 });
  const [pending, setPending] = useState(0);
  const lastActivity = useRef(Date.now());

  useEffect(() => {
    const mark = () => {
      lastActivity.current = Date.now();
    };
    const events = ['keydown', 'mousedown', 'wheel', 'pointermove'] as const;
    for (const e of events) window.addEventListener(e, mark, { passive: true });
    return () => {
      for (const e of events) window.removeEventListener(e, mark);
    };
  }, []);

  useEffect(() => {
    if (runId === null) return;
    let cancelled = false;
    let unsent = 0;
    setPending(0);
    client.api.getTimeSpent({ runId }).then(
      (t) => !cancelled && setRecorded({ mine: t.byAnnotator[annotator] ?? 0, total: t.totalSeconds }),
      (e: unknown) => toast.error(e, 'Could not read the time spent on this tree'),
    );
    const flush = () => {
      if (unsent <= 0) return;
      const seconds = Math.min(unsent, 3600);
      unsent -= seconds;
      client.api.addTimeSpent({ runId, annotator, seconds }).then(
        (t) => !cancelled && setRecorded({ mine: t.byAnnotator[annotator] ?? 0, total: t.totalSeconds }),
        (e: unknown) => toast.error(e, 'Could not record the time spent on this tree'),
      );
      if (!cancelled) setPending(unsent);
    };
    let sinceFlush = 0;
    const tick = setInterval(() => {
      const active = document.visibilityState === 'visible' && Date.now() - lastActivity.current < IDLE_AFTER_MS;
      if (active) {
        unsent++;
        setPending(unsent);
      }
      if (++sinceFlush >= FLUSH_EVERY_S) {
        sinceFlush = 0;
        flush();
      }
    }, 1000);
    const onHide = () => flush();
    window.addEventListener('pagehide', onHide);
    return () => {
      clearInterval(tick);
      window.removeEventListener('pagehide', onHide);
      flush();
      cancelled = true;
    };
  }, [client, runId, annotator, toast]);

  return { mine: recorded.mine + pending, total: recorded.total + pending };
}
