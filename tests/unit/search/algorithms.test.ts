import { describe, expect, test } from 'vitest';
import { ALGORITHMS, type AlgorithmName } from '../../../common/domain';
import { runAlgorithm } from '../../../main/engine/search/run-algorithm';
import { EnumeratorPolicy } from '../../../main/engine/search/stand-ins/enumerator';
import { ExactScorer } from '../../../main/engine/search/stand-ins/exact-scorer';
import { RolloutScorer } from '../../../main/engine/search/stand-ins/rollout-scorer';
import type { Budget } from '../../../main/engine/search/budget';
import type { Scorer } from '../../../main/engine/search/types';
import { countdownTask } from '../../../main/engine/tasks/countdown';
import type { Task } from '../../../main/engine/tasks/types';
import { asProblem, countdown, MemorySink, numberLineTask, shape, shortestSteps } from './helpers';

const exact = new ExactScorer(countdownTask);

async function search(
  algorithm: AlgorithmName,
  opts: { config?: Record<string, unknown>; budget?: Budget; seed?: number; task?: Task; problem?: ReturnType<typeof countdown>; scorer?: Scorer } = {},
) {
  const sink = new MemorySink();
  const task = opts.task ?? countdownTask;
  const stats = await runAlgorithm(algorithm, opts.config ?? {}, {
    task: task as Task,
    problem: opts.problem ?? countdown([4, 9, 3, 7], 25),
    policy: new EnumeratorPolicy(opts.seed ?? 1),
    scorer: opts.scorer ?? exact,
    sink,
    budget: opts.budget ?? { maxExpansions: 60 },
    seed: opts.seed ?? 1,
  });
  return { sink, stats };
}

describe('BFS and DFS', () => {
  test('BFS finds a shortest solution', async () => {
    for (const target of [10, 13, 22, 31]) {
      const task = numberLineTask(target);
      const problem = asProblem({ task: 'countdown', prompt: String(target) });
      const { sink, stats } = await search('bfs', { task: task as Task, problem, budget: { maxExpansions: 10_000 } });
      expect(stats.solved).toBe(true);
      const solution = sink.nodes[stats.firstSolutionSeq!]!;
      expect(solution.depth).toBe(shortestSteps(target));
      // Level order: depth never decreases with creation order.
      expect(sink.nodes.every((n, i) => i === 0 || n.depth >= sink.nodes[i - 1]!.depth)).toBe(true);
      const dfs = await search('dfs', { task: task as Task, problem, budget: { maxExpansions: 10_000 } });
      expect(dfs.sink.nodes[dfs.stats.firstSolutionSeq!]!.depth).toBeGreaterThanOrEqual(solution.depth);
    }
  });

  test('DFS creates nodes in visiting order: every subtree is a contiguous run of seqs', async () => {
    const { sink } = await search('dfs', { config: { k: 4, stopOnSolution: false }, budget: { maxExpansions: 40 } });
    const children = new Map<number, number[]>();
    for (const n of sink.nodes) if (n.parentSeq !== null) children.set(n.parentSeq, [...(children.get(n.parentSeq) ?? []), n.seq]);
    const size = (seq: number): number => 1 + (children.get(seq) ?? []).reduce((s, c) => s + size(c), 0);
    for (const n of sink.nodes) {
      const kids = children.get(n.seq) ?? [];
      let expected = n.seq + 1;
      for (const c of kids) {
        expect(c).toBe(expected);
        expected += size(c);
      }
    }
  });

  test('BFS batching changes nothing about the tree', async () => {
    const a = await search('bfs', { config: { batchSize: 1, stopOnSolution: false }, budget: { maxExpansions: 30 } });
    const b = await search('bfs', { config: { batchSize: 7, stopOnSolution: false }, budget: { maxExpansions: 30 } });
    expect(shape(b.sink.nodes)).toEqual(shape(a.sink.nodes));
  });
});

