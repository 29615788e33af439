/**
 * The Stream of Search syntax (Gandhi et al. 2024) for Countdown and Game of 24, byte for byte
 * as its generators write it:
 *
 *   Current State: 24:[4, 9, 3], Operations: []
 *   Exploring Operation: 9*3=27, Resulting Numbers: [4, 27]
 *   Generated Node #0,0: 24:[4, 27] Operation: 9*3=27
 *   Moving to Node #0,0
 *   ...
 *   24,24 equal: Goal Reached
 *
 * States come from each node's stored state (`24:[4, 27]`, the task's description of it).
 * Invalid steps are not operations, so they (and anything under them) are left out.
 */
import type { ExportTree } from '../tree';
import { line, type TraceLine } from './lines';
import type { Linearised, TraceOrder } from './linearise';

const STATE = /^\s*(-?\d+(?:\/\d+)?)\s*:\s*\[(.*)\]\s*$/;
const OPERATION = /^\s*(-?\d+(?:\/\d+)?)\s*([+\-*/×÷])\s*(-?\d+(?:\/\d+)?)\s*=\s*(-?\d+(?:\/\d+)?)/;

export interface SosState {
  target: string;
  numbers: string[];
}

export function parseSosState(state: string | null): SosState | null {
  const m = state === null ? null : STATE.exec(state);
  if (!m) return null;
  const inner = m[2]!.trim();
  return { target: m[1]!, numbers: inner ? inner.split(',').map((s) => s.trim()) : [] };
}

/** `9 * 3 = 27 (left: 4 27)` and `9*3=27` both become `9*3=27`; anything else is kept as written. */
export function sosOperation(stepText: string): string {
  const m = OPERATION.exec(stepText);
  if (!m) return stepText.trim().split('\n')[0]!;
  const op = m[2] === '×' ? '*' : m[2] === '÷' ? '/' : m[2];
  return `${m[1]}${op}${m[3]}=${m[4]}`;
}

const list = (numbers: string[]) => `[${numbers.join(', ')}]`;
const pyStrings = (ops: string[]) => `[${ops.map((o) => `'${o}'`).join(', ')}]`;

export class SosUnavailable extends Error {}

/**
 * Every valid exported node's state as `target:[numbers]`, or null when one cannot be read.
 * `describe` supplies the state of a node that has none stored (from the task's rules).
 */
export function sosStates(tree: ExportTree, describe?: (i: number) => string | null): Map<number, SosState> | null {
  const states = new Map<number, SosState>();
  for (let i = 0; i < tree.nodes.length; i++) {
    if (tree.included[i] !== 1 || !tree.nodes[i]!.valid) continue;
    const s = parseSosState(tree.nodes[i]!.state ?? describe?.(i) ?? null);
    if (!s) return null;
    states.set(i, s);
  }
  return states;
}

export function sosLines(tree: ExportTree, lin: Linearised, order: TraceOrder, states: Map<number, SosState>): TraceLine[] {
  const lines: TraceLine[] = [];
  const state = (i: number) => {
    const s = states.get(i);
    if (!s) throw new SosUnavailable(`node ${tree.nodes[i]!.seq} has no Stream of Search state`);
    return s;
  };
  const target = state(tree.root).target;
  const ops = (i: number) => tree.path(i).map((k) => sosOperation(tree.nodes[k]!.stepText));
  let first = true;
  for (const e of lin.events) {
    if (e.type === 'visit') {
      if (!first) lines.push(line(`Moving to Node #${lin.ids.get(e.node)}`, 'move', e.node));
      const current = `Current State: ${target}:${list(state(e.node).numbers)}, Operations: ${pyStrings(ops(e.node))}`;
      lines.push(line(current, first ? 'start' : 'move', e.node));
      first = false;
    } else if (e.type === 'explore') {
      const node = tree.nodes[e.node]!;
      const op = sosOperation(node.stepText);
      const numbers = state(e.node).numbers;
      lines.push(line(`Exploring Operation: ${op}, Resulting Numbers: ${list(numbers)}`, 'step', e.node));
      if (node.isTerminal) {
        const result = numbers.join(', ');
        const outcome = tree.isGoal(e.node) ? `${result},${target} equal: Goal Reached` : `${result},${target} unequal: No Solution`;
        lines.push(line(outcome, 'step', e.node));
      } else {
        lines.push(line(`Generated Node #${lin.ids.get(e.node)}: ${target}:${list(numbers)} Operation: ${op}`, 'step', e.node));
      }
    } else if (!e.solved && order !== 'dfs') {
      lines.push(line('No solution found.', 'end'));
    }
  }
  return lines;
}

