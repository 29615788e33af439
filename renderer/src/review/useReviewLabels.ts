/** A run's gold labels and adjudicated final labels, by step, re-read after each change made here. */
import { useCallback, useEffect, useState } from 'react';
import type { MethodOutput } from '../../../common/contract';
import { useClient } from '../shell/events';
import type { Toaster } from '../ui/toasts';

type Labels = MethodOutput<'reviewLabels'>;
export type GoldLabel = Labels['gold'][number];
export type Adjudication = Labels['adjudications'][number];

export interface ReviewLabels {
  gold: ReadonlyMap<number, GoldLabel>;
  adjudications: ReadonlyMap<number, Adjudication>;
  reload(): void;
}

export function useReviewLabels(runId: number, toast: Toaster): ReviewLabels {
  const client = useClient();
  const [key, setKey] = useState(0);
  const [labels, setLabels] = useState<Pick<ReviewLabels, 'gold' | 'adjudications'>>({ gold: new Map(), adjudications: new Map() });
  useEffect(() => {
    let cancelled = false;
    client.api.reviewLabels({ runId }).then(
      (r) => {
        if (cancelled) return;
        setLabels({
          gold: new Map(r.gold.map((g) => [g.nodeId, g])),
          adjudications: new Map(r.adjudications.map((a) => [a.nodeId, a])),
        });
      },
      (e: unknown) => toast.error(e, 'Could not load gold labels'),
    );
    return () => {
      cancelled = true;
    };
  }, [client, runId, toast, key]);
  const reload = useCallback(() => setKey((k) => k + 1), []);
  return { ...labels, reload };
}
