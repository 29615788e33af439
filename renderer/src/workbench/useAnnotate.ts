/**
 * Annotation actions for the open run: applied to the model at once (so fast key presses see
 * each other), sent to the API one after another in order, and rolled back with a visible error
 * when the API refuses. Undo and redo use the store's history.
 */
import { useMemo } from 'react';
import type { Annotation, BranchRating, FinishReason, HistoryEntry, Rating } from '../../../common/domain';
import type { StudioClient } from '../api/client';
import type { RunModel } from '../model/run-model';
import type { Toaster } from '../ui/toasts';

/** One queue per client: writes reach the server in the order the keys were pressed. */
const queues = new WeakMap<StudioClient, Promise<unknown>>();
function enqueue<T>(client: StudioClient, job: () => Promise<T>): Promise<T> {
  const previous = queues.get(client) ?? Promise.resolve();
  const next = previous.then(job, job);
  queues.set(
    client,
    next.catch(() => undefined),
  );
  return next;
}

type LabelState = Pick<Annotation, 'rating' | 'flagged' | 'note'>;
type BranchState = Pick<BranchRating, 'score' | 'preferred' | 'note'>;

const EMPTY_CHANGE = {
  annotations: [] as Annotation[],
  removedAnnotations: [] as { nodeId: number; annotator: string }[],
  branchRatings: [] as BranchRating[],
  removedBranchRatings: [] as { leafNodeId: number; annotator: string }[],
  pruned: [] as { nodeId: number; pruned: boolean }[],
};

export interface Annotate {
  rate(nodeId: number, rating: Rating | null): Promise<boolean>;
  toggleFlag(nodeId: number): Promise<boolean>;
  setNote(nodeId: number, note: string): Promise<boolean>;
  togglePrune(nodeId: number): Promise<boolean>;
  rateBranch(leafNodeId: number, score: number | null): Promise<boolean>;
  togglePreferred(leafNodeId: number): Promise<boolean>;
  setFinishReason(reason: FinishReason | null): Promise<boolean>;
  /** Undoes the latest action (an accepted batch of suggestions is one); the last entry it appended. */
  undo(): Promise<HistoryEntry | null>;
  redo(): Promise<HistoryEntry | null>;
}

