/**
 * Monte-Carlo tree search with PUCT (AlphaZero's rule): from the root, repeatedly pick the child
 * maximising Q + cPuct x prior x sqrt(N_parent) / (1 + N_child) down to a leaf; expand the leaf
 * with the policy (priors from its log-probabilities); value it with the scorer (a PRM, the exact
 * solver, or rollouts via the rollout scorer), or by its outcome if it is finished; back the value
 * up the path. Visits, Q and values go to the store as they change.
 *
 * `evaluate: "children"` (the default) scores every new child in the expansion's one scorer call
 * and lets an unvisited child's score stand in for its Q, as value-guided LLM tree searches do;
 * with a wide, uninformed prior this is what steers visits to the promising branches.
 * `evaluate: "leaf"` scores only the selected leaf (AlphaZero), unvisited children taking the
 * parent's Q minus fpuReduction.
 *
 * A correct finish stays selectable, as in textbook MCTS: once a winning line is found its visits
 * grow and the tree converges on it. Dead ends do not (skipSettled, below): subtrees with nothing
 * left to expand and no correct finish are skipped, and a node whose children are all such dead
 * ends asks the policy again for steps it has not proposed (progressive widening). The search
 * ends when the budget is spent, when nothing is left to expand or widen ("exhausted"), or when
 * maxIdleRounds rounds in a row expanded nothing because selection kept returning to finished
 * leaves ("converged").
 *
 * With batchSize > 1, each round selects several leaves, adding a virtual loss along each chosen
 * path so the next selection looks elsewhere, then expands and values them in one policy call and
 * one scorer call.
 */
import { z } from 'zod';
import type { SearchNode, SearchRun } from '../search-run';
import { BatchSize, K } from './common';

export const MctsConfig = z
  .object({
    k: K,
    cPuct: z.number().min(0).max(100).default(1.5),
    /**
     * First-play urgency: a child never visited counts as its parent's Q minus this. Dead-end
     * subtrees (Q 0) then stop luring the search into their unvisited children.
     */
    fpuReduction: z.number().min(0).max(1).default(0),
    evaluate: z.enum(['children', 'leaf']).default('children'),
    batchSize: BatchSize,
    /** Visits of value 0 added along a selected path until its value arrives (batchSize > 1). */
    virtualLoss: z.number().min(0).max(100).default(1),
    stopOnSolution: z.boolean().default(false),
    maxIdleRounds: z.number().int().min(1).max(1_000_000).default(200),
    /**
     * MCTS-Solver style: a subtree with nothing left to expand and no correct finish in it is
     * settled, and selection stops walking into it. Without this, selections that end on a
     * settled wrong leaf spend rounds (and hit maxIdleRounds) while expansions are still left.
     */
    skipSettled: z.boolean().default(true),
    /**
     * Progressive widening for a small or peaked policy: when every child of a node is settled,
     * the node may ask the policy again (a new seed; one more expansion) up to this many times,
     * keeping only steps it does not have. Needs skipSettled; 0 turns it off.
     */
    widen: z.number().int().min(0).max(100).default(4),
  })
  .strict();
export type MctsConfig = z.infer<typeof MctsConfig>;

/** What MCTS knows of a node beyond the tree: its visits, summed and own values, and virtual loss in flight. */
interface MctsStats {
  visits: number;
  valueSum: number;
  /** The node's own value once known (its outcome or score). */
  value: number | null;
  virtual: number;
}