describe('MCTS', () => {
  const rootChildren = (sink: MemorySink) => {
    const stats = sink.finalStats();
    return sink.nodes.filter((n) => n.parentSeq === 0).map((n) => ({ ...n, visits: stats.get(n.seq)?.visits ?? 0 }));
  };

  test('visits concentrate on solvable branches (exact scorer and rollouts)', async () => {
    const problem = countdown([4, 9, 3, 7], 25);
    for (const scorer of [exact, new RolloutScorer(new EnumeratorPolicy(3), 4)]) {
      const { sink, stats } = await search('mcts', { problem, scorer, config: { k: 32 }, budget: { maxExpansions: 150 } });
      const kids = rootChildren(sink);
      const good = kids.filter((k) => k.exactLabel === 1);
      const bad = kids.filter((k) => k.exactLabel === -1);
      expect(good.length).toBeGreaterThan(0);
      expect(bad.length).toBeGreaterThan(0);
      const mean = (xs: typeof kids) => xs.reduce((s, x) => s + x.visits, 0) / xs.length;
      expect(mean(good)).toBeGreaterThan(2 * mean(bad));
      const top = [...kids].sort((a, b) => b.visits - a.visits)[0]!;
      expect(top.exactLabel).toBe(1);
      expect(stats.solved).toBe(true);
      // Root visits = simulations; Q in [0, 1].
      const final = sink.finalStats();
      expect(final.get(0)!.visits).toBe(stats.simulations);
      for (const s of final.values()) if (s.q != null) expect(s.q).toBeGreaterThanOrEqual(0), expect(s.q).toBeLessThanOrEqual(1);
    }
  });

  test('virtual-loss batches evaluate several distinct leaves per policy call', async () => {
    const { sink, stats } = await search('mcts', { config: { batchSize: 4, k: 6, widen: 0 }, budget: { maxExpansions: 40 } });
    expect(stats.expansions).toBe(40);
    const perExpansionParent = new Map<number, number>();
    for (const n of sink.nodes.slice(1)) perExpansionParent.set(n.expansion, n.parentSeq!);
    // Each expansion index belongs to a different parent: no leaf expanded twice.
    expect(new Set(perExpansionParent.values()).size).toBe(perExpansionParent.size);
  });

  test('settled dead ends are skipped: an unsolvable tree is expanded whole, not given up as converged', async () => {
    const problem = countdown([2, 3, 5], 1000); // unsolvable and small: 1 + 9 + 9x3 expandable nodes at most
    const bfs = await search('bfs', { problem, config: { k: 32, stopOnSolution: false }, budget: { maxExpansions: 500 } });
    const { stats } = await search('mcts', { problem, config: { k: 32, maxIdleRounds: 5 }, budget: { maxExpansions: 500 } });
    expect(stats.stopReason).toBe('exhausted');
    expect(stats.expansions).toBe(bfs.stats.expansions);
    // Textbook selection keeps walking into finished wrong leaves and stops early.
    const textbook = await search('mcts', { problem, config: { k: 32, maxIdleRounds: 5, skipSettled: false }, budget: { maxExpansions: 500 } });
    expect(textbook.stats.stopReason).toBe('converged');
    expect(textbook.stats.expansions).toBeLessThan(bfs.stats.expansions);
  });

  test('widening asks a node again once its children are all dead ends, and never repeats a step', async () => {
    // k = 4 of about 19 legal first steps: without widening, a node never gets more than its first draw.
    const problems = [countdown([4, 9, 3, 7], 25), countdown([2, 8, 5, 6], 50), countdown([5, 6, 9, 10], 40)];
    const solvedWith = async (widen: number) => {
      let solved = 0;
      for (const problem of problems) {
        const { sink, stats } = await search('mcts', { problem, config: { k: 4, widen }, budget: { maxExpansions: 300 } });
        if (stats.solved) solved++;
        const siblings = new Map<number, string[]>();
        for (const n of sink.nodes.slice(1)) siblings.set(n.parentSeq!, [...(siblings.get(n.parentSeq!) ?? []), n.stepText]);
        for (const steps of siblings.values()) expect(new Set(steps).size).toBe(steps.length);
        const widest = Math.max(...[...siblings.values()].map((s) => s.length));
        if (widen === 0) expect(widest).toBeLessThanOrEqual(4);
      }
      return solved;
    };
    const without = await solvedWith(0);
    const withWidening = await solvedWith(4);
    expect(withWidening).toBeGreaterThan(without);
  });

  test('a policy that listed every step it has is not asked again', async () => {
    // The enumerator with k above the branching factor returns all legal steps: widening is pointless.
    const { stats } = await search('mcts', { problem: countdown([2, 3, 5], 1000), config: { k: 32, widen: 10 }, budget: { maxExpansions: 500 } });
    const bfs = await search('bfs', { problem: countdown([2, 3, 5], 1000), config: { k: 32, stopOnSolution: false }, budget: { maxExpansions: 500 } });
    expect(stats.expansions).toBe(bfs.stats.expansions);
  });
});

