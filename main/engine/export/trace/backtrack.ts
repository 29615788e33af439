/**
 * Backtrack styles other than the syntaxes' own "Moving to Node" lines. The trace is written as
 * the partial solution the search holds at each moment: a step tried is written on a line, and
 * leaving it for an earlier point is written as
 *
 *   token    one `[BACK]` line per step undone (the backtracking-token variants);
 *   natural  a sentence, as ASTRO writes its search ("But wait, ... Let me go back to ...");
 *
 * after which the steps from that point down to where the search continues are written again
 * (BFS and best-first jump across the tree). `tree` instead writes every step once with its
 * parent's id (`[0,1] <- [0]: step`), the tree with parent pointers.
 */
import type { ExportTree } from '../tree';
import { line, type TraceLine } from './lines';
import type { Linearised } from './linearise';

export type BacktrackStyle = 'token' | 'natural' | 'tree';

export const BACK_TOKEN = '[BACK]';

/** A step's text on trace lines (a multi-line step stays multi-line). */
const stepText = (tree: ExportTree, i: number) => tree.nodes[i]!.stepText.trim();
const headline = (tree: ExportTree, i: number) => stepText(tree, i).split('\n')[0]!;

function outcomeWords(tree: ExportTree, i: number): string | null {
  const n = tree.nodes[i]!;
  if (!n.valid) return 'invalid step';
  if (tree.isGoal(i)) return 'correct';
  if (n.isTerminal) return n.outcome === 'incorrect' ? 'incorrect answer' : 'unchecked answer';
  return null;
}

/** Why a branch is left, in ASTRO's self-correcting voice. */
function leaving(tree: ExportTree, i: number): string {
  const n = tree.nodes[i]!;
  if (tree.isGoal(i)) return 'That answer is right, but let me look at the other options too.';
  if (!n.valid) return 'But wait, that step is not valid.';
  if (n.isTerminal && n.outcome === 'incorrect') return 'But wait, that answer is wrong.';
  if (n.isTerminal) return 'But wait, I cannot confirm that answer.';
  return 'But wait, this path does not seem to lead to the answer.';
}

function goingBackTo(tree: ExportTree, i: number): string {
  return i === tree.root ? 'Let me go back to the start and try something else.' : `Let me go back to after "${headline(tree, i)}" and try something else.`;
}

function stackLines(tree: ExportTree, lin: Linearised, style: 'token' | 'natural'): TraceLine[] {
  const lines: TraceLine[] = [];
  const stack: number[] = [tree.root];
  const push = (i: number) => {
    lines.push(line(stepText(tree, i), 'step', i));
    if (style === 'natural' && tree.isGoal(i)) lines.push(line('This reaches the answer.', 'step', i));
    stack.push(i);
  };
  /** Undo steps until `ancestor` is on top, then write the steps down to `to` again. */
  const moveTo = (to: number) => {
    const down = [...tree.path(to)];
    const onPath = new Set([tree.root, ...down]);
    let undone = 0;
    const left = stack[stack.length - 1]!;
    while (!onPath.has(stack[stack.length - 1]!)) {
      const popped = stack.pop()!;
      undone += 1;
      if (style === 'token') lines.push(line(BACK_TOKEN, 'move', popped));
    }
    const top = stack[stack.length - 1]!;
    if (style === 'natural' && undone > 0) lines.push(line(`${leaving(tree, left)} ${goingBackTo(tree, top)}`, 'move', left));
    for (const i of down.slice(stack.length - 1)) push(i);
  };
  for (const e of lin.events) {
    if (e.type === 'visit') moveTo(e.node);
    else if (e.type === 'explore') {
      moveTo(tree.parent[e.node]!);
      push(e.node);
    } else if (!e.solved) {
      lines.push(line(style === 'natural' ? 'I have tried every option I can see; no solution found.' : 'No solution found.', 'end'));
    }
  }
  return lines;
}

function treeLines(tree: ExportTree, lin: Linearised): TraceLine[] {
  const lines: TraceLine[] = [];
  for (const e of lin.events) {
    if (e.type === 'explore') {
      const [head, ...rest] = stepText(tree, e.node).split('\n');
      const outcome = outcomeWords(tree, e.node);
      lines.push(line(`[${lin.ids.get(e.node)}] <- [${lin.ids.get(tree.parent[e.node]!)}]: ${head}`, 'step', e.node));
      for (const more of rest) lines.push(line(`  ${more}`, 'step', e.node));
      if (outcome) lines.push(line(`[${lin.ids.get(e.node)}] ${outcome}`, 'step', e.node));
    } else if (e.type === 'end' && !e.solved) {
      lines.push(line('No solution found.', 'end'));
    }
  }
  return lines;
}

export function backtrackLines(tree: ExportTree, lin: Linearised, style: BacktrackStyle): TraceLine[] {
  return style === 'tree' ? treeLines(tree, lin) : stackLines(tree, lin, style);
}
