/**
 * Search runs in the store: create the run row, execute it (status running → done, cancelled or
 * failed, nodes streamed through the batched writer, statistics and solved flag recorded), and
 * resume a cancelled or interrupted run from its stored nodes.
 *
 * Resuming replays the search from the start: algorithms, policies and scorers are deterministic
 * for a seed, so the replay recreates the stored nodes in the same order. The replay sink checks
 * each against the store and writes only the new ones, so nothing is duplicated, and a policy that
 * does not reproduce its stored steps fails the run instead of grafting a different tree on.
 */
import { ZodError } from 'zod';
import type { AlgorithmName, Run, RunStatus, TreeNode } from '../../../common/domain';
import type { FlushResult, NewNode, NodeStats } from '../store/node-writer';
import type { Store } from '../store/store';
import { getTask, taskOptionsProblem, type TaskOptions } from '../tasks/registry';
import type { Task } from '../tasks/types';
import { Budget } from './budget';
import { withSearchDefaults } from './defaults';
import { defaultProviders, ProviderError, type ProviderSet } from '../providers';
import { parseAlgorithmConfig, runAlgorithm } from './run-algorithm';
import type { SearchProgress, SearchSink, SearchStats } from './search-run';
import type { Policy, Scorer } from './types';
import type { RunFinal } from './writer/protocol';
import type { SearchRuntime } from './runtime';
import type { ThreadedNodeSink } from './writer/threaded-sink';

/** A search request a user got wrong (bad config, budget, provider, malformed problem). */
export class SearchInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SearchInputError';
  }
}

export interface SearchSpec {
  problemId: number;
  algorithm: AlgorithmName;
  /** Algorithm parameters (k, cPuct, beamWidth...); defaults filled in and stored on the run. */
  config?: Record<string, unknown>;
  /** Provider names, e.g. `enumerator`, `exact`, `rollout:8`. */
  policy: string;
  scorer: string;
  seed: number;
  budget: Budget;
  /** Task variant options (math step delimiter). */
  taskOptions?: TaskOptions;
}

export interface ExecuteOptions {
  signal?: AbortSignal;
  onProgress?: (runId: number, progress: SearchProgress) => void;
  /** After every status change of the run row. */
  onRunChanged?: (run: Run) => void;
  /** After every batch of nodes the writer commits (live trees). */
  onFlush?: (runId: number, result: FlushResult) => void;
  /**
   * The search is over and its last writes are posted, but (with a writer thread) not yet
   * committed; the run's promise resolves once they are. A caller may start the next run here.
   */
  onSearchEnded?: () => void;
  /** Ready-made providers instead of building them from the run's names (benchmarks, tests). */
  providers?: { policy?: Policy; scorer?: Scorer };
  /**
   * The database's runtime (./runtime.ts): its writer thread and the providers the run's policy
   * and scorer are built from. Without one, the thread's own providers (`defaultProviders()`) and
   * inline writes.
   */
  runtime?: SearchRuntime;
  /**
   * Where node writes happen: 'inline' (this thread, the store's NodeWriter) or 'thread' (the
   * runtime's writer thread, so SQLite runs alongside a fast search). In-memory databases, and a
   * runtime with no writer thread, are always inline.
   */
  writer?: 'inline' | 'thread';
}

/** A search as the app asks for it: policy and scorer may be left to the task's defaults (./defaults.ts). */
export type SearchRequest = Omit<SearchSpec, 'policy' | 'scorer'> & { policy?: string; scorer?: string };

/** What a run row's config holds: the algorithm parameters plus the budget and task options. */
interface StoredConfig {
  budget: Budget;
  taskOptions?: TaskOptions;
  params: Record<string, unknown>;
}

function readConfig(run: Run): StoredConfig {
  const { budget, taskOptions, ...params } = run.config as Record<string, unknown>;
  return { budget: Budget.parse(budget), taskOptions: taskOptions as TaskOptions | undefined, params };
}

function describeZod(error: ZodError, what: string): string {
  const issue = error.issues[0];
  return `invalid ${what}: ${issue ? `${issue.path.join('.') || '(value)'}: ${issue.message}` : 'invalid'}`;
}

/**
 * Validates everything about a search request that can be checked before running it; with the
 * task, also that the policy and scorer suit it.
 */