export async function mcts(run: SearchRun, config: MctsConfig): Promise<void> {
  const stats = new Map<SearchNode, MctsStats>();
  const of = (n: SearchNode): MctsStats => {
    let s = stats.get(n);
    if (!s) stats.set(n, (s = { visits: 0, valueSum: 0, value: null, virtual: 0 }));
    return s;
  };
  /** Nodes still expandable somewhere in the tree. */
  let open = run.canExpand(run.root) ? 1 : 0;
  let simulations = 0;
  let idle = 0;

  /** A node's value when it needs no scorer call: outcome if finished, 0 if invalid, else its score if it has one. */
  const knownValue = (n: SearchNode): number | null => {
    if (!n.valid) return 0;
    if (n.terminal && n.outcome !== null) return n.outcome === 'correct' ? 1 : 0;
    return n.score;
  };

  const puct = (child: SearchNode, parentQ: number, parentVisits: number, siblings: number): number => {
    const c = of(child);
    const n = c.visits + c.virtual;
    const q = n > 0 ? c.valueSum / n : (knownValue(child) ?? Math.max(0, parentQ - config.fpuReduction));
    const prior = child.prior ?? 1 / siblings;
    return q + (config.cPuct * prior * Math.sqrt(Math.max(parentVisits, 1))) / (1 + n);
  };

  // skipSettled bookkeeping. A subtree is "stuck" when nothing in it can be expanded (widening
  // aside) and it holds no correct finish; "settled" when it is stuck and no node in it may be
  // widened either. Selection never enters settled subtrees, prefers live ones to stuck ones, and
  // widens the shallowest node whose children are all stuck (near the root a new step opens the
  // most new ground).
  const stuck = new Set<SearchNode>();
  const settled = new Set<SearchNode>();
  const widenLimit = config.skipSettled ? config.widen : 0;
  const isStuck = (n: SearchNode) =>
    !run.canExpand(n) && !(n.terminal && n.outcome === 'correct') && n.children.every((c) => stuck.has(c));
  const isSettled = (n: SearchNode) => isStuck(n) && !run.canWiden(n, widenLimit) && n.children.every((c) => settled.has(c));
  /** An expanded node with only stuck children that may still ask the policy for more steps. */
  const wantsWidening = (n: SearchNode) => n.expanded && n.children.every((c) => stuck.has(c)) && run.canWiden(n, widenLimit);
  const mark = (set: Set<SearchNode>, n: SearchNode, on: boolean) => (on ? set.add(n) : set.delete(n));
  /** Re-checks a path bottom-up after its leaf changed (new children, a widening, a finish). */
  const settle = (path: readonly SearchNode[]) => {
    for (let i = path.length - 1; i >= 0; i--) {
      const n = path[i]!;
      for (const c of n.children) {
        if (c.children.length === 0) mark(stuck, c, isStuck(c)), mark(settled, c, isSettled(c));
      }
      mark(stuck, n, isStuck(n));
      mark(settled, n, isSettled(n));
    }
  };

  const select = (): SearchNode[] => {
    const path = [run.root];
    let node = run.root;
    while (node.expanded && node.children.length > 0) {
      if (config.skipSettled && wantsWidening(node)) break; // the node itself is the leaf: widen it
      const own = of(node);
      const parentVisits = own.visits + own.virtual;
      const parentQ = parentVisits > 0 ? own.valueSum / parentVisits : 0;
      let best: SearchNode | null = null;
      let bestScore = -Infinity;
      let bestLive = false;
      for (const child of node.children) {
        if (config.skipSettled && settled.has(child)) continue;
        const live = !config.skipSettled || !stuck.has(child);
        if (bestLive && !live) continue;
        const s = puct(child, parentQ, parentVisits, node.children.length);
        // Strict: ties keep the earlier child. A live child beats any stuck one.
        if ((live && !bestLive) || s > bestScore) (best = child), (bestScore = s), (bestLive = live);
      }
      if (!best) break;
      path.push(best);
      node = best;
    }
    return path;
  };

  const addVirtual = (path: SearchNode[], sign: 1 | -1) => {
    if (config.virtualLoss === 0) return;
    for (const n of path) of(n).virtual += sign * config.virtualLoss;
  };

  while (!run.stopped) {
    if ((open === 0 && !config.skipSettled) || settled.has(run.root)) {
      run.stop('exhausted');
      break;
    }
    // Select up to batchSize distinct leaves, steering later picks away with virtual loss.
    const paths: SearchNode[][] = [];
    const room = run.allowedExpansions(config.batchSize);
    let expandable = 0;
    while (paths.length < config.batchSize) {
      const path = select();
      const leaf = path.at(-1)!;
      if (paths.some((p) => p.at(-1) === leaf)) break;
      if (run.canExpand(leaf) || wantsWidening(leaf)) {
        if (expandable === room) break;
        expandable++;
      }
      paths.push(path);
      addVirtual(path, 1);
    }
    for (const path of paths) addVirtual(path, -1);

    const leaves = paths.map((p) => p.at(-1)!);
    const toExpand = leaves.filter((l) => run.canExpand(l));
    const toWiden = leaves.filter((l) => wantsWidening(l));
    const scoreChildren = config.evaluate === 'children';
    const created = [...(await run.expand(toExpand, config.k, { scoreChildren })), ...(await run.widen(toWiden, config.k, { scoreChildren }))];
    open -= toExpand.length;
    for (const children of created) open += children.filter((c) => run.canExpand(c)).length;

    // Values: finished leaves by outcome, dead steps 0, the rest by their score (asked for once).
    const needScore = leaves.filter((l) => of(l).value === null && knownValue(l) === null);
    await run.score(needScore);
    for (const leaf of leaves) {
      const own = of(leaf);
      if (own.value !== null) continue;
      own.value = knownValue(leaf) ?? 0;
      run.writeStats(leaf, { value: own.value, ...(needScore.includes(leaf) ? { score: leaf.score } : {}) });
    }

    for (const path of paths) {
      const v = of(path.at(-1)!).value!;
      for (const n of path) {
        const own = of(n);
        own.visits++;
        own.valueSum += v;
        run.writeStats(n, { visits: own.visits, q: own.valueSum / own.visits });
      }
      simulations++;
      if (config.skipSettled) settle(path);
    }
    idle = toExpand.length + toWiden.length > 0 ? 0 : idle + 1;
    if (idle >= config.maxIdleRounds) run.stop('converged');
    await run.tick();
  }
  run.extraStats.simulations = simulations;
}
