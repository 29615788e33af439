/** Loads one run's tree into a RunModel and keeps it live with contract events. */
import { useEffect, useState } from 'react';
import { RunModel } from '../model/run-model';
import { useClient, useStudioEvents } from '../shell/events';
import { errorText } from '../ui/toasts';

export interface LoadedRun {
  model: RunModel | null;
  loading: boolean;
  error: string | null;
  /** Request to model built, in ms (for the status line and benchmarks). */
  loadMs: number | null;
}

export function useRunModel(runId: number | null, reloadKey = 0): LoadedRun {
  const client = useClient();
  const [state, setState] = useState<LoadedRun>({ model: null, loading: false, error: null, loadMs: null });

  useEffect(() => {
    if (runId === null) {
      setState({ model: null, loading: false, error: null, loadMs: null });
      return;
    }
    let cancelled = false;
    const started = performance.now();
    setState((s) => ({ ...s, loading: true, error: null }));
    client.api.getTree({ runId }).then(
      (tree) => {
        if (cancelled) return;
        const model = new RunModel(tree);
        setState({ model, loading: false, error: null, loadMs: Math.round(performance.now() - started) });
      },
      (error: unknown) => {
        if (!cancelled) setState({ model: null, loading: false, error: errorText(error).text, loadMs: null });
      },
    );
    return () => {
      cancelled = true;
    };
  }, [client, runId, reloadKey]);

  // A transcript tree was split, merged or moved (here or by another annotator): its nodes are
  // fetched again into the same model, so the view keeps its selection.
  const [restructured, setRestructured] = useState(0);
  useEffect(() => {
    const model = state.model;
    if (restructured === 0 || !model) return;
    let cancelled = false;
    client.api.getTree({ runId: model.run.id }).then(
      (tree) => {
        if (cancelled) return;
        model.replaceNodes(tree.nodes);
        model.setRun(tree.run);
      },
      (error: unknown) => !cancelled && setState((s) => ({ ...s, error: errorText(error).text })),
    );
    return () => {
      cancelled = true;
    };
  }, [client, restructured]);

  const model = state.model;
  useStudioEvents((name, payload) => {
    if (!model) return;
    switch (name) {
      case 'annotationsChanged':
        model.applyAnnotations(payload as never);
        if ((payload as { runId: number; restructured?: boolean }).restructured && (payload as { runId: number }).runId === model.run.id) {
          setRestructured((n) => n + 1);
        }
        break;
      case 'nodesAdded': {
        const p = payload as { runId: number; nodes: never[] };
        if (p.runId === model.run.id) model.addNodes(p.nodes);
        break;
      }
      case 'nodesUpdated': {
        const p = payload as { runId: number; nodes: never[] };
        if (p.runId === model.run.id) model.updateStats(p.nodes);
        break;
      }
      case 'runChanged':
        model.setRun((payload as { run: never }).run);
        break;
    }
  });

  return state;
}
