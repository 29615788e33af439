/**
 * The problems a `metacot search` works on: generated countdown puzzles, a problem file, or
 * problems already in the database (`--from-db`, optionally one `--source`). A problem already in
 * the database (same task and prompt, as imports match them) is searched as that problem, never
 * stored twice, and keeps its metadata; one the search stores carries the file it came from as its
 * `source` tag when the file format has none.
 */
import path from 'node:path';
import type { NewProblem, Problem, TaskName } from '../../../common/domain';
import type { BatchProblem } from '../search/batch';
import type { Store } from '../store/store';
import { generateCountdownProblems } from '../tasks/countdown';
import type { Task } from '../tasks/types';
import { readSearchProblems } from './problem-file';
import { CliError } from './util';

export interface ProblemOptions {
  count?: number;
  problems?: string;
  fromDb?: boolean;
  source?: string;
  seed: number;
  numbers: number;
  numberMin: number;
  numberMax: number;
  targetMin: number;
  targetMax: number;
  questionField?: string;
  answerField?: string;
}

/** Exactly one of --count, --problems, --from-db; --source only with --from-db. */
export function checkProblemChoice(o: ProblemOptions): void {
  const given = [o.count !== undefined, o.problems !== undefined, o.fromDb === true].filter(Boolean).length;
  if (given !== 1) throw new CliError('give either --count N (generated countdown puzzles), --problems FILE or --from-db');
  if (o.source !== undefined && !o.fromDb) throw new CliError('--source picks problems with --from-db');
}

/** Problems from a file or the generator, fully validated; nothing is written here. */
export function readProblems(task: TaskName, o: ProblemOptions): NewProblem[] {
  if (o.problems !== undefined) {
    const problems = readSearchProblems(task, o.problems, o);
    const source = path.basename(o.problems);
    return problems.map((p) => (p.metadata?.source === undefined ? { ...p, metadata: { ...p.metadata, source } } : p));
  }
  if (task !== 'countdown') throw new CliError(`--count generates countdown puzzles; for ${task} give --problems FILE or --from-db`);
  try {
    return generateCountdownProblems(o.count!, {
      numbers: o.numbers,
      numberMin: o.numberMin,
      numberMax: o.numberMax,
      targetMin: o.targetMin,
      targetMax: o.targetMax,
      seed: o.seed,
    });
  } catch (error) {
    const issue = (error as { issues?: { path: string[]; message: string }[] }).issues?.[0];
    throw new CliError(issue ? `${issue.path.join('.')}: ${issue.message}` : (error as Error).message);
  }
}

/** Checks each problem is searchable by the task (the same check the run service makes). */
export function checkProblems(task: Task, problems: readonly NewProblem[], source: string): void {
  problems.forEach((p, i) => {
    try {
      task.initialState({ id: i + 1, createdAt: '', goldAnswer: null, metadata: {}, ...p } as Problem);
    } catch (error) {
      throw new CliError(`${source}: problem ${i + 1}: ${(error as Error).message.replace(/^Problem \d+: /, '')}`);
    }
  });
}

/** The task's problems in the database, oldest first, those with the given source tag only if one is given. */
export function storedProblems(store: Store, task: TaskName, source?: string): Problem[] {
  const problems = store.problems.ofTask(task, source);
  if (problems.length === 0) {
    throw new CliError(`the database holds no ${task} problems${source === undefined ? '' : ` with source "${source}"`}`);
  }
  return problems;
}

/**
 * Each problem as the database already holds it (same task and prompt), else as given; a problem
 * listed twice is searched once. Returns the list and how many were already stored.
 */
export function matchStoredProblems(store: Store, problems: readonly NewProblem[]): { problems: BatchProblem[]; stored: number; repeated: number } {
  // One pass over the stored prompts of these tasks (no index covers prompt text), then lookups.
  const idOf = new Map<string, number>();
  for (const task of new Set(problems.map((p) => p.task))) {
    for (const [prompt, id] of store.problems.idsByPrompt(task)) idOf.set(`${task}\u0000${prompt}`, id);
  }
  const seen = new Set<string>();
  const out: BatchProblem[] = [];
  let stored = 0;
  for (const p of problems) {
    const key = `${p.task}\u0000${p.prompt}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const id = idOf.get(key);
    if (id !== undefined) stored += 1;
    out.push(id === undefined ? p : store.problems.get(id));
  }
  return { problems: out, stored, repeated: problems.length - out.length };
}