/** One node read back from a Stream of Search trace. */
export interface ParsedTraceNode {
  key: string;
  parentKey: string | null;
  stepText: string;
  state: string | null;
  isTerminal: boolean;
  valid: boolean;
  outcome: 'correct' | 'incorrect' | null;
  rating: -1 | 0 | 1 | null;
}

export class TraceSyntaxError extends Error {
  constructor(
    readonly traceLine: number,
    message: string,
  ) {
    super(`trace line ${traceLine}: ${message}`);
  }
}

/** Reads a Stream of Search trace back into nodes (root first, then in the order explored). */
export function parseSos(text: string): ParsedTraceNode[] {
  const nodes: ParsedTraceNode[] = [];
  const byId = new Map<string, ParsedTraceNode>();
  let position: ParsedTraceNode | null = null;
  let last: ParsedTraceNode | null = null;
  let target = '';
  let explored = 0;
  const lines = text.split('\n');
  lines.forEach((raw, k) => {
    const n = k + 1;
    const line = raw.trimEnd();
    if (!line) return;
    let m: RegExpExecArray | null;
    if ((m = /^Current State: (-?\d+(?:\/\d+)?):\[(.*)\], Operations: \[.*\]$/.exec(line))) {
      if (!position) {
        target = m[1]!;
        position = {
          key: '0',
          parentKey: null,
          stepText: '',
          state: `${target}:[${m[2]}]`,
          isTerminal: false,
          valid: true,
          outcome: null,
          rating: null,
        };
        nodes.push(position);
        byId.set('0', position);
      }
    } else if ((m = /^Exploring Operation: (.*), Resulting Numbers: \[(.*)\]$/.exec(line))) {
      if (!position) throw new TraceSyntaxError(n, 'an operation before the first "Current State"');
      last = {
        key: `${position.key}/${explored++}`,
        parentKey: position.key,
        stepText: m[1]!,
        state: `${target}:[${m[2]}]`,
        isTerminal: false,
        valid: true,
        outcome: null,
        rating: null,
      };
      nodes.push(last);
    } else if ((m = /^Generated Node #([\d,]+): .* Operation: (.*)$/.exec(line))) {
      if (!last) throw new TraceSyntaxError(n, '"Generated Node" without an operation before it');
      if (byId.has(m[1]!)) throw new TraceSyntaxError(n, `node #${m[1]} generated twice`);
      byId.set(m[1]!, last);
    } else if ((m = /^(.*),(-?\d+(?:\/\d+)?) (equal: Goal Reached|unequal: No Solution|equal|unequal)$/.exec(line))) {
      if (!last) throw new TraceSyntaxError(n, 'an outcome without an operation before it');
      last.isTerminal = true;
      last.outcome = m[3]!.startsWith('equal') ? 'correct' : 'incorrect';
    } else if ((m = /^Moving to Node #([\d,]+)$/.exec(line))) {
      const to = byId.get(m[1]!);
      if (!to) throw new TraceSyntaxError(n, `move to node #${m[1]}, which was never generated`);
      position = to;
    } else if (line !== 'No solution found.') {
      throw new TraceSyntaxError(n, `not a Stream of Search line: "${line.slice(0, 80)}"`);
    }
  });
  if (!nodes.length) throw new TraceSyntaxError(1, 'no "Current State" line');
  return nodes;
}
