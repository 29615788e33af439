/**
 * "Go to this step", possibly in another run: the review screen and the active-learning queue ask
 * for it; the app shell opens the run, and the run's workbench selects the step once it has the
 * tree. One pending request at a time: a newer one replaces it.
 */
import { useEffect, useRef } from 'react';

export interface StepTarget {
  runId: number;
  nodeId: number;
}

let pending: StepTarget | null = null;
const listeners = new Set<(t: StepTarget) => void>();

export function goToStep(target: StepTarget): void {
  pending = target;
  for (const l of [...listeners]) l(target);
}

/** The pending step for this run, taken (cleared) so it is acted on once. */
export function takeStepFor(runId: number): number | null {
  if (!pending || pending.runId !== runId) return null;
  const { nodeId } = pending;
  pending = null;
  return nodeId;
}

/** Calls the latest `listener` for every request while mounted. */
export function useStepRequests(listener: (t: StepTarget) => void): void {
  const ref = useRef(listener);
  ref.current = listener;
  useEffect(() => {
    const l = (t: StepTarget) => ref.current(t);
    listeners.add(l);
    return () => {
      listeners.delete(l);
    };
  }, []);
}
