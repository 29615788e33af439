/**
 * Which files API callers may name. In the desktop app the user picks any folder on their own
 * machine. Under `serve`, callers may be other machines (with the token), so every path is
 * resolved inside one files folder and anything that escapes it is refused.
 */
import fs from 'node:fs';
import path from 'node:path';
import { ApiError } from '../../../common/contract';
import type { EngineContext } from './types';

export function resolveUserPath(ctx: EngineContext, requested: string, what: string): string {
  if (!ctx.fileRoot) return requested;
  const root = path.resolve(ctx.fileRoot);
  const resolved = path.resolve(root, requested);
  const rel = path.relative(root, resolved);
  if (rel.startsWith('..') || path.isAbsolute(rel) || requested.includes('\0')) {
    throw new ApiError('forbidden', `${what} must be inside the server's files folder (${root}); "${requested}" is not`);
  }
  // A link inside the folder must not lead outside it either.
  let existing = resolved;
  while (!fs.existsSync(existing) && existing !== root) existing = path.dirname(existing);
  const real = fs.realpathSync(existing);
  const realRoot = fs.existsSync(root) ? fs.realpathSync(root) : root;
  const realRel = path.relative(realRoot, real);
  if (realRel.startsWith('..') || path.isAbsolute(realRel)) {
    throw new ApiError('forbidden', `${what} "${requested}" leads outside the server's files folder through a link`);
  }
  return resolved;
}
