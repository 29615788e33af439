/**
 * The one rule for every file or folder a caller names (imports, reports, exports): paths are
 * resolved with links followed (the real path of the deepest part that exists), must stay inside
 * the files folder when one is set (always under `serve`), and may never be the open database or
 * its -wal / -shm / -journal files. New files are created with exclusive flags and renamed into
 * place, so a link planted where a file will go is refused or replaced, never written through.
 */
import fs from 'node:fs';
import path from 'node:path';
import { ApiError } from '../../../common/contract/define';

export interface PathRules {
  /** The only folder callers may use; absent in the desktop app and the CLI (the user's own machine). */
  root?: string;
  /** The database in use: it and its side files are never a target or a source. */
  database?: string;
}

const DB_SIDE_FILES = ['', '-wal', '-shm', '-journal'];

function lstatOrNull(file: string): fs.Stats | null {
  try {
    return fs.lstatSync(file);
  } catch {
    return null;
  }
}

function isInside(root: string, target: string): boolean {
  const rel = path.relative(root, target);
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
}

/**
 * The real path `file` stands for: the deepest part that exists (as a directory entry, so a
 * dangling link counts) is resolved with links followed, the rest appended. A dangling link has
 * no real path and is refused: whatever it will point at later is not known now.
 */
export function realTarget(file: string, what: string): string {
  const absolute = path.resolve(file);
  const rest: string[] = [];
  let existing = absolute;
  while (!lstatOrNull(existing)) {
    const parent = path.dirname(existing);
    if (parent === existing) break;
    rest.unshift(path.basename(existing));
    existing = parent;
  }
  let real: string;
  try {
    real = fs.realpathSync(existing);
  } catch {
    throw new ApiError('forbidden', `${what} "${file}" goes through a link that leads nowhere`);
  }
  return path.join(real, ...rest);
}

/** The database file and its side files, as real paths, plus the database's inode (hard links). */
function databaseTargets(database: string): { paths: Set<string>; inode: fs.Stats | null } {
  const real = realTarget(database, 'database');
  let inode: fs.Stats | null = null;
  try {
    inode = fs.statSync(real);
  } catch {
    inode = null;
  }
  return { paths: new Set(DB_SIDE_FILES.map((suffix) => real + suffix)), inode };
}

function refuseDatabase(real: string, requested: string, what: string, database: string | undefined): void {
  if (!database || database === ':memory:') return;
  const { paths, inode } = databaseTargets(database);
  const stat = (() => {
    try {
      return fs.statSync(real);
    } catch {
      return null;
    }
  })();
  const sameFile = inode !== null && stat !== null && stat.dev === inode.dev && stat.ino === inode.ino;
  if (paths.has(real) || sameFile) {
    throw new ApiError('forbidden', `${what} "${requested}" is the studio's database (or one of its -wal/-shm files); choose another file`);
  }
}

/**
 * Resolves a path a caller gave, checking it against the rules. Relative paths are taken inside
 * the files folder when there is one. Returns the absolute (not link-resolved) path to use.
 */
export function confinePath(rules: PathRules, requested: string, what: string): string {
  if (requested.includes('\0')) throw new ApiError('invalid_input', `${what} contains a NUL byte`);
  const resolved = rules.root ? path.resolve(rules.root, requested) : path.resolve(requested);
  const real = realTarget(resolved, what);
  if (rules.root) {
    const root = path.resolve(rules.root);
    if (!isInside(root, resolved)) {
      throw new ApiError('forbidden', `${what} must be inside the server's files folder (${root}); "${requested}" is not`);
    }
    if (!isInside(realTarget(root, 'files folder'), real)) {
      throw new ApiError('forbidden', `${what} "${requested}" leads outside the server's files folder through a link`);
    }
  }
  refuseDatabase(real, requested, what, rules.database);
  return resolved;
}

/**
 * Writes a whole new file at `target` under the rules: the content goes to a temporary file
 * created exclusively beside it, then one rename puts it in place (never half a file). An
 * existing link or non-file at `target` is refused rather than followed or replaced.
 */
export function writeNewFile(rules: PathRules, target: string, content: string, what: string): string {
  const file = confinePath(rules, target, what);
  const stat = lstatOrNull(file);
  if (stat && !stat.isFile()) {
    throw new ApiError('forbidden', `${what} "${target}" is a link or folder, not a plain file; refusing to write through it`);
  }
  const temp = `${file}.${process.pid}-${Math.random().toString(36).slice(2, 10)}.partial`;
  try {
    fs.writeFileSync(temp, content, { flag: 'wx' });
    fs.renameSync(temp, file);
  } catch (error) {
    fs.rmSync(temp, { force: true });
    if (error instanceof ApiError) throw error;
    throw new ApiError('unavailable', `Cannot write ${what} ${file}: ${(error as Error).message}`);
  }
  return file;
}
