/**
 * Long chains of thought (R1/QwQ-style transcripts) as trees: each record's transcripts are read
 * (records.ts), segmented, tagged and rebuilt (longcot/build.ts), and stored with their reading
 * order, tags and relations. OpenR1-Math's generations become several trees of one problem.
 */
import path from 'node:path';
import type { ImportRequest } from '../../../common/contract/export';
import { buildTranscriptTree, type TranscriptTree } from '../longcot/build';
import { estimateTokens } from '../longcot/stats';
import { readRecord, readText, RecordError, type LongCotSource, type SourceTranscript } from '../longcot/records';
import { saveTranscript } from '../longcot/store';
import { refreshTree } from '../longcot/structure';
import { checkedProblem } from './problems';
import { ImportLineError, jsonObject, type ImportItem, type ImportNode, type ImportParser, type ImportRecord, type ImportTree } from './types';

/** Record fields kept as problem metadata when they are small (scores, sources, levels). */
const MAX_METADATA_CHARS = 2000;

function smallMetadata(fields: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(fields).filter(([, v]) => v !== undefined && (JSON.stringify(v)?.length ?? 0) <= MAX_METADATA_CHARS),
  );
}

function treeNodes(tree: TranscriptTree): ImportNode[] {
  const nodes: ImportNode[] = [{ parent: null, stepText: '', isTerminal: false, valid: true, outcome: null, expansion: 0 }];
  tree.steps.forEach((s, i) => {
    nodes.push({
      parent: s.parent + 1,
      stepText: s.text,
      // The replay slider walks expansions: one per step, in reading order.
      expansion: i + 1,
      isTerminal: s.leaf,
      valid: true,
      outcome: s.outcome,
      state: s.answer === null ? null : `answer: ${s.answer}`,
    });
  });
  return nodes;
}

function importTree(source: LongCotSource, t: SourceTranscript, request: ImportRequest, line: number): ImportTree {
  const segmenter = request.longCot.segment;
  const tree = buildTranscriptTree(t.parts, segmenter, source.gold);
  if (tree.steps.length === 0) {
    const where = t.generation === null ? 'the reasoning' : `generation ${t.generation}`;
    throw new ImportLineError(`${where} is empty`);
  }
  return {
    problem: checkedProblem({
      task: request.mapping.task ?? 'math',
      prompt: source.problem,
      goldAnswer: source.gold,
      metadata: { source: source.shape, ...smallMetadata(source.metadata) },
    }),
    // A transcript is a depth-first search: one branch at a time, backing up to try another.
    algorithm: 'dfs',
    policy: 'import:long-cot',
    config: {
      import: { format: 'long-cot', file: path.basename(request.path), line, shape: source.shape, generation: t.generation },
      transcript: { segmenter, tokens: estimateTokens(t.parts.reasoning + t.parts.answer) },
    },
    nodes: treeNodes(tree),
    onWritten: (store, runId, nodeIds) => {
      saveTranscript(store.db, runId, tree, source.shape, nodeIds);
      // A record without a gold answer may join a problem that has one: judge against that.
      if (source.gold === null) refreshTree(store.db, runId);
    },
  };
}

export function longCotParser(request: ImportRequest, fileType: 'jsonl' | 'csv' | 'text'): ImportParser {
  const push = (record: ImportRecord): ImportItem[] => {
    let source: LongCotSource;
    try {
      source =
        fileType === 'text' ? readText(record.text ?? '', path.basename(request.path)) : readRecord(jsonObject(record), request.longCot.fields);
    } catch (error) {
      if (error instanceof RecordError) throw new ImportLineError(error.message);
      throw error;
    }
    return source.transcripts.map((t) => ({ kind: 'tree', tree: importTree(source, t, request, record.line) }));
  };
  return { push, finish: () => [] };
}
