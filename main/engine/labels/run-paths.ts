/**
 * A stored run as paths a policy or scorer can be asked about: every node's steps from the root
 * and the task state they reach, replayed through the task once and memoised.
 */
import type { Problem, Run, TreeNode } from '../../../common/domain';
import { getTask } from '../tasks/registry';
import type { Task } from '../tasks/types';
import type { Store } from '../store/store';
import type { PathQuery } from '../search/types';
import { hash32 } from '../tasks/random';

export interface NodePath {
  node: TreeNode;
  /** The state after the node's step; for an invalid step, its parent's state. */
  state: unknown;
}

export class RunPaths {
  readonly task: Task;
  readonly nodes: TreeNode[];
  readonly byId = new Map<number, TreeNode>();
  private readonly memo = new Map<number, NodePath>();

  constructor(
    readonly run: Run,
    readonly problem: Problem,
    nodes: TreeNode[],
  ) {
    this.task = getTask(problem.task);
    this.nodes = nodes;
    for (const n of nodes) this.byId.set(n.id, n);
  }

  static load(store: Store, runId: number): RunPaths {
    const run = store.runs.get(runId);
    return new RunPaths(run, store.problems.get(run.problemId), store.nodes.forRun(runId));
  }

  path(nodeId: number): NodePath {
    const cached = this.memo.get(nodeId);
    if (cached) return cached;
    if (!this.byId.has(nodeId)) throw new Error(`Node ${nodeId} is not in run ${this.run.id}`);
    // Iterative, so a 10k-step path cannot overflow the stack: climb to the nearest memoised
    // ancestor, then replay downwards.
    const chain: TreeNode[] = [];
    for (let n = this.byId.get(nodeId); n && !this.memo.has(n.id); n = n.parentId === null ? undefined : this.byId.get(n.parentId)) {
      chain.push(n);
    }
    for (const node of chain.reverse()) {
      let result: NodePath;
      if (node.parentId === null) {
        result = { node, state: this.task.initialState(this.problem) };
      } else {
        const parent = this.memo.get(node.parentId)!;
        const applied = node.valid ? this.task.applyStep(parent.state, node.stepText) : null;
        result = { node, state: applied?.valid ? applied.state : parent.state };
      }
      this.memo.set(node.id, result);
    }
    return this.memo.get(nodeId)!;
  }

  /** The node's path as a policy/scorer request, seeded by run seed and node. */
  query(nodeId: number): PathQuery {
    const p = this.path(nodeId);
    // Steps are gathered per query (O(depth)) rather than memoised per node (O(depth²) memory).
    const line = this.lineage(nodeId).slice(1);
    return {
      task: this.task,
      problem: this.problem,
      steps: line.map((n) => n.stepText),
      logprobs: line.map((n) => n.logprob),
      state: p.state,
      seed: hash32(this.run.seed, 'label', p.node.seq),
    };
  }

  /** Root to node, root first. */
  lineage(nodeId: number): TreeNode[] {
    const out: TreeNode[] = [];
    for (let n = this.byId.get(nodeId); n; n = n.parentId === null ? undefined : this.byId.get(n.parentId)) out.push(n);
    return out.reverse();
  }

  /** Whether a node's step itself is usable (valid, and its state really came from applying it). */
  stepApplies(nodeId: number): boolean {
    const node = this.byId.get(nodeId)!;
    if (node.parentId === null || !node.valid) return false;
    return this.task.applyStep(this.path(node.parentId).state, node.stepText).valid;
  }
}