describe('every algorithm', () => {
  test('same seed gives the identical tree; another seed a different one', async () => {
    for (const algorithm of ALGORITHMS) {
      const config = algorithm === 'best-of-n' ? { n: 6 } : { k: 5 };
      const a = await search(algorithm, { config, seed: 7 });
      const b = await search(algorithm, { config, seed: 7 });
      expect(b.sink.nodes, algorithm).toEqual(a.sink.nodes);
      expect(b.sink.updates, algorithm).toEqual(a.sink.updates);
      const c = await search(algorithm, { config, seed: 8 });
      expect(shape(c.sink.nodes), algorithm).not.toEqual(shape(a.sink.nodes));
    }
  });

  test('budgets are respected exactly', async () => {
    const problem = countdown([2, 3, 5, 7, 11], 1000); // unsolvable: nothing stops the search early
    for (const algorithm of ALGORITHMS) {
      // Wide enough that the tree outlasts every budget below.
      const config = algorithm === 'best-of-n' ? { n: 50 } : algorithm === 'beam' ? { k: 8, beamWidth: 12 } : { k: 6 };
      for (const maxExpansions of [1, 7, 25]) {
        const { sink, stats } = await search(algorithm, { problem, config, budget: { maxExpansions } });
        expect(stats.expansions, `${algorithm} expansions ${maxExpansions}`).toBe(maxExpansions);
        expect(Math.max(...sink.nodes.map((n) => n.expansion))).toBeLessThanOrEqual(maxExpansions);
        expect(stats.stopReason, `${algorithm} ${maxExpansions}`).toBe('expansions');
      }
      for (const maxNodes of [2, 17, 60]) {
        const { sink, stats } = await search(algorithm, { problem, config, budget: { maxNodes } });
        expect(sink.nodes.length, `${algorithm} nodes ${maxNodes}`).toBe(maxNodes);
        expect(stats.nodes).toBe(maxNodes);
      }
      const shallow = algorithm === 'best-of-n' ? { n: 5 } : config;
      const { sink } = await search(algorithm, { problem, config: shallow, budget: { maxExpansions: 40, maxDepth: 2 } });
      expect(Math.max(...sink.nodes.map((n) => n.depth)), `${algorithm} depth`).toBe(2);
    }
  });

  test('seq is creation order, parents come first, expansion indices never decrease along a path', async () => {
    for (const algorithm of ALGORITHMS) {
      const { sink } = await search(algorithm, { config: algorithm === 'best-of-n' ? { n: 8 } : {} });
      sink.nodes.forEach((n, i) => {
        expect(n.seq).toBe(i);
        if (n.parentSeq !== null) {
          const parent = sink.nodes[n.parentSeq]!;
          expect(n.parentSeq).toBeLessThan(n.seq);
          expect(n.depth).toBe(parent.depth + 1);
          expect(n.expansion).toBeGreaterThan(parent.expansion);
        }
      });
    }
  });

  test('with the exact scorer, beam and best-first solve what is solvable', async () => {
    const problem = countdown([4, 9, 3, 7], 25);
    const beam = await search('beam', { problem, config: { k: 32 }, budget: { maxExpansions: 50 } });
    expect(beam.stats.solved).toBe(true);
    expect(beam.stats.firstSolutionExpansion).toBeLessThanOrEqual(4 + 4 + 1); // three levels of a 4-wide beam
    // Greedy (depthCost 0) walks straight down solvable states: one expansion per level.
    const greedy = await search('best-first', { problem, config: { k: 32, depthCost: 0 }, budget: { maxExpansions: 50 } });
    expect(greedy.stats.firstSolutionExpansion).toBe(3);
    // A* with a depth cost first expands every solvable state of a level, but still solves.
    const aStar = await search('best-first', { problem, config: { k: 32 }, budget: { maxExpansions: 50 } });
    expect(aStar.stats.solved).toBe(true);
    expect(aStar.stats.firstSolutionExpansion).toBeGreaterThan(3);
  });

  test('a wall-time budget stops the search before the next expansion', async () => {
    const sink = new MemorySink();
    const slow = new EnumeratorPolicy(1);
    const started = Date.now();
    const stats = await runAlgorithm('bfs', { stopOnSolution: false }, {
      task: countdownTask,
      problem: countdown([2, 3, 5, 7, 11], 1000),
      policy: { name: 'slow', propose: async (r) => (await new Promise((ok) => setTimeout(ok, 20)), slow.propose(r)) },
      scorer: exact,
      sink,
      budget: { maxWallMs: 150, maxExpansions: 1000 },
      seed: 1,
    });
    expect(stats.stopReason).toBe('time');
    expect(stats.expansions).toBeGreaterThan(1);
    expect(stats.expansions).toBeLessThan(20);
    expect(Date.now() - started).toBeLessThan(150 + 200);
  });

  test('cancelling stops the search between expansions', async () => {
    const controller = new AbortController();
    const sink = new MemorySink();
    const stats = await runAlgorithm('bfs', { stopOnSolution: false }, {
      task: countdownTask,
      problem: countdown([2, 3, 5, 7, 11], 1000),
      policy: {
        name: 'aborting',
        propose: async (requests) => {
          if (sink.nodes.length > 30) controller.abort();
          return new EnumeratorPolicy(1).propose(requests);
        },
      },
      scorer: exact,
      sink,
      budget: { maxExpansions: 1000 },
      seed: 1,
      signal: controller.signal,
    });
    expect(stats.stopReason).toBe('cancelled');
    expect(stats.expansions).toBeLessThan(10);
  });
});
