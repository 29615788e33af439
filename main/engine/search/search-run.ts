/**
 * The machinery every algorithm shares: the in-memory tree, node creation (each node goes to the
 * sink the moment it exists, with its creation order and expansion index), batched policy and
 * scorer calls with per-node seeds, and exact budget accounting. Algorithms only decide what to
 * expand next.
 */
import type { Outcome, Problem, Rating } from '../../../common/domain';
import type { NodeSink, NodeStats } from '../store/node-writer';
import { hash32 } from '../tasks/random';
import type { Task } from '../tasks/types';
import type { Budget } from './budget';
import type { PathQuery, Policy, Proposal, Scorer } from './types';

export interface SearchNode {
  /** Creation order within the run; the root is 0. */
  readonly seq: number;
  readonly parent: SearchNode | null;
  readonly depth: number;
  /** Index of the expansion (policy call on the parent) that proposed this step; root 0. */
  readonly expansion: number;
  readonly stepText: string;
  /** Task state after the step; undefined for an invalid step. */
  readonly state: unknown;
  readonly valid: boolean;
  readonly terminal: boolean;
  readonly outcome: Outcome | null;
  readonly logprob: number | null;
  readonly prior: number | null;
  score: number | null;
  children: SearchNode[];
  /** The policy has been asked for this node's next steps. */
  expanded: boolean;
  /** Times the policy was asked again for more next steps (see SearchRun.widen). */
  widenings: number;
  /**
   * The policy listed every step it has for this node (it answered fewer than asked, none
   * repeated, as the enumerator does with k above the branching factor): asking again is futile.
   */
  policyListedAll: boolean;
}

export type StopReason = 'solved' | 'exhausted' | 'converged' | 'expansions' | 'nodes' | 'time' | 'cancelled';

export interface SearchProgress {
  nodes: number;
  expansions: number;
  solved: boolean;
  elapsedMs: number;
}

export interface SearchStats extends SearchProgress {
  solutions: number;
  firstSolutionExpansion: number | null;
  firstSolutionSeq: number | null;
  maxDepth: number;
  stopReason: StopReason;
  /** Extra numbers an algorithm reports (best-of-n's chosen path, MCTS simulations). */
  [key: string]: unknown;
}

/**
 * Where a search's nodes go. A sink that writes elsewhere (a writer thread) may ask the search to
 * wait: `ready()` answers a promise while it holds as much as it will, null otherwise.
 */
export interface SearchSink extends NodeSink {
  ready?(): Promise<void> | null;
}

export interface SearchEnv {
  task: Task;
  problem: Problem;
  policy: Policy;
  scorer: Scorer;
  sink: SearchSink;
  budget: Budget;
  seed: number;
  signal?: AbortSignal;
  onProgress?: (progress: SearchProgress) => void;
}

const YIELD_EVERY_MS = 15;
const PROGRESS_EVERY_MS = 100;

export class SearchRun {
  readonly nodes: SearchNode[] = [];
  readonly root: SearchNode;
  expansions = 0;
  solutions = 0;
  firstSolution: SearchNode | null = null;
  private reason: StopReason | null = null;
  private readonly startedAt = Date.now();
  private lastYield = Date.now();
  private lastProgress = 0;
  /** Numbers an algorithm adds to the run's stats. */
  readonly extraStats: Record<string, unknown> = {};

  constructor(
    readonly env: SearchEnv,
    private readonly stopOnSolution: boolean,
  ) {
    const state = env.task.initialState(env.problem);
    this.root = this.addNode({
      parent: null,
      expansion: 0,
      stepText: '',
      state,
      valid: true,
      logprob: null,
      tokenCount: null,
      prior: null,
      score: null,
    });
  }

  get task(): Task {
    return this.env.task;
  }

  get elapsedMs(): number {
    return Date.now() - this.startedAt;
  }

  /** Whether the search must stop now (a budget is spent or the algorithm said so). */
  get stopped(): boolean {
    return this.reason !== null || this.budgetReason() !== null;
  }

  /**
   * Whether the search must stop for any reason but the expansion budget: nodes from proposals
   * already made may still be created (DFS creates its children one at a time).
   */
  get halted(): boolean {
    const budget = this.budgetReason();
    return (this.reason !== null && this.reason !== 'expansions') || (budget !== null && budget !== 'expansions');
  }

