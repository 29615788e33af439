/**
 * Policies and scorers by name. A name is `kind` or `kind:argument` (`enumerator`,
 * `rollout:8`, `onnx:/models/tiny`); the run row stores it, and a worker thread rebuilds the same
 * provider from it with its own set from createProviders() (./index.ts).
 */
import type { Task } from '../tasks/types';
import type { Policy, PolicyFactory, ProviderContext, Scorer, ScorerFactory } from './types';

/** A cheap test that a provider fits a task and argument, run before anything is created. */
export type ProviderCheck = (arg: string | undefined, ctx: { task: Task }) => void;

interface Entry<F> {
  factory: F;
  description: string;
  check?: ProviderCheck;
}

export interface ProviderListing {
  policies: { kind: string; description: string }[];
  scorers: { kind: string; description: string }[];
}

/** A provider name that is not registered or whose argument is wrong (a user error). */
export class ProviderError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ProviderError';
  }
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

/** The kinds one engine (or one worker thread) can build; filled by createProviders(). */
export class ProviderSet {
  private readonly policies = new Map<string, Entry<PolicyFactory>>();
  private readonly scorers = new Map<string, Entry<ScorerFactory>>();

  registerPolicy(kind: string, description: string, factory: PolicyFactory, check?: ProviderCheck): void {
    this.policies.set(kind, { factory, description, check });
  }

  registerScorer(kind: string, description: string, factory: ScorerFactory, check?: ProviderCheck): void {
    this.scorers.set(kind, { factory, description, check });
  }

  /** Whether a policy or scorer kind of this name is registered. */
  has(kind: string): boolean {
    return this.policies.has(kind) || this.scorers.has(kind);
  }

  async createPolicy(name: string, ctx: ProviderContext): Promise<Policy> {
    const { entry, arg } = lookup(this.policies, 'policy', name);
    entry.check?.(arg, ctx);
    return entry.factory(arg, ctx);
  }

  async createScorer(name: string, ctx: ProviderContext & { policy: Policy }): Promise<Scorer> {
    const { entry, arg } = lookup(this.scorers, 'scorer', name);
    entry.check?.(arg, ctx);
    return entry.factory(arg, ctx);
  }

  /**
   * Checks that a name is registered and, when a task is given, that the provider fits it, without
   * building anything (for validating input before a run row exists).
   */
  checkName(what: 'policy' | 'scorer', name: string, task?: Task): void {
    const { entry, arg } = what === 'policy' ? lookup(this.policies, what, name) : lookup(this.scorers, what, name);
    if (task) entry.check?.(arg, { task });
  }

  list(): ProviderListing {
    const list = (map: Map<string, Entry<unknown>>) => [...map].map(([kind, e]) => ({ kind, description: e.description }));
    return { policies: list(this.policies), scorers: list(this.scorers) };
  }
}
