import type Database from 'better-sqlite3';
import { NewProblem, type Problem, type TaskName } from '../../../common/domain';
import { StoreError } from './errors';
import { toProblem, type ProblemRow } from './rows';

export class ProblemRepository {
  private readonly insertStmt;
  private readonly getStmt;
  private identitiesStmt: Database.Statement | null = null;

  constructor(private readonly db: Database.Database) {
    this.insertStmt = db.prepare(
      'INSERT INTO problems (task, prompt, gold_answer, metadata) VALUES (@task, @prompt, @goldAnswer, @metadata)',
    );
    this.getStmt = db.prepare('SELECT * FROM problems WHERE id = ?');
  }

  /** Inserts all problems in one transaction: all land, or none. */
  insertMany(problems: readonly NewProblem[]): number[] {
    const parsed = problems.map((p) => NewProblem.parse(p));
    return this.db.transaction(() =>
      parsed.map(
        (p) =>
          Number(
            this.insertStmt.run({
              task: p.task,
              prompt: p.prompt,
              goldAnswer: p.goldAnswer,
              metadata: JSON.stringify(p.metadata),
            }).lastInsertRowid,
          ),
      ),
    )();
  }

  insert(problem: NewProblem): number {
    return this.insertMany([problem])[0]!;
  }

  get(id: number): Problem {
    const row = this.getStmt.get(id) as ProblemRow | undefined;
    if (!row) throw new StoreError(`Problem ${id} not found`, 'not_found');
    return toProblem(row);
  }

  list(opts: { task?: TaskName; limit: number; offset: number }): { total: number; problems: Problem[] } {
    const where = opts.task ? 'WHERE task = @task' : '';
    const params = { task: opts.task, limit: opts.limit, offset: opts.offset };
    const total = (this.db.prepare(`SELECT count(*) AS n FROM problems ${where}`).get(params) as { n: number }).n;
    const rows = this.db
      .prepare(`SELECT * FROM problems ${where} ORDER BY id DESC LIMIT @limit OFFSET @offset`)
      .all(params) as ProblemRow[];
    return { total, problems: rows.map(toProblem) };
  }

  /** A task's problems, oldest first; only those whose metadata `source` is `source`, when given. */
  ofTask(task: TaskName, source?: string): Problem[] {
    const rows = this.db
      .prepare(`SELECT * FROM problems WHERE task = ? ${source === undefined ? '' : "AND json_extract(metadata, '$.source') = ?"} ORDER BY id`)
      .all(...(source === undefined ? [task] : [task, source])) as ProblemRow[];
    return rows.map(toProblem);
  }

  /** A task's problems by prompt: the oldest problem's id where several share a prompt. */
  idsByPrompt(task: TaskName): Map<string, number> {
    const ids = new Map<string, number>();
    const select = this.db.prepare('SELECT id, prompt FROM problems WHERE task = ? ORDER BY id DESC');
    for (const row of select.iterate(task) as Iterable<{ id: number; prompt: string }>) ids.set(row.prompt, row.id);
    return ids;
  }

  /**
   * Every stored problem's id, task and prompt (what makes two problems the same), read row by
   * row: an import reuses the problems it matches. Finish iterating before the next call.
   */
  identities(): IterableIterator<{ id: number; task: TaskName; prompt: string }> {
    const select = (this.identitiesStmt ??= this.db.prepare('SELECT id, task, prompt FROM problems'));
    return select.iterate() as IterableIterator<{ id: number; task: TaskName; prompt: string }>;
  }

  count(): number {
    return (this.db.prepare('SELECT count(*) AS n FROM problems').get() as { n: number }).n;
  }
}
