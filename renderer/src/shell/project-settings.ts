/**
 * The project's labeling settings (blind labeling, self-adjudication), read from the database
 * once per client and shared by every component; changes go through the contract. They are the
 * project's, not this browser's: every annotator of the database gets them.
 */
import { useCallback, useEffect, useSyncExternalStore } from 'react';
import { DEFAULT_PROJECT_SETTINGS, type ProjectSettings } from '../../../common/contract/studio';
import type { StudioClient } from '../api/client';
import { useClient } from './events';

let current: ProjectSettings = DEFAULT_PROJECT_SETTINGS;
let loadedFor: StudioClient | null = null;
const listeners = new Set<() => void>();

function publish(next: ProjectSettings): void {
  current = next;
  for (const l of listeners) l();
}

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export function useProjectSettings(): [ProjectSettings, (patch: Partial<ProjectSettings>, annotator: string) => Promise<void>] {
  const client = useClient();
  const settings = useSyncExternalStore(subscribe, () => current);
  useEffect(() => {
    if (loadedFor === client) return;
    loadedFor = client;
    client.api.getProjectSettings({}).then(publish, () => {
      // Unreadable settings (an old engine): the defaults stand; nothing to tell the user.
    });
  }, [client]);
  // Shown at once (a checkbox that waits for the server looks broken on a busy machine); the
  // server's answer then stands, and a refused change puts the previous settings back.
  const update = useCallback(
    async (patch: Partial<ProjectSettings>, annotator: string) => {
      const before = current;
      publish({ ...before, ...patch });
      try {
        publish(await client.api.setProjectSettings({ ...patch, annotator }));
      } catch (error) {
        publish(before);
        throw error;
      }
    },
    [client],
  );
  return [settings, update];
}
