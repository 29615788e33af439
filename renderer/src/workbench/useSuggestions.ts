/**
 * Automatic labels (Monte-Carlo, first-error, exact, scorer) for the open run, shown as
 * suggestions: loaded per run and again when a labeler finishes (here or in another client),
 * accepted one at a time or all along the path to the selected step from one source (the chosen
 * one, else the only one the path has).
 */
import { useEffect, useState } from 'react';
import type { AutoLabel } from '../../../common/contract/suggest';
import type { StudioClient } from '../api/client';
import { getPrefs } from '../lib/prefs';
import type { RunModel } from '../model/run-model';
import { acceptableOnPath, sourcesOnPath } from '../review/accept-path';
import { useAutolabelVersion } from '../review/autolabel-jobs';
import type { Toaster } from '../ui/toasts';

export type Source = AutoLabel['source'];

export interface Suggestions {
  byNode: ReadonlyMap<number, AutoLabel[]>;
  /** Sources with a label somewhere on the path to `selected`, the one "accept all" takes, and its pending steps. */
  onPath(selected: number | null): { sources: Source[]; source: Source; pending: number[] };
  accept(nodeId: number, source: Source): void;
  acceptPath(selected: number): Promise<void>;
}

export function useSuggestions(client: StudioClient, model: RunModel, annotator: string, toast: Toaster): Suggestions {
  const [byNode, setByNode] = useState<Map<number, AutoLabel[]>>(new Map());
  const autoVersion = useAutolabelVersion(model.run.id);
  const [reloadKey, setReloadKey] = useState(0);
  useEffect(() => {
    let cancelled = false;
    client.api.listAutoLabels({ runId: model.run.id }).then(
      (r) => {
        if (cancelled) return;
        const map = new Map<number, AutoLabel[]>();
        for (const l of r.labels) map.set(l.nodeId, [...(map.get(l.nodeId) ?? []), l]);
        setByNode(map);
      },
      (e: unknown) => toast.error(e, 'Could not load suggestions'),
    );
    return () => {
      cancelled = true;
    };
  }, [client, model, toast, reloadKey, autoVersion]);
  // Labelers run outside the window (CLI, other clients): look again when the run changes.
  useEffect(() => model.subscribe((c) => c.run && setReloadKey((k) => k + 1)), [model]);

  const isRatedByMe = (id: number) => model.ratingOf(id, annotator) !== null;
  const onPath = (selected: number | null) => {
    const ids = selected === null ? [] : model.pathTo(selected).slice(1).map((n) => n.id);
    const sources = sourcesOnPath(ids, byNode);
    const wanted = getPrefs().acceptSource;
    const source = sources.includes(wanted) ? wanted : (sources[0] ?? wanted);
    return { sources, source, pending: acceptableOnPath(ids, byNode, source, isRatedByMe) };
  };

  const accept = (nodeId: number, source: Source) => {
    client.api.acceptSuggestions({ annotator, source, nodeIds: [nodeId] }).then(
      (r) => toast.info(r.accepted ? `Accepted the ${source} label` : 'Already rated: nothing accepted'),
      (e: unknown) => toast.error(e, 'Could not accept the suggestion'),
    );
  };

  const acceptPath = async (selected: number) => {
    const { sources, source, pending } = onPath(selected);
    const wanted = getPrefs().acceptSource;
    if (!sources.length) {
      toast.info('No suggestions on this path: auto-label the run first');
      return;
    }
    if (!pending.length) {
      toast.info(`Every ${source} suggestion on this path is already rated by you`);
      return;
    }
    try {
      const r = await client.api.acceptSuggestions({ annotator, source, nodeIds: pending });
      const other = source !== wanted ? ` (no ${wanted} ones here)` : '';
      toast.info(`Accepted ${r.accepted} ${source} suggestion${r.accepted === 1 ? '' : 's'} on this path${other}${r.skipped ? `, ${r.skipped} skipped` : ''}`);
    } catch (error) {
      toast.error(error, 'Could not accept the suggestions');
    }
  };

  return { byNode, onPath, accept, acceptPath };
}
