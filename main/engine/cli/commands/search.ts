/**
 * `metacot search`: grow search trees headlessly. Everything the user typed is checked (task,
 * problem file line by line, algorithm config, budget, policy and scorer) before the database is
 * touched; then each problem is stored with its run as the run starts (a problem the database
 * already holds is reused), one at a time or on `--workers N` threads at once. Ctrl+C and SIGTERM
 * both cancel the running runs cleanly, keep every run and node made so far, remove the runs that
 * never started, and exit 130 / 143 as a shell expects of an interrupted command.
 */
import { SingleBar } from 'cli-progress';
import type { Command } from 'commander';
import { ALGORITHMS, TASKS, type AlgorithmName, type NewProblem, type TaskName } from '../../../../common/domain';
import { ProviderError, type ProviderSet } from '../../providers';
import { DEFAULT_CONCURRENCY } from '../../providers/request-pool';
import { runBatch, type BatchProblem } from '../../search/batch';
import { BUNDLED_SEARCH, withSearchDefaults } from '../../search/defaults';
import { SearchInputError, validateSearchSpec, type SearchSpec } from '../../search/run-service';
import { SearchRuntime } from '../../search/runtime';
import type { Budget } from '../../search/budget';
import type { Policy, Scorer } from '../../search/types';
import { Store } from '../../store/store';
import { getTask, taskOptionsProblem } from '../../tasks/registry';
import type { Task } from '../../tasks/types';
import { storedProviderName } from '../model-names';
import { checkProblemChoice, checkProblems, matchStoredProblems, readProblems, storedProblems, type ProblemOptions } from '../search-problems';
import { listenForInterrupt } from '../interrupt';
import { CliError, parseIntOption } from '../util';

interface SearchOptions extends ProblemOptions {
  task: string;
  algo: string;
  budget: number;
  maxNodes?: number;
  maxDepth?: number;
  timeLimit?: number;
  db: string;
  policy?: string;
  scorer?: string;
  k?: number;
  set: string[];
  delimiter?: string;
  workers: number;
  concurrency: number;
}

const collect = (value: string, previous: string[]) => [...previous, value];

/** `\n\n` as typed in a shell → two newlines. */
function unescape(text: string): string {
  try {
    return JSON.parse(`"${text.replace(/"/g, '\\"')}"`) as string;
  } catch {
    throw new CliError(`--delimiter: cannot read "${text}" (use escapes like \\n or \\t)`);
  }
}

/** `--set cPuct=2.5` → { cPuct: 2.5 }; values read as JSON when they parse, else as text. */
function parseSets(sets: readonly string[]): Record<string, unknown> {
  const config: Record<string, unknown> = {};
  for (const item of sets) {
    const at = item.indexOf('=');
    if (at <= 0) throw new CliError(`--set expects key=value, got "${item}"`);
    const raw = item.slice(at + 1);
    let value: unknown = raw;
    try {
      value = JSON.parse(raw);
    } catch {
      // Not JSON: keep the text (e.g. order=score).
    }
    config[item.slice(0, at)] = value;
  }
  return config;
}

async function buildProviders(
  set: ProviderSet,
  spec: Pick<SearchSpec, 'policy' | 'scorer' | 'seed'>,
  task: Task,
): Promise<{ policy: Policy; scorer: Scorer }> {
  try {
    const policy = await set.createPolicy(spec.policy, { task, seed: spec.seed });
    const scorer = await set.createScorer(spec.scorer, { task, seed: spec.seed, policy });
    return { policy, scorer };
  } catch (error) {
    if (error instanceof ProviderError || (error as Error).name === 'ModelError') throw new CliError((error as Error).message);
    throw error;
  }
}

/** The problems as the database holds them where it does, saying how many it had already. */
function reuseStored(store: Store, given: readonly NewProblem[]): BatchProblem[] {
  const matched = matchStoredProblems(store, given);
  if (matched.stored || matched.repeated) {
    const repeated = matched.repeated ? `; ${matched.repeated} repeated problems searched once` : '';
    process.stdout.write(`${matched.stored} of these problems are in the database already and get new runs there${repeated}\n`);
  }
  return matched.problems;
}

