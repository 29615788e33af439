/**
 * A batch of searches, one stored run per problem, for headless jobs (`metacot search`). With one
 * worker the runs execute in turn on this thread with the caller's providers; with more, each run
 * executes on one of N worker threads (SearchManager) that build their providers from the run's
 * names, and every node goes through the database's one writer thread.
 *
 * Problems and runs are stored shortly before they start, and a cancelled batch deletes those
 * that never started, so it leaves no queued runs behind: cancelling stops new runs and cancels
 * the running ones, which end `cancelled` with every node they made saved. Each run's tree depends only on its problem, spec
 * and seed, never on which worker ran it or when.
 */
import type { NewProblem, Problem, Run, RunStatus } from '../../../common/domain';
import { EventBus } from '../events';
import type { Store } from '../store/store';
import { SearchManager } from './manager';
import { createSearchRun, executeRun, type SearchSpec } from './run-service';
import type { SearchRuntime } from './runtime';
import type { Policy, Scorer } from './types';

export interface BatchOptions {
  /** The database's runtime: its writer thread stores every node, its worker threads run the searches. */
  runtime: SearchRuntime;
  /** Runs at once on worker threads (1 = this thread). */
  workers: number;
  /**
   * Runs kept going at once on this thread when the policy or scorer is remote (a model
   * server): their requests overlap, and the process's request pool bounds how many are in
   * flight. Default: the runtime's limit. With local providers one search runs at a time.
   */
  concurrency?: number;
  signal: AbortSignal;
  /** For runs on this thread (workers = 1, required there); worker threads build their own from the names. */
  providers?: { policy: Policy; scorer: Scorer };
  /** Nodes stored so far by the runs still going. */
  onNodes?: (nodes: number) => void;
  /** A run ended (done, cancelled or failed); `index` is its problem's place in the batch. */
  onRunEnded?: (run: Run, index: number) => void;
}

const ENDED: readonly RunStatus[] = ['done', 'cancelled', 'failed', 'interrupted'];

/** A problem to search: new (stored when its run is created) or one already in the database. */
export type BatchProblem = NewProblem | Problem;

/** The problem's id, storing it first when it is new (and noting that the batch made it). */
function problemIdOf(store: Store, problem: BatchProblem, created?: Set<number>): number {
  if ('id' in problem) return problem.id;
  const id = store.problems.insert(problem);
  created?.add(id);
  return id;
}

/** Runs the batch to its end (or until cancelled); resolves with the runs in the order they ended. */
export async function runBatch(
  store: Store,
  problems: readonly BatchProblem[],
  spec: Omit<SearchSpec, 'problemId'>,
  options: BatchOptions,
): Promise<Run[]> {
  return options.workers <= 1 ? runHere(store, problems, spec, options) : runOnWorkers(store, problems, spec, options);
}

/** Problems and runs stored ahead of the searches on this thread, in one transaction per chunk (at least). */
const CREATE_AHEAD = 16;

/**
 * Runs on this thread, `parallel` searches at once (1 when policy and scorer are local), pipelined: a new
 * search starts as soon as one is over, while the writer thread commits that run's last nodes and
 * records its end; at most one run more than `parallel` is being written at a time. Nothing on
 * this thread writes to the database between searches (a write would wait out the writer's
 * backlog): problems and runs are created CREATE_AHEAD (or `parallel`) at a time, and the writer
 * marks each run running and done. Runs created but never started (Ctrl+C, an error) are deleted
 * with their problems at the end; a killed process leaves at most that many queued, which start
 * like any queued run (resumeRun, as after a killed app's startSearch). Each run is reported once
 * it is wholly stored, in the order runs end (problem order when one search runs at a time: the
 * writer thread records ends in order). A run's tree never depends on what ran beside it.
 */
