/** A run's transcript, fetched again whenever the tree it belongs to is reloaded (after an edit). */
import { useEffect, useState } from 'react';
import type { Transcript } from '../../../common/contract/transcript';
import type { RunModel } from '../model/run-model';
import { useClient } from '../shell/events';
import { errorText } from '../ui/toasts';

export interface LoadedTranscript {
  transcript: Transcript | null;
  error: string | null;
  /** Shows an edit's result at once, before the reloaded tree brings it again. */
  replace(t: Transcript): void;
}

export function useTranscript(model: RunModel): LoadedTranscript {
  const client = useClient();
  const [transcript, setTranscript] = useState<Transcript | null>(null);
  const [error, setError] = useState<string | null>(null);
  // Bumped when the model's nodes are replaced (an edit here or by another annotator).
  const [reloads, setReloads] = useState(0);
  useEffect(() => model.subscribe((change) => change.all && setReloads((n) => n + 1)), [model]);
  useEffect(() => {
    let cancelled = false;
    client.api.getTranscript({ runId: model.run.id }).then(
      (r) => !cancelled && (setTranscript(r.transcript), setError(null)),
      (e: unknown) => !cancelled && setError(errorText(e).text),
    );
    return () => {
      cancelled = true;
    };
  }, [client, model, reloads]);
  return { transcript, error, replace: setTranscript };
}

/** Whether a run was imported from a long chain of thought (its tree has a transcript). */
export const isTranscriptRun = (model: RunModel): boolean => model.run.policy === 'import:long-cot';