export function validateSearchSpec(
  spec: Omit<SearchSpec, 'problemId'>,
  task?: Task,
  providers: ProviderSet = defaultProviders(),
): { params: Record<string, unknown>; budget: Budget } {
  let params: Record<string, unknown>;
  try {
    params = parseAlgorithmConfig(spec.algorithm, spec.config ?? {});
  } catch (error) {
    if (error instanceof ZodError) throw new SearchInputError(describeZod(error, `${spec.algorithm} config`));
    throw error;
  }
  const budget = Budget.safeParse(spec.budget);
  if (!budget.success) throw new SearchInputError(describeZod(budget.error, 'budget'));
  try {
    providers.checkName('policy', spec.policy, task);
    providers.checkName('scorer', spec.scorer, task);
  } catch (error) {
    if (error instanceof ProviderError) throw new SearchInputError(error.message);
    throw error;
  }
  return { params, budget: budget.data };
}

/** Checks the problem can be searched by its task (readable numbers, a question) and returns the task. */
function taskFor(store: Store, problemId: number, taskOptions?: TaskOptions): Task {
  const problem = store.problems.get(problemId);
  const misfit = taskOptions && taskOptionsProblem(problem.task, taskOptions);
  if (misfit) throw new SearchInputError(misfit);
  const task = getTask(problem.task, taskOptions);
  try {
    task.initialState(problem);
  } catch (error) {
    throw new SearchInputError((error as Error).message);
  }
  return task;
}

/** Creates a queued run row after validating the whole request. */
export function createSearchRun(store: Store, request: SearchRequest, providers?: ProviderSet): Run {
  const task = taskFor(store, request.problemId, request.taskOptions);
  const spec = withSearchDefaults(task, request);
  const { params, budget } = validateSearchSpec(spec, task, providers);
  return store.runs.create({
    problemId: spec.problemId,
    algorithm: spec.algorithm,
    config: { ...params, budget, ...(spec.taskOptions ? { taskOptions: spec.taskOptions } : {}) },
    policy: spec.policy,
    scorer: spec.scorer,
    seed: spec.seed,
    status: 'queued',
  });
}

/** Failed runs may be retried too (a model server that was down); the replay keeps what they made. */
const RUNNABLE: readonly RunStatus[] = ['queued', 'interrupted', 'cancelled', 'failed'];

/** Whether a run in this status may be (re)started. */
export function isRunnable(status: RunStatus): boolean {
  return RUNNABLE.includes(status);
}

/** Writes new nodes through; stored ones (a resumed run's replay) are checked, not rewritten. */
class ReplaySink implements SearchSink {
  private readonly stored = new Map<number, { parentSeq: number | null; stepText: string }>();

  constructor(
    private readonly inner: SearchSink,
    nodes: readonly TreeNode[],
    private readonly runId: number,
  ) {
    const seqById = new Map(nodes.map((n) => [n.id, n.seq]));
    for (const n of nodes) {
      this.stored.set(n.seq, { parentSeq: n.parentId === null ? null : seqById.get(n.parentId)!, stepText: n.stepText });
    }
  }

  add(node: NewNode): void {
    const known = this.stored.get(node.seq);
    if (!known) return this.inner.add(node);
    if (known.parentSeq !== node.parentSeq || known.stepText !== node.stepText) {
      throw new Error(
        `Run ${this.runId} cannot be resumed: replaying it gave node ${node.seq} "${node.stepText}" where the store has ` +
          `"${known.stepText}" (the policy or scorer did not reproduce the stored tree)`,
      );
    }
  }

  update(stats: NodeStats): void {
    this.inner.update(stats);
  }

  ready(): Promise<void> | null {
    return this.inner.ready?.() ?? null;
  }

  flush(): void {
    this.inner.flush();
  }

  close(): void {
    this.inner.close();
  }
}

async function closeQuietly(provider: Policy | Scorer | undefined): Promise<void> {
  try {
    await provider?.close?.();
  } catch {
    // Closing is best effort; the run's result is already recorded.
  }
}

/**
 * Runs (or resumes) a queued, cancelled, interrupted or failed run to its end. Resolves with the final run
 * row whether the search finished, was cancelled or failed; rejects only when the run cannot start.
 */