  /**
   * Ends the search for a reason of the algorithm's own (frontier empty, no progress, solved). The
   * first reason stands; a budget already spent when the algorithm stops is that reason.
   */
  stop(reason: StopReason): void {
    this.reason ??= this.budgetReason() ?? reason;
  }

  /** Why the search ended: what stopped it first, else a budget spent now, else it ran out of nodes to expand. */
  get stopReason(): StopReason {
    return this.reason ?? this.budgetReason() ?? 'exhausted';
  }

  /** The budget that is spent now, if any (cancellation counts as one); reads, never records. */
  private budgetReason(): StopReason | null {
    const { budget, signal } = this.env;
    if (signal?.aborted) return 'cancelled';
    if (budget.maxNodes !== undefined && this.nodes.length >= budget.maxNodes) return 'nodes';
    if (budget.maxWallMs !== undefined && this.elapsedMs >= budget.maxWallMs) return 'time';
    if (budget.maxExpansions !== undefined && this.expansions >= budget.maxExpansions) return 'expansions';
    return null;
  }

  /** A node whose next steps can still be asked for: valid, unfinished, above the depth limit. */
  canExpand(node: SearchNode): boolean {
    const { maxDepth } = this.env.budget;
    return node.valid && !node.terminal && !node.expanded && (maxDepth === undefined || node.depth < maxDepth);
  }

  /**
   * A node that may be expanded once more for steps it does not have yet: expanded before, still
   * valid and unfinished, under `limit` widenings, and its policy may still have more to give.
   */
  canWiden(node: SearchNode, limit: number): boolean {
    const { maxDepth } = this.env.budget;
    return (
      node.expanded && node.valid && !node.terminal && !node.policyListedAll && node.widenings < limit && (maxDepth === undefined || node.depth < maxDepth)
    );
  }

  /** How many expansions of `wanted` the budget still allows right now. */
  allowedExpansions(wanted: number): number {
    if (this.stopped) return 0;
    const { maxExpansions } = this.env.budget;
    return maxExpansions === undefined ? wanted : Math.min(wanted, maxExpansions - this.expansions);
  }

  pathOf(node: SearchNode): SearchNode[] {
    const path: SearchNode[] = [];
    for (let n: SearchNode | null = node; n && n.parent; n = n.parent) path.push(n);
    return path.reverse();
  }

  query(node: SearchNode, salt: string): PathQuery {
    const path = this.pathOf(node);
    return {
      task: this.env.task,
      problem: this.env.problem,
      steps: path.map((n) => n.stepText),
      logprobs: path.map((n) => n.logprob),
      state: node.state,
      seed: hash32(this.env.seed, salt, node.seq),
    };
  }

  /**
   * Asks the policy for next steps of several nodes in one call; each node is one expansion,
   * numbered in order. Callers size the batch with allowedExpansions first.
   */
  async propose(nodes: readonly SearchNode[], k: number, seeds?: readonly number[]): Promise<{ expansion: number; proposals: Proposal[] }[]> {
    if (nodes.length === 0) return [];
    // A widened node asks with a fresh seed, so a sampling policy draws different steps.
    const salt = (node: SearchNode) => (node.expanded ? `propose#${node.widenings + 1}` : 'propose');
    const requests = nodes.map((node, i) => ({ ...this.query(node, salt(node)), ...(seeds ? { seed: seeds[i]! } : {}), k }));
    const expansionIds = nodes.map((node) => {
      node.expanded = true;
      return ++this.expansions;
    });
    let answers: Proposal[][];
    try {
      answers = await this.env.policy.propose(requests, { signal: this.env.signal });
    } catch (error) {
      // These expansions made nothing (a cancelled or failed call): the run's count leaves them out.
      this.expansions -= nodes.length;
      throw error;
    }
    if (answers.length !== nodes.length) {
      throw new Error(`policy ${this.env.policy.name} answered ${answers.length} of ${nodes.length} requests`);
    }
    return answers.map((proposals, i) => {
      const unique = uniqueProposals(proposals);
      if (proposals.length < k && unique.length === proposals.length) nodes[i]!.policyListedAll = true;
      return { expansion: expansionIds[i]!, proposals: unique };
    });
  }

  /** Scores nodes in one scorer call, storing the score on each; invalid nodes score 0 without a call. */
  async score(nodes: readonly SearchNode[]): Promise<number[]> {
    const valid = nodes.filter((n) => n.valid);
    const scores = await this.callScorer(valid.map((n) => this.query(n, 'score')));
    valid.forEach((n, i) => (n.score = scores[i]!));
    return nodes.map((n) => n.score ?? 0);
  }

