/**
 * Output path safety: an export writes only plain file names inside the folder the user chose.
 * A name with a separator, `..`, or a link planted where a file will go is refused, so nothing
 * lands outside that folder.
 */
import fs from 'node:fs';
import path from 'node:path';
import { ApiError } from '../../../common/contract/define';

const PLAIN_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;

/** Creates (if needed) and returns the real, absolute output folder. */
export function prepareOutputDir(outDir: string): string {
  if (outDir.includes('\u0000')) throw new ApiError('invalid_input', 'Output folder name contains a NUL byte.');
  const resolved = path.resolve(outDir);
  try {
    fs.mkdirSync(resolved, { recursive: true });
  } catch (error) {
    throw new ApiError('unavailable', `Cannot create output folder ${resolved}: ${(error as Error).message}`);
  }
  if (!fs.statSync(resolved).isDirectory()) {
    throw new ApiError('invalid_input', `Output path ${resolved} is not a folder.`);
  }
  return fs.realpathSync(resolved);
}

/** The path of `name` inside `dir`, refusing anything that is not a plain file name there. */
export function safeOutputFile(dir: string, name: string): string {
  if (!PLAIN_NAME.test(name) || name.includes('..')) {
    throw new ApiError('invalid_input', `Refusing output file name "${name}": only a plain file name inside the folder is allowed.`);
  }
  const target = path.resolve(dir, name);
  if (path.dirname(target) !== path.resolve(dir)) {
    throw new ApiError('invalid_input', `Refusing output file "${name}": it would be written outside ${dir}.`);
  }
  let stat: fs.Stats | undefined;
  try {
    stat = fs.lstatSync(target);
  } catch {
    stat = undefined;
  }
  if (stat && !stat.isFile()) {
    throw new ApiError('invalid_input', `Refusing to write ${target}: something other than a plain file is there (a link or folder).`);
  }
  return target;
}