export async function executeRun(store: Store, runId: number, options: ExecuteOptions = {}): Promise<Run> {
  const initial = store.runs.get(runId);
  if (!isRunnable(initial.status)) {
    throw new SearchInputError(`Run ${runId} is ${initial.status}; only queued, cancelled, interrupted or failed runs can run`);
  }
  const { budget, taskOptions, params } = readConfig(initial);
  const problem = store.problems.get(initial.problemId);
  const task = taskFor(store, problem.id, taskOptions);
  const changed = (run: Run) => (options.onRunChanged?.(run), run);

  const previousWallMs = typeof initial.stats.wallMs === 'number' ? initial.stats.wallMs : 0;
  const stored = store.nodes.forRun(runId);
  const started = Date.now();
  let policy: Policy | undefined;
  let scorer: Scorer | undefined;
  let writer: (SearchSink & { finished?(): Promise<void> }) | undefined;
  let threadedWriter: ThreadedNodeSink | null = null;
  /** Commits everything the writer holds; with a writer thread, waits for it. */
  const finishWrites = async () => {
    writer?.close();
    await writer?.finished?.();
  };
  // With a writer thread, that thread records the run's start and end in order with its nodes, so
  // this thread writes no run row while the writer may be busy (it would wait out its backlog).
  const writerThread = options.writer === 'thread' && store.path !== ':memory:' ? (options.runtime?.writer() ?? null) : null;
  if (options.writer === 'thread' && store.path !== ':memory:' && !options.runtime) throw new Error('a run on a writer thread needs the database\'s SearchRuntime');
  const threaded = writerThread !== null;
  const providers = options.runtime?.providers ?? defaultProviders();
  changed(threaded ? { ...initial, status: 'running', error: null } : store.runs.setStatus(runId, 'running'));
  try {
    policy = options.providers?.policy ?? (await providers.createPolicy(initial.policy, { task, seed: initial.seed }));
    scorer = options.providers?.scorer ?? (await providers.createScorer(initial.scorer ?? 'likelihood', { task, seed: initial.seed, policy }));
    const onFlush = options.onFlush && ((r: FlushResult) => options.onFlush!(runId, r));
    if (writerThread) writer = threadedWriter = writerThread.open(runId, { onFlush, start: true });
    else writer = store.nodeWriter(runId, { onFlush });
    const sink = stored.length > 0 ? new ReplaySink(writer, stored, runId) : writer;
    const stats = await runAlgorithm(initial.algorithm, params, {
      task,
      problem,
      policy,
      scorer,
      sink,
      budget,
      seed: initial.seed,
      signal: options.signal,
      onProgress: options.onProgress && ((p) => options.onProgress!(runId, p)),
    });
    const cancelled = stats.stopReason === 'cancelled' || options.signal?.aborted === true;
    const final: RunFinal = { stats: runStats(stats, previousWallMs, stored.length), solved: stats.solved, status: cancelled ? 'cancelled' : 'done' };
    if (threadedWriter) {
      // The writer thread records the end after the run's last batch; meanwhile the caller may
      // start the next search (runBatch does), instead of idling while the tail commits.
      threadedWriter.finish(final);
      options.onSearchEnded?.();
      await threadedWriter.finished();
      return changed(store.runs.get(runId));
    }
    await finishWrites();
    store.runs.updateStats(runId, final.stats, final.solved);
    return changed(store.runs.setStatus(runId, final.status));
  } catch (error) {
    // Keep what was made: flush the nodes created before the failure.
    try {
      await finishWrites();
    } catch {
      // The store itself failed (disk full, locked); the status update below says why.
    }
    const message = error instanceof Error ? error.message : String(error);
    const cancelled = options.signal?.aborted === true;
    try {
      const nodes = store.nodes.forRun(runId).length;
      store.runs.updateStats(runId, { ...initial.stats, nodes, wallMs: previousWallMs + Date.now() - started });
      return changed(store.runs.setStatus(runId, cancelled ? 'cancelled' : 'failed', cancelled ? null : message));
    } catch {
      throw error;
    }
  } finally {
    if (!options.providers?.scorer) await closeQuietly(scorer);
    if (!options.providers?.policy) await closeQuietly(policy);
  }
}

function runStats(stats: SearchStats, previousWallMs: number, resumedFrom: number): Record<string, unknown> {
  const { elapsedMs, ...rest } = stats;
  return { ...rest, wallMs: previousWallMs + elapsedMs, ...(resumedFrom > 0 ? { resumedFromNodes: resumedFrom } : {}) };
}

/** Creates a run for a problem and executes it. */
export async function runSearch(store: Store, spec: SearchRequest, options: ExecuteOptions = {}): Promise<Run> {
  const run = createSearchRun(store, spec, options.runtime?.providers);
  options.onRunChanged?.(run);
  return executeRun(store, run.id, options);
}