  private async callScorer(queries: PathQuery[]): Promise<number[]> {
    if (queries.length === 0) return [];
    const { scorer, signal } = this.env;
    const scores = await scorer.score(queries, { signal });
    if (scores.length !== queries.length) throw new Error(`scorer ${scorer.name} answered ${scores.length} of ${queries.length} requests`);
    for (const s of scores) if (!(s >= 0 && s <= 1)) throw new Error(`scorer ${scorer.name} returned ${s}, outside [0, 1]`);
    return scores;
  }

  /** Applies a proposal to the parent's state: the child-to-be, not yet created. */
  draft(parent: SearchNode, proposal: Proposal, expansion: number, prior: number | null): Draft {
    const result = this.env.task.applyStep(parent.state, proposal.text);
    return {
      parent,
      expansion,
      stepText: proposal.text,
      state: result.valid ? result.state : undefined,
      valid: result.valid,
      logprob: proposal.logprob,
      tokenCount: proposal.tokenCount ?? null,
      prior,
      score: null,
    };
  }

  /** Drafts for all proposals of one expansion, with priors normalised over them. */
  drafts(parent: SearchNode, expansion: number, proposals: readonly Proposal[]): Draft[] {
    const priors = softmax(proposals.map((p) => p.logprob));
    return proposals.map((p, i) => this.draft(parent, p, expansion, priors[i]!));
  }

  /** How many more nodes the budget allows. */
  get nodesLeft(): number {
    const { maxNodes } = this.env.budget;
    return maxNodes === undefined ? Number.POSITIVE_INFINITY : maxNodes - this.nodes.length;
  }

  /**
   * Creates nodes from drafts, in order, as long as the node budget allows, writing each to the
   * sink. Returns the nodes created.
   */
  create(drafts: readonly Draft[]): SearchNode[] {
    const created: SearchNode[] = [];
    for (const d of drafts) {
      if (this.nodesLeft <= 0) break;
      created.push(this.addNode(d));
    }
    return created;
  }

  /** Proposes, drafts and creates the children of several nodes; optionally scores them before writing. */
  async expand(nodes: readonly SearchNode[], k: number, options: { scoreChildren?: boolean } = {}): Promise<SearchNode[][]> {
    const answers = await this.propose(nodes, k);
    const drafts = answers.map(({ expansion, proposals }, i) => this.drafts(nodes[i]!, expansion, proposals));
    if (options.scoreChildren) await this.scoreDrafts(drafts.flat());
    return drafts.map((d) => this.create(d));
  }

  /**
   * Progressive widening: asks the policy again for already-expanded nodes (each one more
   * expansion of the budget) and creates only the steps they do not have yet (an unlucky draw
   * may add none; the caller's widening limit bounds the tries). The new children's priors come
   * from one softmax over all of the node's steps, old and new.
   */
  async widen(nodes: readonly SearchNode[], k: number, options: { scoreChildren?: boolean } = {}): Promise<SearchNode[][]> {
    const answers = await this.propose(nodes, k);
    const drafts = answers.map(({ expansion, proposals }, i) => {
      const node = nodes[i]!;
      node.widenings++;
      const have = new Set(node.children.map((c) => c.stepText));
      const fresh = proposals.filter((p) => !have.has(p.text));
      const all = softmax([...node.children.map((c) => c.logprob ?? 0), ...fresh.map((p) => p.logprob)]);
      return fresh.map((p, j) => this.draft(node, p, expansion, all[node.children.length + j]!));
    });
    if (options.scoreChildren) await this.scoreDrafts(drafts.flat());
    return drafts.map((d) => this.create(d));
  }

  /** Scores drafts (valid ones, in one call) before they are created, so the score is written with the node. */
  async scoreDrafts(drafts: readonly Draft[]): Promise<void> {
    const valid = drafts.filter((d) => d.valid);
    if (valid.length === 0) return;
    const queries = valid.map((d) => {
      const parentQuery = this.query(d.parent, 'score');
      return {
        ...parentQuery,
        steps: [...parentQuery.steps, d.stepText],
        logprobs: [...parentQuery.logprobs, d.logprob],
        state: d.state,
        seed: hash32(this.env.seed, 'score', d.parent.seq, d.stepText),
      };
    });
    const scores = await this.callScorer(queries);
    valid.forEach((d, i) => (d.score = scores[i]!));
  }

