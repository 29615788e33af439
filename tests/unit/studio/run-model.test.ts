/** The studio's in-memory tree: navigation, next-unlabeled, pruning, golden path, events, layout. */
import { describe, expect, test } from 'vitest';
import type { Annotation, Problem, Run, TreeNode } from '../../../common/domain';
import { RunModel } from '../../../renderer/src/model/run-model';
import { defaultCollapsed, revealed, visibleTree } from '../../../renderer/src/model/visibility';
import { layoutTree, NODE_WIDTH } from '../../../renderer/src/model/layout';
import { ViewStore } from '../../../renderer/src/model/view-store';

const run: Run = {
  id: 1, problemId: 1, task: 'countdown', algorithm: 'bfs', config: {}, policy: 'p', scorer: null, seed: 1,
  status: 'done', stats: {}, error: null, finishReason: null, nodeCount: 8, solved: true,
  createdAt: '', startedAt: null, finishedAt: null,
};
const problem: Problem = { id: 1, task: 'countdown', prompt: '24:[4, 9, 3]', goldAnswer: '24', metadata: {}, createdAt: '' };

function node(id: number, parentId: number | null, extra: Partial<TreeNode> = {}): TreeNode {
  return {
    id, runId: 1, parentId, seq: id - 1, depth: 0, expansion: id === 1 ? 0 : 1, stepText: `step ${id}`, state: null,
    tokenCount: null, logprob: null, prior: null, value: null, visits: 0, q: null, score: null,
    isTerminal: false, valid: true, outcome: null, exactLabel: null, pruned: false, ...extra,
  };
}

/*
 * 1 ─┬─ 2 ── 5 (incorrect)
 *    ├─ 3 ─┬─ 6 (correct, score .9)
 *    │     └─ 7 (incorrect)
 *    └─ 4 ── 8 (incorrect)
 */
const NODES = [
  node(1, null), node(2, 1), node(3, 1), node(4, 1),
  node(5, 2, { isTerminal: true, outcome: 'incorrect', score: 0.2 }),
  node(6, 3, { isTerminal: true, outcome: 'correct', score: 0.9 }),
  node(7, 3, { isTerminal: true, outcome: 'incorrect', score: 0.95 }),
  node(8, 4, { isTerminal: true, outcome: 'incorrect' }),
];

const label = (nodeId: number, annotator: string, rating: Annotation['rating']): Annotation =>
  ({ nodeId, annotator, rating, flagged: false, note: '', updatedAt: '' });

const make = (annotations: Annotation[] = []) =>
  new RunModel({ run, problem, nodes: NODES, annotations, branchRatings: [] });

const change = (patch: Partial<Parameters<RunModel['applyAnnotations']>[0]>) => ({
  runId: 1, annotations: [], removedAnnotations: [], branchRatings: [], removedBranchRatings: [], pruned: [], ...patch,
});

describe('RunModel', () => {
  test('moves to parent, first child and siblings', () => {
    const m = make();
    expect(m.parentOf(6)).toBe(3);
    expect(m.childrenOf(3)).toEqual([6, 7]);
    expect(m.sibling(3, 1)).toBe(4);
    expect(m.sibling(4, 1)).toBe(4);
    expect(m.sibling(2, -1)).toBe(2);
    expect(m.pathTo(7).map((n) => n.id)).toEqual([1, 3, 7]);
    expect(m.dfsOrder()).toEqual([1, 2, 5, 3, 6, 7, 4, 8]);
    expect(m.subtreeSize(3)).toBe(3);
    expect(m.subtreeSize(1)).toBe(8);
  });

  test('next unlabeled walks depth-first, skips the root, my labels, pruned subtrees, and wraps', () => {
    const m = make([label(2, 'ada', 1), label(5, 'bob', -1)]);
    expect(m.nextUnlabeled(null, 'ada')).toBe(5);
    expect(m.nextUnlabeled(5, 'ada')).toBe(3);
    m.applyAnnotations(change({ pruned: [{ nodeId: 3, pruned: true }] }));
    expect(m.inPrunedSubtree(7)).toBe(true);
    expect(m.nextUnlabeled(5, 'ada')).toBe(4);
    expect(m.nextUnlabeled(8, 'ada')).toBe(5);
    expect(m.nextUnlabeled(5, 'ada', { direction: -1 })).toBe(8);
    expect(m.labelableCount()).toBe(4);
  });

  test('first-error mode skips steps below a step I rated -1', () => {
    const m = make([label(2, 'ada', -1)]);
    expect(m.afterError(5, 'ada')).toBe(true);
    expect(m.afterError(5, 'bob')).toBe(false);
    expect(m.nextUnlabeled(2, 'ada', { skipAfterError: true })).toBe(3);
    expect(m.nextUnlabeled(2, 'ada')).toBe(5);
  });

  test('golden path ends at the best correct terminal, not at the best score overall', () => {
    expect([...make().bestPath()]).toEqual([1, 3, 6]);
  });

  test('events add and remove labels, prune, and new nodes extend the tree', () => {
    const m = make();
    const seen: unknown[] = [];
    m.subscribe((c) => seen.push(c));
    m.applyAnnotations(change({ annotations: [label(6, 'ada', 1)] }));
    expect(m.ratingOf(6, 'ada')).toBe(1);
    m.applyAnnotations(change({ removedAnnotations: [{ nodeId: 6, annotator: 'ada' }] }));
    expect(m.ratingOf(6, 'ada')).toBeNull();
    m.applyAnnotations(change({ runId: 2, annotations: [label(6, 'ada', 1)] }));
    expect(m.ratingOf(6, 'ada')).toBeNull();
    m.addNodes([node(9, 8, { seq: 8 })]);
    expect(m.childrenOf(8)).toEqual([9]);
    expect(m.subtreeSize(4)).toBe(3);
    expect(seen).toHaveLength(3);
  });

  test('search finds step text case-insensitively in depth-first order', () => {
    expect(make().search('STEP 7')).toEqual([7]);
    expect(make().search('  ')).toEqual([]);
  });
});

