/** A stored transcript as the contract shows it, and statistics over many of them. */
import { TranscriptStats as TranscriptStatsSchema, type CorpusStats, type Transcript, type TranscriptStats } from '../../../common/contract/transcript';
import type { TaskName } from '../../../common/domain';
import type { Connection } from '../store/db';
import { transcriptRows } from '../store/transcripts';
import { corpusStats, transcriptStats } from './stats';
import { loadTranscript, type StoredTranscript } from './store';

export function transcriptView(t: StoredTranscript): Transcript {
  return {
    runId: t.runId,
    rootId: t.rootId,
    segmenter: t.segmenter,
    shape: t.shape,
    prefix: t.prefix,
    middle: t.middle,
    suffix: t.suffix,
    gold: t.gold,
    steps: t.steps.map((s) => ({
      nodeId: s.nodeId,
      parentId: s.parentId,
      start: s.start,
      section: s.section,
      text: s.text,
      tag: s.tag,
      relation: s.relation,
      taggedBy: s.taggedBy,
      answer: s.answer,
      outcome: s.outcome,
      abandoned: s.abandoned,
    })),
    stats: transcriptStats(t.steps),
  };
}

/** Ids of transcript runs, optionally only these runs or one task, in id order. */
export function transcriptRunIds(db: Connection, filter: { runIds?: readonly number[]; task?: TaskName } = {}): number[] {
  const ids = transcriptRows(db).runIds(filter.task ?? null);
  const wanted = filter.runIds ? new Set(filter.runIds) : null;
  return ids.filter((id) => !wanted || wanted.has(id));
}

/**
 * Statistics of these runs. Each run keeps its transcript's statistics in its stats (written at
 * import and after every edit, store.ts recordStats), so a corpus is read, not recomputed; a run
 * without them is computed from its tree.
 */
export function statsOfRuns(db: Connection, runIds: readonly number[]): { corpus: CorpusStats; runs: { runId: number; stats: TranscriptStats }[] } {
  const stored = transcriptRows(db);
  const runs = runIds.map((runId) => {
    const kept = TranscriptStatsSchema.safeParse(JSON.parse(stored.keptStats(runId) ?? 'null'));
    return { runId, stats: kept.success ? kept.data : transcriptStats(loadTranscript(db, runId)!.steps) };
  });
  return { corpus: corpusStats(runs.map((r) => r.stats)), runs };
}