export function useAnnotate(client: StudioClient, model: RunModel | null, annotator: string, toast: Toaster): Annotate {
  return useMemo(() => {
    const runId = () => model?.run.id ?? 0;
    const now = () => new Date().toISOString();

    /** Applies `optimistic`, runs `call`, applies the server's answer, or restores `rollback`. */
    async function write<T>(
      what: string,
      optimistic: () => void,
      call: () => Promise<T>,
      confirm: (value: T) => void,
      rollback: () => void,
    ): Promise<boolean> {
      optimistic();
      try {
        const value = await enqueue(client, call);
        confirm(value);
        return true;
      } catch (error) {
        rollback();
        toast.error(error, `Could not ${what}`);
        return false;
      }
    }

    function labelWrite(nodeId: number, patch: { rating?: Rating | null; flagged?: boolean; note?: string }, what: string) {
      if (!model) return Promise.resolve(false);
      const prev = model.labelOf(nodeId, annotator);
      const base = prev ?? { nodeId, annotator, rating: null, flagged: false, note: '', updatedAt: now() };
      const next: Annotation = {
        ...base,
        ...(patch.rating !== undefined ? { rating: patch.rating } : {}),
        ...(patch.flagged !== undefined ? { flagged: patch.flagged } : {}),
        ...(patch.note !== undefined ? { note: patch.note } : {}),
      };
      const apply = (a: Annotation) => model.applyAnnotations({ ...EMPTY_CHANGE, runId: runId(), annotations: [a] });
      return write(
        what,
        () => apply(next),
        () => client.api.setLabel({ nodeId, annotator, ...patch }),
        (a) => apply(a),
        () =>
          prev
            ? apply(prev)
            : model.applyAnnotations({ ...EMPTY_CHANGE, runId: runId(), removedAnnotations: [{ nodeId, annotator }] }),
      );
    }

    function branchWrite(leafNodeId: number, patch: { score?: number | null; preferred?: boolean }, what: string) {
      if (!model) return Promise.resolve(false);
      const prev = model.branchOf(leafNodeId, annotator);
      const base = prev ?? { leafNodeId, annotator, score: null, preferred: false, note: '', updatedAt: now() };
      const next: BranchRating = { ...base, ...patch };
      const apply = (b: BranchRating) => model.applyAnnotations({ ...EMPTY_CHANGE, runId: runId(), branchRatings: [b] });
      return write(
        what,
        () => apply(next),
        () => client.api.rateBranch({ leafNodeId, annotator, ...patch }),
        (b) => apply(b),
        () =>
          prev
            ? apply(prev)
            : model.applyAnnotations({
                ...EMPTY_CHANGE,
                runId: runId(),
                removedBranchRatings: [{ leafNodeId, annotator }],
              }),
      );
    }

    /** Undo/redo answer with a history entry: apply its resulting state (the event does too). */
    function applyEntry(entry: HistoryEntry): void {
      if (!model || entry.runId !== model.run.id) return;
      const after = entry.after as Record<string, unknown> | null;
      const nodeId = entry.nodeId;
      const base = { ...EMPTY_CHANGE, runId: entry.runId };
      switch (entry.entity) {
        case 'annotation':
          if (nodeId === null) return;
          model.applyAnnotations(
            after
              ? { ...base, annotations: [{ nodeId, annotator: entry.annotator, updatedAt: entry.at, ...(after as LabelState) }] }
              : { ...base, removedAnnotations: [{ nodeId, annotator: entry.annotator }] },
          );
          break;
        case 'branch_rating':
          if (nodeId === null) return;
          model.applyAnnotations(
            after
              ? {
                  ...base,
                  branchRatings: [{ leafNodeId: nodeId, annotator: entry.annotator, updatedAt: entry.at, ...(after as BranchState) }],
                }
              : { ...base, removedBranchRatings: [{ leafNodeId: nodeId, annotator: entry.annotator }] },
          );
          break;
        case 'prune':
          if (nodeId === null || !after) return;
          model.applyAnnotations({ ...base, pruned: [{ nodeId, pruned: Boolean(after.pruned) }] });
          break;
        case 'finish_reason':
          model.applyAnnotations({ ...base, finishReason: (after?.reason as FinishReason | null) ?? null, finishReasonBy: entry.annotator });
          break;
      }
    }

    async function history(kind: 'undo' | 'redo'): Promise<HistoryEntry | null> {
      try {
        // One call undoes a whole action, a batch included, atomically for every window.
        const { entry, entries } = await enqueue(client, () => client.api[kind]({ annotator }));
        if (!entry) {
          toast.info(kind === 'undo' ? 'Nothing to undo' : 'Nothing to redo');
          return null;
        }
        entries.forEach(applyEntry);
        const where = entry.runId !== model?.run.id ? ` in run #${entry.runId}` : '';
        const seq = entry.nodeId !== null && entry.runId === model?.run.id ? model.node(entry.nodeId)?.seq : undefined;
        const what = entries.length > 1 ? describeMany(entries) : describe(entry, seq);
        toast.info(`${kind === 'undo' ? 'Undid' : 'Redid'} ${what}${where}`);
        return entry;
      } catch (error) {
        toast.error(error, `Could not ${kind}`);
        return null;
      }
    }

    return {
      rate: (nodeId, rating) => labelWrite(nodeId, { rating }, 'save the rating'),
      toggleFlag: (nodeId) => labelWrite(nodeId, { flagged: !model?.labelOf(nodeId, annotator)?.flagged }, 'flag the step'),
      setNote: (nodeId, note) => labelWrite(nodeId, { note }, 'save the note'),
      togglePrune: (nodeId) => {
        if (!model) return Promise.resolve(false);
        const was = model.node(nodeId)?.pruned ?? false;
        const apply = (pruned: boolean) => model.applyAnnotations({ ...EMPTY_CHANGE, runId: runId(), pruned: [{ nodeId, pruned }] });
        return write(
          was ? 'unprune' : 'prune',
          () => apply(!was),
          () => client.api.setPruned({ nodeId, annotator, pruned: !was }),
          (r) => apply(r.pruned),
          () => apply(was),
        );
      },
      rateBranch: (leafNodeId, score) => branchWrite(leafNodeId, { score }, 'rate the branch'),
      togglePreferred: (leafNodeId) =>
        branchWrite(leafNodeId, { preferred: !model?.branchOf(leafNodeId, annotator)?.preferred }, 'mark the branch'),
      setFinishReason: (reason) => {
        if (!model) return Promise.resolve(false);
        const was = model.finishReasonOf(annotator);
        return write(
          'set the finish reason',
          () => model.setFinishReasonLocal(reason, annotator),
          () => client.api.setFinishReason({ runId: runId(), annotator, reason }),
          (r) => model.setFinishReasonLocal(r.reason, annotator),
          () => model.setFinishReasonLocal(was, annotator),
        );
      },
      undo: () => history('undo'),
      redo: () => history('redo'),
    };
  }, [client, model, annotator, toast]);
}

/** A group of entries (an accepted batch): "2 labels", or "3 changes" when of several kinds. */
function describeMany(entries: readonly HistoryEntry[]): string {
  return `${entries.length} ${entries.every((e) => e.entity === 'annotation') ? 'labels' : 'changes'}`;
}

function describe(entry: HistoryEntry, seq: number | undefined): string {
  // Steps are named by their number in the tree (#seq), never by database id.
  const step = seq !== undefined ? ` on step #${seq}` : '';
  switch (entry.entity) {
    case 'annotation':
      return `label${step}`;
    case 'prune':
      return `prune${step}`;
    case 'branch_rating':
      return `branch rating${step}`;
    case 'finish_reason':
      return 'finish reason';
    case 'structure':
      return `transcript edit${step}`;
  }
}
