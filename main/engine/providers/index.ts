/**
 * The one place that knows every kind of policy and scorer: models/ and search/ never import each
 * other, and nothing registers itself on import. A new kind of provider is one more entry in
 * PROVIDER_MODULES, a function that registers its kinds on the set it is given.
 */
import { registerJudge } from '../models/judge';
import { registerModelProviders } from '../models/register';
import { registerVllmPrm } from '../models/vllm-prm';
import { registerStandInProviders } from '../search/stand-ins/register';
import { ProviderSet } from './provider-set';

export { ProviderError, ProviderSet, splitProviderName, type ProviderListing } from './provider-set';

/** In registration order: bundled model names skip kinds an earlier module already took. */
const PROVIDER_MODULES: ((set: ProviderSet) => void)[] = [registerStandInProviders, registerModelProviders, registerVllmPrm, registerJudge];

/** A fresh set with every provider kind registered. */
export function createProviders(): ProviderSet {
  const set = new ProviderSet();
  for (const register of PROVIDER_MODULES) register(set);
  return set;
}

let shared: ProviderSet | undefined;

/** This thread's set, built on first use (a worker thread builds its own). */
export function defaultProviders(): ProviderSet {
  shared ??= createProviders();
  return shared;
}
