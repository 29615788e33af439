/**
 * Policies and scorers by name. A name is `kind` or `kind:argument` (`enumerator`,
 * `rollout:8`, `onnx:/models/tiny`); the run row stores it, and a worker thread rebuilds the same
 * provider from it. Modules register their kinds in ./providers.ts.
 */
import type { Policy, PolicyFactory, ProviderContext, Scorer, ScorerFactory } from './types';

interface Entry<F> {
  factory: F;
  description: string;
}

const policies = new Map<string, Entry<PolicyFactory>>();
const scorers = new Map<string, Entry<ScorerFactory>>();

/** A provider name that is not registered or whose argument is wrong (a user error). */
export class ProviderError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ProviderError';
  }
}

export function registerPolicy(kind: string, description: string, factory: PolicyFactory): void {
  policies.set(kind, { factory, description });
}

export function registerScorer(kind: string, description: string, factory: ScorerFactory): void {
  scorers.set(kind, { factory, description });
}

export function splitProviderName(name: string): { kind: string; arg: string | undefined } {
  const at = name.indexOf(':');
  return at < 0 ? { kind: name, arg: undefined } : { kind: name.slice(0, at), arg: name.slice(at + 1) };
}

function lookup<F>(map: Map<string, Entry<F>>, what: string, name: string): { entry: Entry<F>; arg: string | undefined } {
  const { kind, arg } = splitProviderName(name.trim());
  const entry = map.get(kind);
  if (!entry) throw new ProviderError(`unknown ${what} "${name}" (known: ${[...map.keys()].join(', ') || 'none'})`);
  return { entry, arg };
}

export async function createPolicy(name: string, ctx: ProviderContext): Promise<Policy> {
  const { entry, arg } = lookup(policies, 'policy', name);
  return entry.factory(arg, ctx);
}

export async function createScorer(name: string, ctx: ProviderContext & { policy: Policy }): Promise<Scorer> {
  const { entry, arg } = lookup(scorers, 'scorer', name);
  return entry.factory(arg, ctx);
}

/** Checks that a name is registered, without building anything (for validating input early). */
export function checkProviderName(what: 'policy' | 'scorer', name: string): void {
  if (what === 'policy') lookup(policies, what, name);
  else lookup(scorers, what, name);
}

export function listProviders(): { policies: { kind: string; description: string }[]; scorers: { kind: string; description: string }[] } {
  const list = (map: Map<string, Entry<unknown>>) => [...map].map(([kind, e]) => ({ kind, description: e.description }));
  return { policies: list(policies), scorers: list(scorers) };
}
