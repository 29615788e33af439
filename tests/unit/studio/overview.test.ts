/** Reading big trees: folded sibling groups, and the compact layout that spends depth instead of width. */
import { describe, expect, test } from 'vitest';
import type { Problem, Run, TreeNode } from '../../../common/domain';
import { RunModel } from '../../../renderer/src/model/run-model';
import { GAP_X, layoutCompact, layoutTree, NODE_HEIGHT, NODE_WIDTH } from '../../../renderer/src/model/layout';
import { defaultCollapsed, isMore, moreId, parentOfMore, pinnedTo, shownChildren, visibleTree } from '../../../renderer/src/model/visibility';

const run: Run = {
  id: 1, problemId: 1, task: 'game24', algorithm: 'mcts', config: {}, policy: 'p', scorer: null, seed: 1,
  status: 'done', stats: {}, error: null, finishReason: null, nodeCount: 0, solved: false,
  createdAt: '', startedAt: null, finishedAt: null,
};
const problem: Problem = { id: 1, task: 'game24', prompt: '1 2 3 4', goldAnswer: null, metadata: {}, createdAt: '' };

function node(id: number, parentId: number | null, extra: Partial<TreeNode> = {}): TreeNode {
  return {
    id, runId: 1, parentId, seq: id - 1, depth: parentId === null ? 0 : 1, expansion: 1, stepText: `step ${id}`, state: null,
    tokenCount: null, logprob: null, prior: null, value: null, visits: 0, q: null, score: null,
    isTerminal: false, valid: true, outcome: null, exactLabel: null, pruned: false, ...extra,
  };
}

/** Root 1 with 30 children 2..31; child k has k % 7 visits (ties broken by score = k / 100); node 32 under 2. */
function wide(): RunModel {
  const nodes = [node(1, null)];
  for (let k = 2; k <= 31; k++) nodes.push(node(k, 1, { visits: k % 7, score: k / 100 }));
  nodes.push(node(32, 2, { depth: 2 }));
  return new RunModel({ run, problem, nodes, annotations: [], branchRatings: [] });
}

const fold = (open: number[] = [], keep: number[] = []) => ({ open: new Set(open), keep: new Set(keep) });

describe('folded sibling groups', () => {
  test('a wide group shows its five best children by visits, then score, in their own order', () => {
    const m = wide();
    const { shown, folded } = shownChildren(m, 1, fold());
    // visits 6 at k = 6, 13, 20, 27; visits 5 at 5, 12, 19, 26 (the best score among them is 26).
    expect(shown).toEqual([6, 13, 20, 26, 27]);
    expect(folded).toBe(25);
    // Opened, or kept (the golden path), or not folded at all.
    expect(shownChildren(m, 1, fold([1])).shown).toHaveLength(30);
    expect(shownChildren(m, 1, fold([], [2])).shown).toEqual([2, 6, 13, 20, 26, 27]);
    expect(shownChildren(m, 1, null).folded).toBe(0);
  });

  test('the visible tree carries one placeholder per folded group with its count', () => {
    const m = wide();
    const vt = visibleTree(m, new Set(), fold());
    expect(vt.ids.filter(isMore)).toEqual([moreId(1)]);
    expect(parentOfMore(moreId(1))).toBe(1);
    expect(vt.folded.get(moreId(1))).toBe(25);
    expect(vt.nodeCount).toBe(6);
    expect(vt.ids).toHaveLength(7);
    // The placeholder hangs under the root, after the shown children.
    const at = vt.ids.indexOf(moreId(1));
    expect(vt.parentIndex[at]).toBe(0);
    expect(at).toBe(vt.ids.length - 1);
  });

  test('going to a folded node pins exactly the hidden nodes on its path', () => {
    const m = wide();
    const f = fold();
    const none = new Set<number>();
    expect(pinnedTo(m, f, none, 13)).toBe(none);
    const pinned = pinnedTo(m, f, none, 32);
    expect([...pinned]).toEqual([2]);
    const vt = visibleTree(m, new Set(), { ...f, keep: pinned });
    expect(vt.ids).toContain(32);
    expect(vt.folded.get(moreId(1))).toBe(24);
  });

  test('the opening budget counts a folded group as its shown children plus one placeholder', () => {
    const m = wide();
    // Folded, the root's group costs 6 of a budget of 8: it stays open.
    expect(defaultCollapsed(m, 8, [], fold()).has(1)).toBe(false);
    expect(defaultCollapsed(m, 8, [], null).has(1)).toBe(true);
  });
});

