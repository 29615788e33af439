/**
 * Time spent per tree, kept in the settings table as one JSON object per run
 * ({annotator: seconds}) so it needs no schema change; read-modify-write in one transaction.
 * Project settings live there too, as one JSON object.
 */
import { z } from 'zod';
import { DEFAULT_PROJECT_SETTINGS, ProjectSettings } from '../../../common/contract/studio';
import type { Store } from '../store/store';
import type { Handlers } from './types';

const key = (runId: number) => `time_spent/run/${runId}`;
const Stored = z.record(z.string(), z.number().int().nonnegative());

function read(store: Store, runId: number): Record<string, number> {
  const raw = store.getSetting(key(runId));
  if (!raw) return {};
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch {
    json = null;
  }
  const parsed = Stored.safeParse(json);
  // A damaged entry must not block labeling: start the count again rather than fail.
  return parsed.success ? parsed.data : {};
}

function totals(runId: number, byAnnotator: Record<string, number>) {
  return { runId, byAnnotator, totalSeconds: Object.values(byAnnotator).reduce((a, b) => a + b, 0) };
}

const PROJECT_KEY = 'project_settings';

/** The project's settings; a missing or damaged entry reads as the defaults. */
export function projectSettings(store: Store): ProjectSettings {
  let json: unknown = null;
  try {
    json = JSON.parse(store.getSetting(PROJECT_KEY) ?? 'null');
  } catch {
    json = null;
  }
  return { ...DEFAULT_PROJECT_SETTINGS, ...(ProjectSettings.partial().safeParse(json).data ?? {}) };
}

export const studioHandlers: Handlers<'addTimeSpent' | 'getTimeSpent' | 'getProjectSettings' | 'setProjectSettings'> = {
  getProjectSettings: (_input, { store }) => projectSettings(store),
  setProjectSettings: ({ annotator: _annotator, ...patch }, { store }) =>
    store.db.transaction(() => {
      const next = { ...projectSettings(store), ...patch };
      store.setSetting(PROJECT_KEY, JSON.stringify(next));
      return next;
    }).immediate(),
  addTimeSpent: ({ runId, annotator, seconds }, { store }) => {
    store.runs.get(runId);
    const byAnnotator = store.db.transaction(() => {
      const current = read(store, runId);
      current[annotator] = (current[annotator] ?? 0) + seconds;
      store.setSetting(key(runId), JSON.stringify(current));
      return current;
    }).immediate();
    return totals(runId, byAnnotator);
  },
  getTimeSpent: ({ runId }, { store }) => {
    store.runs.get(runId);
    return totals(runId, read(store, runId));
  },
};

/** Active labeling seconds per annotator, on one run or summed over all runs (for pace stats). */
export function secondsByAnnotator(store: Store, runId?: number): Map<string, number> {
  const rows =
    runId === undefined
      ? (store.db.prepare("SELECT key FROM settings WHERE key LIKE 'time_spent/run/%'").all() as { key: string }[]).map(
          (r) => Number(r.key.slice('time_spent/run/'.length)),
        )
      : [runId];
  const total = new Map<string, number>();
  for (const id of rows) {
    for (const [annotator, seconds] of Object.entries(read(store, id))) {
      total.set(annotator, (total.get(annotator) ?? 0) + seconds);
    }
  }
  return total;
}
