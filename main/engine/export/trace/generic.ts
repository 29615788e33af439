/**
 * The generic Meta-CoT trace syntax, for tasks without a Stream of Search form (math word
 * problems, anything else). One event a line; the same events as Stream of Search:
 *
 *   Exploring Step #0,0: <step text>        explore: a step proposed from the current node
 *     <more lines of that step>             (continuation lines are indented two spaces)
 *   Evaluation #0,0: +1                     evaluate: the step's label (+1, 0, -1), if any
 *   Generated Node #0,0                     node: the step was kept as an open node
 *   Dead End #0,0: incorrect answer         a finished path with a wrong answer
 *   Dead End #0,0: invalid step             a step the task rejects
 *   Dead End #0,0: unchecked answer         a finished path nobody checked
 *   Goal Reached #0,1,2                     goal: a finished path with the right answer
 *   Moving to Node #0,0                     the search descends into a child of where it is
 *   Backtracking to Node #0                 the search continues from anywhere else
 *   No solution found.                      the trace ends without reaching a goal
 *
 * Node ids are comma paths from the root `0`. The trace starts at the root.
 */
import type { LabelView } from '../labels';
import type { ExportTree } from '../tree';
import { line, type TraceLine } from './lines';
import type { Linearised } from './linearise';
import { TraceSyntaxError, type ParsedTraceNode } from './sos';

const INDENT = '  ';

function formatRating(r: number): string {
  return r > 0 ? '+1' : String(r);
}

export function genericLines(tree: ExportTree, lin: Linearised, labels: LabelView | null): TraceLine[] {
  const lines: TraceLine[] = [];
  let position = tree.root;
  for (const e of lin.events) {
    if (e.type === 'visit') {
      if (e.node === position) continue;
      const verb = tree.parent[e.node] === position ? 'Moving to' : 'Backtracking to';
      lines.push(line(`${verb} Node #${lin.ids.get(e.node)}`, 'move', e.node));
      position = e.node;
    } else if (e.type === 'explore') {
      const node = tree.nodes[e.node]!;
      const id = lin.ids.get(e.node);
      const [head, ...rest] = node.stepText.split('\n');
      const step = (text: string) => lines.push(line(text, 'step', e.node));
      step(`Exploring Step #${id}:${head ? ` ${head}` : ''}`);
      for (const more of rest) step(`${INDENT}${more}`);
      const rating = labels?.rating(e.node) ?? null;
      if (rating !== null) step(`Evaluation #${id}: ${formatRating(rating)}`);
      if (!node.valid) step(`Dead End #${id}: invalid step`);
      else if (tree.isGoal(e.node)) step(`Goal Reached #${id}`);
      else if (node.isTerminal) step(`Dead End #${id}: ${node.outcome === 'incorrect' ? 'incorrect answer' : 'unchecked answer'}`);
      else step(`Generated Node #${id}`);
    } else if (!e.solved) {
      lines.push(line('No solution found.', 'end'));
    }
  }
  return lines;
}

const parentId = (id: string) => (id.includes(',') ? id.slice(0, id.lastIndexOf(',')) : null);

/** Reads a generic trace back into nodes: the root, then steps in the order explored. */
export function parseGeneric(text: string): ParsedTraceNode[] {
  const root: ParsedTraceNode = {
    key: '0',
    parentKey: null,
    stepText: '',
    state: null,
    isTerminal: false,
    valid: true,
    outcome: null,
    rating: null,
  };
  const nodes = [root];
  const byId = new Map([['0', root]]);
  let position = '0';
  let last: ParsedTraceNode | null = null;
  const need = (id: string, n: number) => {
    const node = byId.get(id);
    if (!node) throw new TraceSyntaxError(n, `node #${id} was never explored`);
    return node;
  };
  text.split('\n').forEach((line, k) => {
    const n = k + 1;
    let m: RegExpExecArray | null;
    if (line.startsWith(INDENT)) {
      if (!last) throw new TraceSyntaxError(n, 'an indented line that continues no step');
      last.stepText += `\n${line.slice(INDENT.length)}`;
      return;
    }
    if (line.trim() === '') return;
    if ((m = /^Exploring Step #([\d,]+):(?: (.*))?$/.exec(line))) {
      const id = m[1]!;
      if (byId.has(id)) throw new TraceSyntaxError(n, `node #${id} explored twice`);
      if (parentId(id) !== position) throw new TraceSyntaxError(n, `node #${id} is not a child of the current node #${position}`);
      last = { ...root, key: id, parentKey: position, stepText: m[2] ?? '' };
      nodes.push(last);
      byId.set(id, last);
      return;
    }
    last = null;
    if ((m = /^Evaluation #([\d,]+): (\+1|0|-1)$/.exec(line))) {
      need(m[1]!, n).rating = Number(m[2]) as -1 | 0 | 1;
    } else if ((m = /^Generated Node #([\d,]+)$/.exec(line))) {
      need(m[1]!, n);
    } else if ((m = /^Goal Reached #([\d,]+)$/.exec(line))) {
      Object.assign(need(m[1]!, n), { isTerminal: true, outcome: 'correct' });
    } else if ((m = /^Dead End #([\d,]+): (incorrect answer|invalid step|unchecked answer)$/.exec(line))) {
      const node = need(m[1]!, n);
      if (m[2] === 'invalid step') node.valid = false;
      else Object.assign(node, { isTerminal: true, outcome: m[2] === 'incorrect answer' ? 'incorrect' : null });
    } else if ((m = /^(Moving to|Backtracking to) Node #([\d,]+)$/.exec(line))) {
      need(m[2]!, n);
      if (m[1] === 'Moving to' && parentId(m[2]!) !== position) {
        throw new TraceSyntaxError(n, `"Moving to" node #${m[2]}, which is not a child of #${position}`);
      }
      position = m[2]!;
    } else if (line !== 'No solution found.') {
      throw new TraceSyntaxError(n, `not a trace event: "${line.slice(0, 80)}"`);
    }
  });
  return nodes;
}
