/**
 * The studio's own trace exports back into trees: the trace text is parsed (Stream of Search or
 * the generic syntax), so the tree, its order and its labels come from the text itself; `meta`
 * only supplies the task and gold answer.
 */
import { z } from 'zod';
import type { ImportMapping } from '../../../common/contract/export';
import { AlgorithmName, TaskName } from '../../../common/domain';
import { parseGeneric } from '../export/trace/generic';
import { parseSos, TraceSyntaxError, type ParsedTraceNode } from '../export/trace/sos';
import { checkedProblem } from './problems';
import { ImportLineError, jsonObject, type ImportItem, type ImportNode, type ImportParser, type ImportRecord } from './types';

const TraceRecord = z.object({
  prompt: z.string().optional(),
  completion: z.string().optional(),
  /** Stream of Search's field: the whole trace; `prompt` is then its `Current State: ...` line. */
  search_path: z.string().optional(),
  messages: z.array(z.object({ role: z.string(), content: z.string() })).optional(),
  meta: z
    .object({
      task: TaskName.optional(),
      gold_answer: z.string().nullable().optional(),
      syntax: z.enum(['sos', 'generic']).optional(),
      algorithm: z.string().optional(),
      run_id: z.number().optional(),
    })
    .optional(),
});

/** A Stream of Search prompt `Current State: 24:[4, 9, 3], Operations: []` holds the problem `24:[4, 9, 3]`. */
const SOS_START = /^Current State: (.+:\[.*\]), Operations: \[\]$/;

/** The problem and the trace; a SoS prompt line is the trace's first line, so it joins the trace. */
function withSosStart(prompt: string, trace: string): { prompt: string; trace: string } {
  const m = SOS_START.exec(prompt.trim());
  if (!m) return { prompt, trace };
  if (/^\s*Current State:/.test(trace)) return { prompt: m[1]!, trace };
  return { prompt: m[1]!, trace: `${prompt.trim()}\n${trace.replace(/^\n/, '')}` };
}

function promptAndTrace(r: z.infer<typeof TraceRecord>): { prompt: string; trace: string } {
  if (r.messages) {
    const user = r.messages.find((m) => m.role === 'user');
    const assistant = r.messages.find((m) => m.role === 'assistant');
    if (!user || !assistant) throw new ImportLineError('messages need a user turn (the problem) and an assistant turn (the trace)');
    return withSosStart(user.content, assistant.content);
  }
  if (r.search_path !== undefined) return withSosStart(r.prompt ?? r.search_path.split('\n')[0]!, r.search_path);
  if (r.prompt === undefined || r.completion === undefined) {
    throw new ImportLineError('expected "prompt" and "completion", "search_path", or "messages"');
  }
  return withSosStart(r.prompt, r.completion);
}

function toNodes(parsed: ParsedTraceNode[], annotator: string): ImportNode[] {
  const index = new Map(parsed.map((n, i) => [n.key, i]));
  let expansion = 0;
  let lastParent: string | null = null;
  return parsed.map((n, i): ImportNode => {
    if (i > 0 && n.parentKey !== lastParent) expansion += 1;
    if (i > 0) lastParent = n.parentKey;
    return {
      parent: n.parentKey === null ? null : index.get(n.parentKey)!,
      stepText: n.stepText,
      state: n.state,
      isTerminal: n.isTerminal,
      valid: n.valid,
      outcome: n.outcome,
      expansion: i === 0 ? 0 : expansion,
      labels: n.rating === null ? [] : [{ annotator, rating: n.rating }],
    };
  });
}

export function traceTree(record: ImportRecord, mapping: ImportMapping, annotator: string, fileName: string): ImportItem {
  const parsed = TraceRecord.safeParse(jsonObject(record));
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new ImportLineError(`${issue.path.join('.') || 'record'}: ${issue.message}`);
  }
  const r = parsed.data;
  const { prompt, trace } = promptAndTrace(r);
  const syntax = r.meta?.syntax ?? (/^\s*Current State:/.test(trace) ? 'sos' : 'generic');
  let nodes: ParsedTraceNode[];
  try {
    nodes = syntax === 'sos' ? parseSos(trace) : parseGeneric(trace);
  } catch (error) {
    if (error instanceof TraceSyntaxError) throw new ImportLineError(error.message);
    throw error;
  }
  if (nodes.length < 2) throw new ImportLineError('the trace explores no step');
  const algorithm = AlgorithmName.safeParse(r.meta?.algorithm);
  const task = r.meta?.task ?? mapping.task ?? (syntax === 'sos' ? 'countdown' : 'math');
  const target = syntax === 'sos' ? (nodes[0]!.state?.split(':')[0] ?? null) : null;
  return {
    kind: 'tree',
    tree: {
      problem: checkedProblem({ task, prompt, goldAnswer: r.meta?.gold_answer ?? target, metadata: {} }),
      algorithm: algorithm.success ? algorithm.data : 'dfs',
      policy: 'import:trace',
      config: { import: { format: 'trace', file: fileName, line: record.line, syntax, run_id: r.meta?.run_id ?? null } },
      nodes: toNodes(nodes, annotator),
    },
  };
}

export function traceParser(mapping: ImportMapping, annotator: string, fileName: string): ImportParser {
  return { push: (record) => [traceTree(record, mapping, annotator, fileName)], finish: () => [] };
}
