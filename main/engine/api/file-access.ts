/**
 * Which files API callers may name. In the desktop app the user picks any file on their own
 * machine; under `serve`, callers may be other machines (with the token), so every path is kept
 * inside one files folder. Either way the open database is never a source or a target. The rules
 * themselves live in files/path-policy.ts, shared with the CLI.
 */
import { confinePath, type PathRules } from '../files/path-policy';
import type { EngineContext } from './types';

export function pathRules(ctx: EngineContext): PathRules {
  return { root: ctx.fileRoot, database: ctx.store.path };
}

export function resolveUserPath(ctx: EngineContext, requested: string, what: string): string {
  return confinePath(pathRules(ctx), requested, what);
}