  /** Sends changed search statistics of a node (an algorithm's own numbers, or its score) to the store. */
  writeStats(node: SearchNode, stats: Omit<NodeStats, 'seq'>): void {
    this.env.sink.update({ seq: node.seq, ...stats });
  }

  /**
   * Lets timers, signals and I/O run during a CPU-bound search, reports progress, and waits while
   * the sink is full (a writer slower than the search).
   */
  async tick(): Promise<void> {
    const full = this.env.sink.ready?.();
    if (full) {
      await full;
      this.lastYield = Date.now();
    }
    const now = Date.now();
    if (now - this.lastProgress >= PROGRESS_EVERY_MS) {
      this.lastProgress = now;
      this.env.onProgress?.(this.progress());
    }
    if (now - this.lastYield >= YIELD_EVERY_MS) {
      this.lastYield = now;
      await new Promise((resolve) => setImmediate(resolve));
    }
  }

  progress(): SearchProgress {
    return {
      nodes: this.nodes.length,
      expansions: this.expansions,
      solved: this.firstSolution !== null,
      elapsedMs: this.elapsedMs,
    };
  }

  stats(): SearchStats {
    return {
      ...this.progress(),
      solutions: this.solutions,
      firstSolutionExpansion: this.firstSolution?.expansion ?? null,
      firstSolutionSeq: this.firstSolution?.seq ?? null,
      maxDepth: this.nodes.reduce((m, n) => Math.max(m, n.depth), 0),
      stopReason: this.stopReason,
      ...this.extraStats,
    };
  }

  private addNode(d: Omit<Draft, 'parent'> & { parent: SearchNode | null }): SearchNode {
    const { task, problem } = this.env;
    const terminal = d.valid && task.isTerminal(d.state);
    const outcome = terminal ? task.outcome(d.state, problem) : null;
    let exactLabel: Rating | null = null;
    if (d.parent && task.exactLabel) exactLabel = d.valid ? task.exactLabel(d.state, problem) : -1;
    const node: SearchNode = {
      seq: this.nodes.length,
      parent: d.parent,
      depth: d.parent ? d.parent.depth + 1 : 0,
      expansion: d.expansion,
      stepText: d.stepText,
      state: d.state,
      valid: d.valid,
      terminal,
      outcome,
      logprob: d.logprob,
      prior: d.prior,
      score: d.score,
      children: [],
      expanded: false,
      widenings: 0,
      policyListedAll: false,
    };
    this.nodes.push(node);
    d.parent?.children.push(node);
    this.env.sink.add({
      seq: node.seq,
      parentSeq: d.parent?.seq ?? null,
      depth: node.depth,
      expansion: node.expansion,
      stepText: node.stepText,
      state: d.valid ? task.describe(d.state) : null,
      tokenCount: d.tokenCount ?? null,
      logprob: node.logprob,
      prior: node.prior,
      score: node.score,
      isTerminal: terminal,
      valid: node.valid,
      outcome,
      exactLabel,
    });
    if (outcome === 'correct') {
      this.solutions++;
      this.firstSolution ??= node;
      if (this.stopOnSolution) this.stop('solved');
    }
    return node;
  }
}

/** A child before it is created: the step applied, priors and (optionally) score known. */
export interface Draft {
  parent: SearchNode;
  expansion: number;
  stepText: string;
  state: unknown;
  valid: boolean;
  logprob: number | null;
  tokenCount: number | null;
  prior: number | null;
  score: number | null;
}

/** Proposals with trimmed text, duplicates (same text) dropped, first kept. */
export function uniqueProposals(proposals: readonly Proposal[]): Proposal[] {
  const seen = new Set<string>();
  const out: Proposal[] = [];
  for (const p of proposals) {
    const text = p.text.trim();
    if (seen.has(text)) continue;
    seen.add(text);
    out.push(text === p.text ? p : { ...p, text });
  }
  return out;
}

export function softmax(logprobs: readonly number[]): number[] {
  if (logprobs.length === 0) return [];
  const max = Math.max(...logprobs);
  if (!Number.isFinite(max)) return logprobs.map(() => 1 / logprobs.length);
  const exps = logprobs.map((lp) => Math.exp(lp - max));
  const sum = exps.reduce((s, x) => s + x, 0);
  return exps.map((x) => x / sum);
}
