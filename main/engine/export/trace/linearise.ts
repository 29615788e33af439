/**
 * Linearising a search tree into the events of a Meta-CoT trace, in the order a search visited
 * it: depth first (Stream of Search's DFS: explore a step, descend into it, come back and move
 * on), breadth first (level by level), best first by stored score, or the recorded expansion
 * order. Renderers (Stream of Search, generic, backtrack styles) turn these events into text.
 *
 * Node ids are comma paths from the root `0`: the k-th explored child of `0,2` is `0,2,k`.
 */
import type { ExportTree } from '../tree';

export type TraceOrder = 'dfs' | 'bfs' | 'expansion' | 'score';

export type TraceEvent =
  /** The search is at `node` and expands it (after the first, a move or a backtrack). */
  | { type: 'visit'; node: number }
  /** A child step proposed from the current node. */
  | { type: 'explore'; node: number }
  | { type: 'end'; solved: boolean };

export interface LineariseOptions {
  order: TraceOrder;
  /** End at the first correct terminal explored. */
  stopAtGoal: boolean;
  /** Nodes a syntax cannot show (Stream of Search has no invalid operations); their subtrees go too. */
  skip?: (i: number) => boolean;
  /** `all`: every explored child takes the next index; `generated`: only non-terminal ones (SoS BFS). */
  numbering?: 'all' | 'generated';
}

export interface Linearised {
  events: TraceEvent[];
  /** Trace id of each node that has one. */
  ids: Map<number, string>;
  solved: boolean;
}

export function linearise(tree: ExportTree, options: LineariseOptions): Linearised {
  const events: TraceEvent[] = [];
  const ids = new Map<number, string>();
  const counters = new Map<number, number>();
  let solved = false;
  if (tree.root < 0) return { events, ids, solved };
  ids.set(tree.root, '0');

  const kidsOf = (i: number) => tree.children[i]!.filter((c) => !options.skip?.(c));
  const explore = (c: number): boolean => {
    const p = tree.parent[c]!;
    const node = tree.nodes[c]!;
    if (options.numbering !== 'generated' || !node.isTerminal) {
      const k = counters.get(p) ?? 0;
      counters.set(p, k + 1);
      ids.set(c, `${ids.get(p)},${k}`);
    }
    events.push({ type: 'explore', node: c });
    if (tree.isGoal(c)) solved = true;
    return tree.isGoal(c) && options.stopAtGoal;
  };

  if (options.order === 'dfs') {
    events.push({ type: 'visit', node: tree.root });
    const dfs = (n: number): boolean => {
      const kids = kidsOf(n);
      for (let k = 0; k < kids.length; k++) {
        const c = kids[k]!;
        if (explore(c)) return true;
        if (kidsOf(c).length) {
          events.push({ type: 'visit', node: c });
          if (dfs(c)) return true;
        }
        if (k < kids.length - 1) events.push({ type: 'visit', node: n });
      }
      return false;
    };
    dfs(tree.root);
  } else if (options.order === 'bfs') {
    let level = [tree.root];
    outer: while (level.length) {
      const next: number[] = [];
      for (const n of level) {
        events.push({ type: 'visit', node: n });
        for (const c of kidsOf(n)) {
          if (explore(c)) break outer;
          if (kidsOf(c).length) next.push(c);
        }
      }
      level = next;
    }
  } else if (options.order === 'score') {
    // Best first over the stored tree: always expand the open node with the highest score.
    const frontier = [tree.root];
    const score = (i: number) => tree.nodes[i]!.score ?? Number.NEGATIVE_INFINITY;
    outer: while (frontier.length) {
      let best = 0;
      for (let k = 1; k < frontier.length; k++) if (score(frontier[k]!) > score(frontier[best]!)) best = k;
      const n = frontier.splice(best, 1)[0]!;
      events.push({ type: 'visit', node: n });
      for (const c of kidsOf(n)) {
        if (explore(c)) break outer;
        if (kidsOf(c).length) frontier.push(c);
      }
    }
  } else {
    // Recorded expansion order: children grouped by the expansion that created them.
    const created = [...tree.steps()].filter((i) => !options.skip?.(i));
    created.sort((a, b) => tree.nodes[a]!.expansion - tree.nodes[b]!.expansion || a - b);
    let block: string | null = null;
    for (const c of created) {
      const p = tree.parent[c]!;
      if (!ids.has(p)) continue; // under a skipped node
      const key = `${tree.nodes[c]!.expansion}:${p}`;
      if (key !== block) {
        events.push({ type: 'visit', node: p });
        block = key;
      }
      if (explore(c)) break;
    }
  }
  events.push({ type: 'end', solved });
  return { events, ids, solved };
}
