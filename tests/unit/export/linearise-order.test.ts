/**
 * The re-orderings of a stored tree, on a small in-memory tree (no database):
 *
 *   0 root ─┬─ 1 "a" (score 0.2) ── 3 "a1" (score 0.9)
 *           └─ 2 "b" (score 0.8) ─┬─ 4 "b1" (score 0.1)
 *                                 └─ 5 "b2" (score 0.5)
 *
 * Best first by score expands the root, then b (0.8, higher than a), then a (0.2): b1 and b2 are
 * open leaves with no children, so only nodes with children are expanded.
 */
import { describe, expect, it } from 'vitest';
import type { ExportNode, LoadedTree } from '../../../main/engine/export/queries';
import { linearise, type TraceOrder } from '../../../main/engine/export/trace/linearise';
import { ExportTree } from '../../../main/engine/export/tree';

function node(seq: number, parentSeq: number | null, stepText: string, score: number | null, expansion: number): ExportNode {
  return {
    id: seq + 100,
    parentId: parentSeq === null ? null : parentSeq + 100,
    seq,
    depth: 0,
    expansion,
    stepText,
    state: null,
    score,
    isTerminal: false,
    valid: true,
    outcome: null,
    exactLabel: null,
    pruned: false,
  };
}

const tree = new ExportTree({
  run: { id: 1, problemId: 1, task: 'math', algorithm: 'mcts', policy: 'p', status: 'done', finishReason: null, createdAt: '' },
  problem: { id: 1, task: 'math', prompt: 'q', goldAnswer: null, metadata: {}, createdAt: '' },
  // Recorded expansions: root (1), then a (2), then b (3).
  nodes: [node(0, null, '', null, 0), node(1, 0, 'a', 0.2, 1), node(2, 0, 'b', 0.8, 1), node(3, 1, 'a1', 0.9, 2), node(4, 2, 'b1', 0.1, 3), node(5, 2, 'b2', 0.5, 3)],
  annotations: [],
  branchRatings: [],
} as LoadedTree);

const walk = (order: TraceOrder) =>
  linearise(tree, { order, stopAtGoal: true }).events.map((e) =>
    e.type === 'end' ? 'end' : `${e.type === 'visit' ? 'at' : '+'}${tree.nodes[e.node]!.stepText || 'root'}`,
  );

describe('trace orders over a stored tree', () => {
  it('best first by score expands b before a', () => {
    expect(walk('score')).toEqual(['atroot', '+a', '+b', 'atb', '+b1', '+b2', 'ata', '+a1', 'end']);
  });

  it('breadth first goes level by level in creation order', () => {
    expect(walk('bfs')).toEqual(['atroot', '+a', '+b', 'ata', '+a1', 'atb', '+b1', '+b2', 'end']);
  });

  it('depth first finishes a before b, coming back to the parent between children as Stream of Search does', () => {
    expect(walk('dfs')).toEqual(['atroot', '+a', 'ata', '+a1', 'atroot', '+b', 'atb', '+b1', 'atb', '+b2', 'end']);
  });

  it('as it ran follows the recorded expansions', () => {
    expect(walk('expansion')).toEqual(['atroot', '+a', '+b', 'ata', '+a1', 'atb', '+b1', '+b2', 'end']);
  });
});
