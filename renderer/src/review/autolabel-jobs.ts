/**
 * Automatic-labeling jobs started from this window, one per run at a time. They outlive the
 * workbench that started them (open another run and come back: it still shows as running), and
 * each finished job bumps its run's version so the suggestions are read again.
 */
import { useSyncExternalStore } from 'react';
import type { MethodInput, MethodOutput } from '../../../common/contract';
import type { StudioClient } from '../api/client';
import { errorText, type Toaster } from '../ui/toasts';

export type AutolabelInput = MethodInput<'autolabel'>;
export type AutolabelMethod = AutolabelInput['method'];

export interface AutolabelJob {
  runId: number;
  method: AutolabelMethod;
  startedAt: number;
}

export const METHOD_LABELS: Record<AutolabelMethod, string> = {
  exact: 'exact',
  mc: 'Monte-Carlo',
  'first-error': 'first-error search',
  scorer: 'scorer',
};

const jobs = new Map<number, AutolabelJob>();
const versions = new Map<number, number>();
const listeners = new Set<() => void>();
const notify = () => {
  for (const l of [...listeners]) l();
};
const subscribe = (l: () => void) => {
  listeners.add(l);
  return () => {
    listeners.delete(l);
  };
};

/** The job running on this run, if any (re-renders when jobs start and end). */
export function useAutolabelJob(runId: number): AutolabelJob | undefined {
  return useSyncExternalStore(subscribe, () => jobs.get(runId));
}

/** Bumped each time a job on this run finishes: a dependency for reading suggestions again. */
export function useAutolabelVersion(runId: number): number {
  return useSyncExternalStore(subscribe, () => versions.get(runId) ?? 0);
}

export type AutolabelOutcome = { ok: true; value: MethodOutput<'autolabel'> } | { ok: false; message: string };

/** Runs `autolabel`; the result and any error also reach the user as toasts. */
export async function startAutolabel(client: StudioClient, input: AutolabelInput, toast: Toaster): Promise<AutolabelOutcome> {
  if (jobs.has(input.runId)) {
    const message = `Run #${input.runId} is already being auto-labeled`;
    toast.info(message);
    return { ok: false, message };
  }
  jobs.set(input.runId, { runId: input.runId, method: input.method, startedAt: Date.now() });
  notify();
  const what = METHOD_LABELS[input.method];
  try {
    const result = await client.api.autolabel(input);
    const batches = result.batches !== undefined ? ` in ${result.batches.toLocaleString()} rollout batches` : '';
    toast.info(`Auto-labeled run #${input.runId} (${what}): ${result.labeled.toLocaleString()} steps${batches}`);
    return { ok: true, value: result };
  } catch (error) {
    toast.error(error, `Auto-labeling run #${input.runId} (${what}) failed`);
    const { text, detail } = errorText(error);
    return { ok: false, message: detail ? `${text}\n${detail}` : text };
  } finally {
    jobs.delete(input.runId);
    versions.set(input.runId, (versions.get(input.runId) ?? 0) + 1);
    notify();
  }
}
