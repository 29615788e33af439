/**
 * Time spent per tree, kept in the settings table as one JSON object per run
 * ({annotator: seconds}) so it needs no schema change; read-modify-write in one transaction.
 * Project settings live there too, as one JSON object.
 */
import { z } from 'zod';
import { DEFAULT_PROJECT_SETTINGS, ProjectSettings } from '../../../common/contract/studio';
import type { Store } from '../store/store';
import type { Handlers } from './types';

const TIME_PREFIX = 'time_spent/run/';
const key = (runId: number) => `${TIME_PREFIX}${runId}`;
const Stored = z.record(z.string(), z.number().int().nonnegative());

function read(store: Store, runId: number): Record<string, number> {
  return parseTimes(store.getSetting(key(runId)));
}

function parseTimes(raw: string | undefined): Record<string, number> {
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
  return parseProjectSettings(store.getSetting(PROJECT_KEY));
}

function parseProjectSettings(raw: string | undefined): ProjectSettings {
  let json: unknown = null;
  try {
    json = JSON.parse(raw ?? 'null');
  } catch {
    json = null;
  }
  return { ...DEFAULT_PROJECT_SETTINGS, ...(ProjectSettings.partial().safeParse(json).data ?? {}) };
}

export const studioHandlers: Handlers<'addTimeSpent' | 'getTimeSpent' | 'getProjectSettings' | 'setProjectSettings'> = {
  getProjectSettings: (_input, { store }) => projectSettings(store),
  setProjectSettings: ({ annotator: _annotator, ...patch }, { store }) => {
    let next!: ProjectSettings;
    store.updateSetting(PROJECT_KEY, (raw) => JSON.stringify((next = { ...parseProjectSettings(raw), ...patch })));
    return next;
  },
  addTimeSpent: ({ runId, annotator, seconds }, { store }) => {
    store.runs.get(runId);
    let byAnnotator!: Record<string, number>;
    store.updateSetting(key(runId), (raw) => {
      byAnnotator = parseTimes(raw);
      byAnnotator[annotator] = (byAnnotator[annotator] ?? 0) + seconds;
      return JSON.stringify(byAnnotator);
    });
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
      ? store.settingKeysWithPrefix(TIME_PREFIX).map((k) => Number(k.slice(TIME_PREFIX.length)))
      : [runId];
  const total = new Map<string, number>();
  for (const id of rows) {
    for (const [annotator, seconds] of Object.entries(read(store, id))) {
      total.set(annotator, (total.get(annotator) ?? 0) + seconds);
    }
  }
  return total;
}
