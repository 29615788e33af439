/**
 * Versions that tell React what changed inside the mutable run model: `version` on any change,
 * `structureVersion` when nodes arrive (layout must be recomputed; a live search adds nodes every
 * ~100 ms, so at most every 300 ms, the first change at once) and `pruneVersion` when prune flags
 * or the golden path change (edge styles).
 */
import { useEffect, useState, useSyncExternalStore } from 'react';
import type { RunModel } from '../model/run-model';

const LAYOUT_EVERY_MS = 300;

export function useTreeVersions(model: RunModel) {
  const version = useSyncExternalStore(model.subscribe, () => model.version);
  const [structureVersion, setStructureVersion] = useState(0);
  const [pruneVersion, setPruneVersion] = useState(0);
  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | null = null;
    let pending = false;
    let last = 0;
    const bump = () => {
      last = performance.now();
      pending = false;
      setStructureVersion((v) => v + 1);
      setPruneVersion((v) => v + 1);
    };
    const unsubscribe = model.subscribe((c) => {
      if (c.structure) {
        if (performance.now() - last > LAYOUT_EVERY_MS && !timer) bump();
        else if (!timer) {
          pending = true;
          timer = setTimeout(() => {
            timer = null;
            if (pending) bump();
          }, LAYOUT_EVERY_MS);
        } else pending = true;
      } else if (c.prune) setPruneVersion((v) => v + 1);
    });
    return () => {
      unsubscribe();
      if (timer) clearTimeout(timer);
    };
  }, [model]);
  return { version, structureVersion, pruneVersion };
}