describe('compact layout', () => {
  const boxes = (pos: Float64Array) =>
    Array.from({ length: pos.length / 2 }, (_, i) => ({ x: pos[2 * i]!, y: pos[2 * i + 1]! }));
  const overlaps = (a: { x: number; y: number }, b: { x: number; y: number }) =>
    Math.abs(a.x - b.x) < NODE_WIDTH && Math.abs(a.y - b.y) < NODE_HEIGHT;

  test('wraps a wide group into rows: no overlaps, children below the parent, far narrower than tidy', () => {
    const parents = Int32Array.from([-1, ...Array.from({ length: 30 }, () => 0)]);
    const compact = boxes(layoutCompact(parents));
    for (let i = 0; i < compact.length; i++) {
      for (let j = i + 1; j < compact.length; j++) expect(overlaps(compact[i]!, compact[j]!), `${i} and ${j}`).toBe(false);
    }
    for (const c of compact.slice(1)) expect(c.y).toBeGreaterThan(compact[0]!.y + NODE_HEIGHT);
    const span = (b: { x: number; y: number }[], axis: 'x' | 'y') =>
      Math.max(...b.map((p) => p[axis])) - Math.min(...b.map((p) => p[axis])) + (axis === 'x' ? NODE_WIDTH : NODE_HEIGHT);
    // 30 boxes of 224 × 120 with gaps, packed near 1.6 : 1 -> five per row, six rows.
    expect(new Set(compact.slice(1).map((c) => c.y)).size).toBe(6);
    expect(span(compact, 'x')).toBe(5 * NODE_WIDTH + 4 * GAP_X);
    expect(span(boxes(layoutTree(parents)), 'x')).toBeGreaterThan(5 * span(compact, 'x'));
  });

  test('a big bushy tree comes out near the aimed shape, not a hairline', () => {
    // 3 children per node, 7 levels: 3,280 nodes, in depth-first order.
    const parents: number[] = [];
    const grow = (parent: number, depth: number) => {
      const me = parents.length;
      parents.push(parent);
      if (depth < 7) for (let c = 0; c < 3; c++) grow(me, depth + 1);
    };
    grow(-1, 0);
    const b = boxes(layoutCompact(Int32Array.from(parents)));
    const xs = b.map((p) => p.x);
    const ys = b.map((p) => p.y);
    const aspect = (Math.max(...xs) - Math.min(...xs) + NODE_WIDTH) / (Math.max(...ys) - Math.min(...ys) + NODE_HEIGHT);
    expect(aspect).toBeGreaterThan(0.8);
    expect(aspect).toBeLessThan(3.2);
  });

  test('keeps subtrees apart in a deep, bushy tree', () => {
    // A random tree of 400 nodes, parents before children.
    let seed = 7;
    const rnd = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    const parents = [-1];
    for (let i = 1; i < 400; i++) parents.push(Math.floor(rnd() * i));
    // visibleTree gives depth-first order; renumber into it so the layout sees what the studio sends.
    const kids: number[][] = parents.map(() => []);
    parents.forEach((p, i) => p >= 0 && kids[p]!.push(i));
    const order: number[] = [];
    const stack = [0];
    while (stack.length) {
      const i = stack.pop()!;
      order.push(i);
      for (const k of [...kids[i]!].reverse()) stack.push(k);
    }
    const index = new Map(order.map((i, at) => [i, at]));
    const dfsParents = Int32Array.from(order.map((i) => (parents[i]! < 0 ? -1 : index.get(parents[i]!)!)));
    const b = boxes(layoutCompact(dfsParents));
    for (let i = 0; i < b.length; i++) {
      for (let j = i + 1; j < b.length; j++) expect(overlaps(b[i]!, b[j]!)).toBe(false);
      if (dfsParents[i]! >= 0) expect(b[i]!.y).toBeGreaterThan(b[dfsParents[i]!]!.y);
    }
  });
});

describe('node text', () => {
  test('countdown and Game of 24 steps show the numbers left beside the operation', async () => {
    const { withNumbersLeft } = await import('../../../renderer/src/model/view-store');
    expect(withNumbersLeft('9*3=27', '24:[4, 27]', 'game24')).toBe('9*3=27  → [4, 27]');
    expect(withNumbersLeft('9*3=27', '24:[4, 27]', 'countdown')).toBe('9*3=27  → [4, 27]');
    expect(withNumbersLeft('x = 3', 'whatever', 'math')).toBe('x = 3');
    expect(withNumbersLeft('9*3=27', null, 'game24')).toBe('9*3=27');
  });
});
