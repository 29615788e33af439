/** Shared test fixtures for search: a recording sink, problems, a toy task with known shortest paths, temp databases and their runtimes. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll } from 'vitest';
import type { Problem } from '../../../common/domain';
import { SearchRuntime } from '../../../main/engine/search/runtime';
import type { Store } from '../../../main/engine/store/store';
import type { NewNode, NodeSink, NodeStats } from '../../../main/engine/store/node-writer';
import { countdownProblem } from '../../../main/engine/tasks/countdown';
import type { Task } from '../../../main/engine/tasks/types';
import type { Policy, Proposal, ProposeRequest } from '../../../main/engine/search/types';

export class MemorySink implements NodeSink {
  readonly nodes: NewNode[] = [];
  readonly updates: NodeStats[] = [];
  add(node: NewNode): void {
    this.nodes.push(node);
  }
  update(stats: NodeStats): void {
    this.updates.push(stats);
  }
  flush(): void {}
  close(): void {}
  /** Final visits/q per seq after all updates. */
  finalStats(): Map<number, NodeStats> {
    const out = new Map<number, NodeStats>();
    for (const u of this.updates) out.set(u.seq, { ...out.get(u.seq), ...u });
    return out;
  }
}

export function asProblem(p: Omit<Problem, 'id' | 'createdAt' | 'goldAnswer' | 'metadata'> & Partial<Problem>, id = 1): Problem {
  return { id, createdAt: '', goldAnswer: null, metadata: {}, ...p } as Problem;
}

export const countdown = (numbers: number[], target: number, id = 1) => asProblem(countdownProblem(numbers, target), id);

/** A policy request for the path `steps` of a problem (each step must be legal). */
export function proposeRequest<S>(task: Task<S>, problem: Problem, steps: string[], k: number, seed: number): ProposeRequest {
  let state = task.initialState(problem);
  for (const s of steps) {
    const r = task.applyStep(state, s);
    if (!r.valid) throw new Error(r.reason);
    state = r.state;
  }
  return { task: task as Task, problem, steps, logprobs: steps.map(() => null), state, seed, k };
}

/**
 * Toy task: start at 1, steps `+1` or `*2`, reach the target exactly; overshooting is a dead end.
 * Shortest paths vary with the target, so BFS optimality is checkable.
 */
export const numberLine: Task<number> = {
  name: 'countdown',
  stepDelimiter: '\n',
  initialState: () => 1,
  prompt: (p) => `${p.prompt}\n`,
  applyStep: (n, text) => (text === '+1' ? { valid: true, state: n + 1 } : text === '*2' ? { valid: true, state: n * 2 } : { valid: false, reason: 'unknown step' }),
  isTerminal: (n) => n >= 1000,
  outcome: () => 'incorrect',
  describe: (n) => String(n),
  legalSteps: (n) => (n >= 1000 ? [] : ['+1', '*2']),
};

export function numberLineTask(target: number): Task<number> {
  return {
    ...numberLine,
    isTerminal: (n) => n >= target,
    outcome: (n) => (n === target ? 'correct' : 'incorrect'),
    legalSteps: (n) => (n >= target ? [] : ['+1', '*2']),
  };
}

/** Fewest steps from 1 to the target by +1 / *2 (plain BFS over integers). */
export function shortestSteps(target: number): number {
  const dist = new Map([[1, 0]]);
  const queue = [1];
  while (queue.length) {
    const n = queue.shift()!;
    if (n === target) return dist.get(n)!;
    for (const m of [n + 1, n * 2]) if (m <= target && !dist.has(m)) (dist.set(m, dist.get(n)! + 1), queue.push(m));
  }
  throw new Error('unreachable');
}

/** Wraps a policy: counts calls and can run a hook before each (to cancel mid-run, or to fail). */
export class SpyPolicy implements Policy {
  calls = 0;
  readonly name: string;
  constructor(
    private readonly inner: Policy,
    private readonly before?: (call: number) => void,
  ) {
    this.name = inner.name;
  }
  async propose(requests: readonly ProposeRequest[]): Promise<Proposal[][]> {
    this.before?.(++this.calls);
    await new Promise((r) => setImmediate(r));
    return this.inner.propose(requests);
  }
}

/** Parent-linked shape of a recorded tree, for comparing trees. */
export const shape = (nodes: readonly NewNode[]) => nodes.map((n) => `${n.seq}<${n.parentSeq}:${n.expansion}:${n.stepText}`);

/** A fresh database path `trees.db` in its own temp folder named by `prefix`. */
export const tempDbFile = (prefix: string) => path.join(fs.mkdtempSync(path.join(os.tmpdir(), prefix)), 'trees.db');

/**
 * For a test file's top level: returns `runtimeOf(store)`, the database's runtime (writer thread),
 * and registers an afterAll that closes every runtime it handed out.
 */
export function runtimesClosedAfterAll(): (store: Store) => SearchRuntime {
  const runtimes: SearchRuntime[] = [];
  afterAll(() => Promise.all(runtimes.map((r) => r.close())));
  return (store) => {
    const runtime = SearchRuntime.forStore(store);
    runtimes.push(runtime);
    return runtime;
  };
}
