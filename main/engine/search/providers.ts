/**
 * Every policy and scorer the engine knows, registered by kind. Import this module (the run
 * service, the search worker and the CLI do) to have them all available by name; a new kind of
 * provider is one more import line below, of a module that calls registerPolicy / registerScorer.
 * Order matters: the model module skips bundled-model names that the built-ins already took.
 */
import './builtin-providers';
import '../models/providers';

export { createPolicy, createScorer, checkProviderName, listProviders, ProviderError } from './provider-registry';