async function runHere(store: Store, problems: readonly BatchProblem[], spec: Omit<SearchSpec, 'problemId'>, options: BatchOptions): Promise<Run[]> {
  if (!options.providers) throw new Error('a batch on this thread needs its policy and scorer');
  const { runtime, providers } = options;
  const { policy, scorer } = providers;
  const parallel = policy.remote || scorer.remote ? Math.max(1, options.concurrency ?? runtime.concurrency) : 1;
  const ended: Run[] = [];
  const ahead: Run[] = [];
  const created = new Set<number>();
  const finished: Promise<Run>[] = [];
  /** Searches not over yet. */
  const searching = new Set<Promise<unknown>>();
  const nodesOf = new Map<number, number>();
  const reportNodes = () => options.onNodes?.([...nodesOf.values()].reduce((a, b) => a + b, 0));
  /** A run that could not start (executeRun rejected): no new run starts, the running ones end. */
  let failure: { error: unknown } | null = null;
  const settled = (p: Promise<unknown>) => p.then(noop, noop);
  try {
    for (let i = 0; i < problems.length; i++) {
      while (searching.size >= parallel) await Promise.race(searching);
      const behind = finished[i - parallel - 1];
      if (behind) await settled(behind);
      if (options.signal.aborted || failure) break;
      if (ahead.length === 0) ahead.push(...createRuns(store, runtime, problems.slice(i, i + Math.max(CREATE_AHEAD, parallel)), spec, created));
      const run = ahead.shift()!;
      let searchEnded!: () => void;
      const searched = new Promise<void>((resolve) => (searchEnded = resolve));
      const index = i;
      const done = executeRun(store, run.id, {
        signal: options.signal,
        providers,
        // SQLite commits on the runtime's writer thread while the search goes on.
        runtime,
        writer: 'thread',
        onProgress: (id, p) => (nodesOf.set(id, p.nodes), reportNodes()),
        onSearchEnded: searchEnded,
      }).then((row) => {
        nodesOf.delete(row.id);
        ended.push(row);
        options.onRunEnded?.(row, index);
        return row;
      });
      done.catch((error: unknown) => (failure ??= { error }));
      finished.push(done);
      const over: Promise<void> = settled(Promise.race([searched, done])).then(() => void searching.delete(over));
      searching.add(over);
    }
  } finally {
    await Promise.allSettled(finished);
    if (ahead.length > 0) deleteUnstarted(store, ahead, created);
  }
  if (failure) throw (failure as { error: unknown }).error;
  return ended;
}

const noop = () => {};

const createRuns = (store: Store, runtime: SearchRuntime, chunk: readonly BatchProblem[], spec: Omit<SearchSpec, 'problemId'>, created: Set<number>): Run[] =>
  store.atomically(() =>
    chunk.map((problem) => createSearchRun(store, { ...spec, problemId: problemIdOf(store, problem, created) }, runtime.providers)),
  );

/** Runs created ahead that never started, and the problems the batch stored for them. */
function deleteUnstarted(store: Store, runs: readonly Run[], created: ReadonlySet<number>): void {
  store.runs.deleteUnstarted(
    runs.map((r) => r.id),
    runs.filter((r) => created.has(r.problemId)).map((r) => r.problemId),
  );
}

async function runOnWorkers(store: Store, problems: readonly BatchProblem[], spec: Omit<SearchSpec, 'problemId'>, options: BatchOptions): Promise<Run[]> {
  const events = new EventBus();
  const manager = new SearchManager({ store, events, runtime: options.runtime, mode: 'worker', concurrency: options.workers, liveNodes: false });
  const indexOf = new Map<number, number>();
  const nodesOf = new Map<number, number>();
  const ended: Run[] = [];
  let next = 0;
  let closing: Promise<void> | null = null;
  let failure: unknown = null;
  const close = () => (closing ??= manager.close());

  const startNext = () => {
    if (options.signal.aborted || failure !== null || next >= problems.length) return;
    const index = next++;
    try {
      const problemId = problemIdOf(store, problems[index]!);
      const run = createSearchRun(store, { ...spec, problemId }, options.runtime.providers);
      indexOf.set(run.id, index);
      manager.enqueue([run.id]);
    } catch (error) {
      // The store failed (disk full, say): stop the batch, keep what ended, say why.
      failure = error;
      void close();
    }
  };
  const unsubscribe = events.subscribe((name, payload) => {
    if (name !== 'runChanged') return;
    const { run } = payload as { run: Run };
    const index = indexOf.get(run.id);
    if (index === undefined) return;
    if (ENDED.includes(run.status)) {
      indexOf.delete(run.id);
      nodesOf.delete(run.id);
      ended.push(run);
      options.onRunEnded?.(run, index);
      startNext();
    } else {
      nodesOf.set(run.id, run.nodeCount);
    }
    options.onNodes?.([...nodesOf.values()].reduce((a, b) => a + b, 0));
  });
  const cancel = () => void close();
  options.signal.addEventListener('abort', cancel, { once: true });
  try {
    for (let i = 0; i < options.workers; i++) startNext();
    await manager.idle();
  } finally {
    options.signal.removeEventListener('abort', cancel);
    await close();
    unsubscribe();
  }
  if (failure !== null) throw failure;
  return ended;
}