describe('visibility and layout', () => {
  test('big trees open within the budget; revealing a node expands its ancestors', () => {
    const m = make();
    const collapsed = defaultCollapsed(m, 4);
    expect(visibleTree(m, collapsed).ids.length).toBeLessThanOrEqual(4);
    expect(collapsed.has(1)).toBe(false);
    const open = revealed(m, collapsed, 7);
    expect(visibleTree(m, open).ids).toContain(7);
    const all = visibleTree(m, new Set());
    expect(all.ids).toEqual([1, 2, 5, 3, 6, 7, 4, 8]);
    expect([...all.parentIndex]).toEqual([-1, 0, 1, 0, 3, 3, 0, 6]);
  });

  test('tidy layout puts children below parents and never overlaps a level', () => {
    const { parentIndex } = visibleTree(make(), new Set());
    const pos = layoutTree(parentIndex);
    for (let i = 1; i < parentIndex.length; i++) expect(pos[2 * i + 1]).toBeGreaterThan(pos[2 * parentIndex[i]! + 1]!);
    const byLevel = new Map<number, number[]>();
    for (let i = 0; i < parentIndex.length; i++) byLevel.set(pos[2 * i + 1]!, [...(byLevel.get(pos[2 * i + 1]!) ?? []), pos[2 * i]!]);
    for (const xs of byLevel.values()) {
      xs.sort((a, b) => a - b);
      for (let i = 1; i < xs.length; i++) expect(xs[i]! - xs[i - 1]!).toBeGreaterThanOrEqual(NODE_WIDTH);
    }
  });

  // How fast is the overview bench's business (`npm run bench -- overview`); here: a deep chain
  // does not overflow the stack, and every node of both shapes gets a finite position.
  test('a 5,000-deep chain and a 10,000-node bushy tree are laid out whole', () => {
    const chain = Int32Array.from({ length: 5000 }, (_, i) => i - 1);
    const bushy = Int32Array.from({ length: 10_000 }, (_, i) => (i === 0 ? -1 : Math.floor((i - 1) / 4)));
    for (const tree of [chain, bushy]) {
      const xy = layoutTree(tree);
      expect(xy.length).toBe(tree.length * 2);
      expect(xy.every(Number.isFinite)).toBe(true);
    }
    // A chain goes straight down: each node below its parent.
    const chainXy = layoutTree(chain);
    expect(chainXy[2 * 4999 + 1]!).toBeGreaterThan(chainXy[1]!);
  });
});

describe('ViewStore', () => {
  test('keeps a node snapshot until that node changes', () => {
    const m = make();
    const v = new ViewStore(m, { annotator: 'ada', colourMode: 'label', firstErrorMode: true, blind: false });
    const before6 = v.view(6);
    const before8 = v.view(8);
    m.applyAnnotations(change({ annotations: [label(6, 'ada', -1)] }));
    expect(v.view(8)).toBe(before8);
    expect(v.view(6)).not.toBe(before6);
    expect(v.view(6)!.myRating).toBe(-1);
    expect(v.view(6)!.fill).not.toBeNull();
    v.setSelected(7);
    expect(v.view(7)!.selected).toBe(true);
    expect(v.view(3)!.onPath).toBe(true);
    expect(v.view(8)).toBe(before8);
    m.applyAnnotations(change({ annotations: [label(3, 'ada', -1)] }));
    expect(v.view(7)!.afterError).toBe(true);
    v.setCollapsed(new Set([3]));
    expect(v.view(3)!.hiddenCount).toBe(2);
  });
});
