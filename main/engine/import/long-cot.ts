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

/** The problem of a source, checked as the store will; every transcript must hold some text. */
function checkedSource(source: LongCotSource, request: ImportRequest) {
  for (const t of source.transcripts) {
    if (t.parts.reasoning === '' && t.parts.answer === '') {
      throw new ImportLineError(`${t.generation === null ? 'the reasoning' : `generation ${t.generation}`} is empty`);
    }
  }
  return checkedProblem({
    task: request.mapping.task ?? 'math',
    prompt: source.problem,
    goldAnswer: source.gold,
    metadata: { source: source.shape, ...smallMetadata(source.metadata) },
  });
}

function importTree(source: LongCotSource, problem: ImportTree['problem'], t: SourceTranscript, request: ImportRequest, line: number): ImportTree {
  const segmenter = request.longCot.segment;
  const tree = buildTranscriptTree(t.parts, segmenter, source.gold);
  return {
    problem,
    // A transcript is a depth-first search: one branch at a time, backing up to try another.
    algorithm: 'dfs',
    policy: 'import:long-cot',
    config: {
      import: { format: 'long-cot', file: path.basename(request.path), line, shape: source.shape, generation: t.generation },
      transcript: { segmenter, tokens: estimateTokens(t.parts.reasoning + t.parts.answer) },
    },
    nodes: treeNodes(tree),
    // Each node's terminal flag, outcome and state come from the transcript's own reading.
    replayTask: false,
    onWritten: (store, runId, nodeIds) => {
      saveTranscript(store.connection, runId, tree, source.shape, nodeIds);
      // A record without a gold answer may join a problem that has one: judge against that.
      if (source.gold === null) refreshTree(store.connection, runId);
    },
  };
}

export function longCotParser(request: ImportRequest, fileType: 'jsonl' | 'csv' | 'text'): ImportParser {
  const read = (record: ImportRecord): LongCotSource => {
    try {
      return fileType === 'text' ? readText(record.text ?? '', path.basename(request.path)) : readRecord(jsonObject(record), request.longCot.fields);
    } catch (error) {
      if (error instanceof RecordError) throw new ImportLineError(error.message);
      throw error;
    }
  };
  return {
    push: (record) => {
      const source = read(record);
      const problem = checkedSource(source, request);
      return source.transcripts.map((t): ImportItem => ({ kind: 'tree', tree: importTree(source, problem, t, request, record.line) }));
    },
    // Segmenting and rebuilding cannot fail, so the checking pass only reads the record.
    check: (record) => void checkedSource(read(record), request),
    finish: () => [],
  };
}