/** A bar on a terminal, one plain line per run otherwise (logs, CI); runs may end in any order. */
function progressReporter(total: number) {
  const tty = process.stderr.isTTY === true;
  const bar = tty
    ? new SingleBar(
        { format: 'search |{bar}| {value}/{total} problems | solved {solved} | nodes {nodes}', hideCursor: true, stream: process.stderr },
      )
    : null;
  let ended = 0;
  let solved = 0;
  let nodes = 0;
  bar?.start(total, 0, { solved, nodes });
  return {
    running(runningNodes: number) {
      bar?.update({ solved, nodes: nodes + runningNodes });
    },
    finished(line: string, run: { solved: boolean; nodeCount: number }) {
      ended++;
      if (run.solved) solved++;
      nodes += run.nodeCount;
      if (bar) bar.update(ended, { solved, nodes });
      else process.stdout.write(`${line}\n`);
    },
    stop() {
      bar?.stop();
    },
  };
}

export function registerSearch(program: Command): void {
  program
    .command('search')
    .description('Grow search trees for generated or imported problems and store every node')
    .requiredOption('--task <task>', `one of ${TASKS.join(', ')}`)
    .option('--count <n>', 'generate this many countdown puzzles', parseIntOption('count', 1, 100_000))
    .option('--problems <file>', 'problems file: countdown JSONL or "24:[4, 9, 3]" lines; game24 24.csv or "4 5 6 10" lines; math JSONL (problems the database holds already are reused)')
    .option('--from-db', "search the task's problems already in the database (e.g. after metacot import)")
    .option('--source <tag>', 'with --from-db: only problems with this source tag (GSM8K, MATH, 24.csv, a file name)')
    .option('--algo <name>', `one of ${ALGORITHMS.join(', ')}`, 'bfs')
    .option('--budget <n>', 'expansions (policy calls) per run', parseIntOption('budget', 1, 10_000_000), 100)
    .option('--max-nodes <n>', 'nodes per run, root included', parseIntOption('max-nodes', 2, 100_000_000))
    .option('--max-depth <n>', 'steps per path', parseIntOption('max-depth', 1, 10_000))
    .option('--time-limit <ms>', 'wall time per run', parseIntOption('time-limit', 1))
    .option('--seed <n>', 'seed for the generator and every run', parseIntOption('seed', 0, 2 ** 31 - 1), 1)
    .requiredOption('--db <file>', 'database file (created if missing)')
    .option('--policy <name>', `policy: enumerator, onnx:<model>, http://host/v1, a bundled model name (default: ${BUNDLED_SEARCH.policy} for countdown and game24, else enumerator)`)
    .option('--scorer <name>', `scorer: exact, rollout[:N], likelihood, onnx:<model> (default: ${BUNDLED_SEARCH.scorer} with the bundled policy, else exact where the task has a solver, else likelihood)`)
    .option('--k <n>', `next steps proposed per expansion (default: ${BUNDLED_SEARCH.k} with the bundled policy, else the algorithm's)`, parseIntOption('k', 1, 1000))
    .option('--set <key=value>', 'algorithm parameter, repeatable (e.g. --set cPuct=2 --set batchSize=4)', collect, [])
    .option('--numbers <n>', 'generated puzzles: numbers per puzzle (3-6)', parseIntOption('numbers', 3, 6), 4)
    .option('--number-min <n>', 'generated puzzles: smallest number', parseIntOption('number-min', 1, 1000), 1)
    .option('--number-max <n>', 'generated puzzles: largest number', parseIntOption('number-max', 1, 1000), 50)
    .option('--target-min <n>', 'generated puzzles: smallest target', parseIntOption('target-min', 1, 100_000), 10)
    .option('--target-max <n>', 'generated puzzles: largest target', parseIntOption('target-max', 1, 100_000), 100)
    .option('--delimiter <text>', 'math: step delimiter (escapes like \\n are read)')
    .option('--question-field <name>', 'math JSONL: field holding the question')
    .option('--answer-field <name>', 'math JSONL: field holding the answer or solution')
    .option('--workers <n>', 'searches at once, each on its own worker thread sharing one database writer (1-64)', parseIntOption('workers', 1, 64), 1)
    .option('--concurrency <n>', 'requests to model servers in flight at once, for the whole process; with an endpoint policy or scorer, runs proceed together', parseIntOption('concurrency', 1, 100_000), DEFAULT_CONCURRENCY)
    .action(async (o: SearchOptions) => {
      if (!(TASKS as readonly string[]).includes(o.task)) throw new CliError(`unknown task "${o.task}" (tasks: ${TASKS.join(', ')})`);
      if (!(ALGORITHMS as readonly string[]).includes(o.algo)) throw new CliError(`unknown algorithm "${o.algo}" (algorithms: ${ALGORITHMS.join(', ')})`);
      const taskName = o.task as TaskName;
      const delimiter = o.delimiter === undefined ? undefined : unescape(o.delimiter);
      const taskOptions = delimiter === undefined ? undefined : { stepDelimiter: delimiter };
      const misfit = taskOptions && taskOptionsProblem(taskName, taskOptions);
      if (misfit) throw new CliError(`--delimiter: ${misfit}`);
      const task = getTask(taskName, taskOptions);

      const config = { ...parseSets(o.set), ...(o.k !== undefined ? { k: o.k } : {}) };
      const budget: Budget = {
        maxExpansions: o.budget,
        ...(o.maxNodes !== undefined ? { maxNodes: o.maxNodes } : {}),
        ...(o.maxDepth !== undefined ? { maxDepth: o.maxDepth } : {}),
        ...(o.timeLimit !== undefined ? { maxWallMs: o.timeLimit } : {}),
      };
      checkProblemChoice(o);
      const base = withSearchDefaults(task, {
        algorithm: o.algo as AlgorithmName,
        config,
        policy: o.policy === undefined ? undefined : storedProviderName(o.policy, 'policy'),
        scorer: o.scorer === undefined ? undefined : storedProviderName(o.scorer, 'scorer'),
        seed: o.seed,
        budget,
        ...(taskOptions ? { taskOptions } : {}),
      });
      try {
        validateSearchSpec(base, task);
      } catch (error) {
        if (error instanceof SearchInputError) throw new CliError(error.message);
        throw error;
      }
      const given = o.fromDb ? null : readProblems(taskName, o);
      if (given) checkProblems(task, given, o.problems ?? 'generated puzzles');
      // The database's one runtime: its writer thread, its worker pool, the providers, the request limit.
      const runtime = SearchRuntime.forStore(o.db);
      runtime.concurrency = o.concurrency;
      // On this thread the run's policy and scorer are built once for the batch; worker threads
      // build their own from the names (checked above), so nothing is loaded here only to close it.
      const providers = o.workers <= 1 ? await buildProviders(runtime.providers, base, task) : undefined;
      const closeProviders = async () => {
        await providers?.scorer.close?.();
        await providers?.policy.close?.();
      };
      let store: Store | undefined;
      let problems: BatchProblem[];
      try {
        store = Store.open(o.db, { create: !o.fromDb });
        problems = given ? reuseStored(store, given) : storedProblems(store, taskName, o.source);
        if (!given) checkProblems(task, problems, `${o.db} (${taskName} problems)`);
      } catch (error) {
        store?.close();
        await closeProviders();
        throw error;
      }

      const dbPath = o.db;
      const interrupt = listenForInterrupt();
      const progress = progressReporter(problems.length);
      const started = Date.now();
      let done = 0;
      let solved = 0;
      let nodes = 0;
      const failures: string[] = [];
      try {
        await runBatch(store, problems, base, {
          runtime,
          workers: o.workers,
          concurrency: o.concurrency,
          signal: interrupt.signal,
          providers,
          onNodes: (running) => progress.running(running),
          onRunEnded: (run, i) => {
            done++;
            if (run.solved) solved++;
            nodes += run.nodeCount;
            const line = `run ${run.id} (${i + 1}/${problems.length}) ${problems[i]!.prompt.slice(0, 40)}: ${run.status}${run.solved ? ', solved' : ''}, ${run.nodeCount} nodes, ${run.stats.expansions ?? 0} expansions`;
            progress.finished(line, run);
            if (run.status === 'failed') failures.push(`run ${run.id}: ${run.error}`);
          },
        });
      } finally {
        progress.stop();
        interrupt.dispose();
        await closeProviders();
        await runtime.close();
        store.close();
      }
      const seconds = ((Date.now() - started) / 1000).toFixed(1);
      const rate = done ? ((100 * solved) / done).toFixed(1) : '0.0';
      const prefix = interrupt.signal.aborted ? `cancelled; saved ${done} of ${problems.length} runs` : `${done} runs`;
      process.stdout.write(`${prefix}: ${solved} solved (${rate}%), ${nodes} nodes, ${seconds} s → ${dbPath}\n`);
      if (failures.length) throw new CliError(`${failures.length} runs failed (${failures[0]})`);
      const interrupted = interrupt.exitError('the runs that ended are saved');
      if (interrupted) throw interrupted;
    });
}
