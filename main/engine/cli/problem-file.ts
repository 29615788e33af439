/**
 * `metacot search --problems FILE`: the file is read by the importer's reader (readProblemFile), so
 * the search accepts exactly the files `metacot import --format problems` and the studio accept.
 */
import type { NewProblem, TaskName } from '../../../common/domain';
import { readProblemFile } from '../import/run-import';
import { CliError } from './util';

/** The file's problems of `task`; an unreadable file, any bad line or no problem at all is a CliError. */
export function readSearchProblems(task: TaskName, file: string, fields: { questionField?: string; answerField?: string }): NewProblem[] {
  let read: ReturnType<typeof readProblemFile>;
  try {
    read = readProblemFile(file, { task, promptField: fields.questionField, answerField: fields.answerField });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (!code) throw error;
    throw new CliError(`cannot read ${file}: ${code}`);
  }
  const [first, ...more] = read.errors;
  if (first) throw new CliError(`${file}: line ${first.line}: ${first.reason}${more.length ? ` (and ${more.length} more bad lines)` : ''}`);
  if (read.problems.length === 0) throw new CliError(`${file}: the file holds no problems`);
  return read.problems;
}
