/**
 * Registers the model-backed policies and scorers on a provider set (../providers/index.ts):
 *
 *   onnx:<bundled name | folder>[?options]   local ONNX causal LM (policy) or PRM / value model (scorer)
 *   <bundled name>[?options]                 the same, for each model in resources/models/
 *   http(s)://host[:port][/v1][?options][#model]   OpenAI-compatible completions endpoint (policy)
 *
 * Options (query string): temperature, top_k, top_p, max_tokens, constrained (on/off),
 * chat (on/off: wrap the prompt in the chat template), kv_cache_mb, threads (ONNX);
 * timeout_ms, retries, concurrency, max_n, prompts_per_request (HTTP); agg = last|min|prod
 * (PRM scorers). A folder's metacot.json may set the policy defaults (same keys).
 */
import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { ProviderError, splitProviderName, type ProviderSet } from '../providers/provider-set';
import type { Policy, ProviderContext, Scorer } from '../providers/types';
import { CausalLM } from './causal-lm';
import { endpointKeyFor } from './endpoint-keys';
import { ModelError } from './errors';
import { readJson } from './folder';
import { HttpPolicy } from './http-policy';
import { OnnxPolicy } from './onnx-policy';
import { OnnxPathScorer } from './path-scorer';
import { BUNDLED_MODELS_DIR, bundledModels, resolveModel } from './resolve';
import { OnnxScorer } from './scorer';

const flag = z.union([z.boolean(), z.enum(['on', 'off', 'true', 'false', '1', '0', 'yes', 'no']).transform((v) => ['on', 'true', '1', 'yes'].includes(v))]);
const num = z.coerce.number();

/** Options a provider name or a folder's metacot.json may carry. */
export const ModelOptions = z.strictObject({
  temperature: num.min(0).max(10).optional(),
  top_k: num.int().min(0).optional(),
  top_p: num.gt(0).max(1).optional(),
  max_tokens: num.int().min(1).max(4096).optional(),
  constrained: flag.optional(),
  chat: flag.optional(),
  kv_cache_mb: num.min(0).max(1_000_000).optional(),
  threads: num.int().min(1).max(256).optional(),
  timeout_ms: num.int().min(1).optional(),
  retries: num.int().min(0).max(20).optional(),
  concurrency: num.int().min(1).max(100_000).optional(),
  max_n: num.int().min(1).max(1000).optional(),
  prompts_per_request: num.int().min(1).max(1000).optional(),
  agg: z.enum(['last', 'min', 'prod']).optional(),
});
export type ModelOptions = z.infer<typeof ModelOptions>;

const DEFAULT_MAX_TOKENS = 48;
const DEFAULT_CACHE_MB = 256;

function parseOptions(query: URLSearchParams, where: string): ModelOptions {
  const raw = Object.fromEntries(query);
  const parsed = ModelOptions.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new ProviderError(`${where}: option ${issue.path.join('.') || ''}: ${issue.message} (options: ${Object.keys(ModelOptions.shape).join(', ')})`);
  }
  return parsed.data;
}

/** Splits `spec?key=value&...` into the model spec and its options. */
export function splitOptions(spec: string): { spec: string; options: ModelOptions } {
  if (/^https?:\/\//i.test(spec)) {
    const hash = spec.indexOf('#');
    const url = new URL(hash >= 0 ? spec.slice(0, hash) : spec);
    const options: Record<string, string> = {};
    for (const key of Object.keys(ModelOptions.shape)) {
      const v = url.searchParams.get(key);
      if (v !== null) options[key] = v;
      url.searchParams.delete(key);
    }
    return { spec: url.href.replace(/\?$/, '') + (hash >= 0 ? spec.slice(hash) : ''), options: parseOptions(new URLSearchParams(options), spec) };
  }
  const q = spec.lastIndexOf('?');
  if (q < 0) return { spec, options: {} };
  return { spec: spec.slice(0, q), options: parseOptions(new URLSearchParams(spec.slice(q + 1)), spec) };
}

/** A folder's metacot.json: policy defaults (other keys, such as training notes, are ignored). */
const FolderDefaults = z.looseObject(ModelOptions.shape);

function folderDefaults(dir: string): ModelOptions {
  const file = path.join(dir, 'metacot.json');
  if (!fs.existsSync(file)) return {};
  const all = readJson(file, FolderDefaults, 'studio defaults for this model (temperature, top_k, top_p, max_tokens, constrained, ...)');
  return Object.fromEntries(Object.entries(all).filter(([k]) => k in ModelOptions.shape)) as ModelOptions;
}

const asProviderError = (error: unknown): never => {
  if (error instanceof ModelError) throw new ProviderError(error.message);
  throw error;
};

/** Builds a policy from a model spec: bundled name, folder or http(s) URL, with options. */
export async function createModelPolicy(name: string, specWithOptions: string, ctx: Pick<ProviderContext, 'task'>): Promise<Policy> {
  try {
    const { spec, options } = splitOptions(specWithOptions);
    const model = resolveModel(spec);
    if (model.kind === 'http') {
      return new HttpPolicy(name, {
        baseUrl: model.baseUrl,
        model: model.model,
        apiKey: endpointKeyFor(model.baseUrl),
        maxTokens: options.max_tokens ?? DEFAULT_MAX_TOKENS,
        temperature: options.temperature,
        topP: options.top_p,
        topK: options.top_k,
        timeoutMs: options.timeout_ms,
        retries: options.retries,
        concurrency: options.concurrency,
        maxN: options.max_n,
        promptsPerRequest: options.prompts_per_request,
      });
    }
    const defaults = folderDefaults(model.dir);
    // A folder's constrained default applies where the task lists legal steps; asked for by name, it must.
    if (defaults.constrained && !ctx.task.legalSteps) delete defaults.constrained;
    const o = { ...defaults, ...options };
    if (o.constrained && !ctx.task.legalSteps) {
      throw new ProviderError(`${name}: constrained decoding needs a task that lists its legal steps; ${ctx.task.name} does not (use constrained=off)`);
    }
    const lm = await CausalLM.load(model.dir, { threads: o.threads });
    return new OnnxPolicy(name, lm, {
      temperature: o.temperature,
      topK: o.top_k,
      topP: o.top_p,
      maxTokens: o.max_tokens ?? DEFAULT_MAX_TOKENS,
      constrained: o.constrained ?? false,
      chat: o.chat ?? false,
      cacheBytes: (o.kv_cache_mb ?? DEFAULT_CACHE_MB) * 2 ** 20,
    });
  } catch (error) {
    return asProviderError(error);
  }
}

/** Builds a scorer from a model spec (bundled name or folder), with options. */
export async function createModelScorer(name: string, specWithOptions: string): Promise<Scorer> {
  try {
    const { spec, options } = splitOptions(specWithOptions);
    const model = resolveModel(spec);
    if (model.kind === 'http') throw new ProviderError(`${name}: scoring over HTTP is not supported; give a PRM or value model folder`);
    return new OnnxPathScorer(name, await OnnxScorer.load(model.dir, { threads: options.threads }), options.agg ?? 'last');
  } catch (error) {
    return asProviderError(error);
  }
}

/**
 * Maps what a user typed for --policy / --scorer to a provider name: names the set knows pass
 * through; a folder path becomes `onnx:<absolute path>` (so a worker elsewhere finds it).
 */
export function providerNameFor(value: string, known: ProviderSet): string {
  const trimmed = value.trim();
  if (known.has(splitProviderName(trimmed).kind)) return trimmed;
  const { spec } = splitOptions(trimmed);
  const model = resolveModel(spec);
  if (model.kind === 'http') return trimmed;
  return `onnx:${model.dir}${trimmed.slice(spec.length)}`;
}

const argOf = (arg: string | undefined, kind: string) => {
  if (!arg) throw new ProviderError(`${kind}: give a model after the colon (onnx:<bundled name or folder>)`);
  return arg;
};

/** The onnx:, http(s): and bundled-model kinds. */
export function registerModelProviders(set: ProviderSet): void {
  set.registerPolicy('onnx', 'Local ONNX causal LM: onnx:<bundled name | folder>[?temperature=&top_k=&top_p=&max_tokens=&constrained=on|off&kv_cache_mb=]', (arg, ctx) =>
    createModelPolicy(`onnx:${arg ?? ''}`, argOf(arg, 'onnx'), ctx),
  );
  for (const scheme of ['http', 'https']) {
    set.registerPolicy(scheme, `OpenAI-compatible /v1/completions endpoint: ${scheme}://host:port/v1[?temperature=&max_tokens=&timeout_ms=&retries=][#model]`, (arg, ctx) =>
      createModelPolicy(`${scheme}:${arg ?? ''}`, `${scheme}:${arg ?? ''}`, ctx),
    );
  }
  set.registerScorer('onnx', 'ONNX process reward model (token classification, TRL style) or value model: onnx:<bundled name | folder>[?agg=last|min|prod]', (arg) =>
    createModelScorer(`onnx:${arg ?? ''}`, argOf(arg, 'onnx')),
  );
  // Bundled models answer to their own names too (e.g. `--policy countdown-word`), unless taken,
  // in the role their config.json declares: a PRM is not offered (or listed) as a policy.
  for (const bundled of bundledModels().filter((b) => !set.has(b))) {
    const withArg = (arg: string | undefined) => (arg ? `${bundled}?${arg.replace(/^\?/, '')}` : bundled);
    const role = bundledRole(bundled);
    if (role !== 'scorer') {
      set.registerPolicy(bundled, `Bundled ONNX model ${bundled} as policy`, (arg, ctx) => createModelPolicy(arg ? `${bundled}:${arg}` : bundled, withArg(arg), ctx));
    }
    if (role !== 'policy') {
      set.registerScorer(bundled, `Bundled ONNX model ${bundled} as scorer`, (arg) => createModelScorer(arg ? `${bundled}:${arg}` : bundled, withArg(arg)));
    }
  }
}

/** A classification head (PRM, value model) scores; a language model proposes; unknown: both. */
function bundledRole(name: string): 'policy' | 'scorer' | 'both' {
  try {
    const config = JSON.parse(fs.readFileSync(path.join(BUNDLED_MODELS_DIR, name, 'config.json'), 'utf8')) as { task?: unknown };
    if (config.task === 'token-classification' || config.task === 'text-classification') return 'scorer';
    if (config.task === 'text-generation') return 'policy';
  } catch {
    // No readable config.json (an onnxruntime-genai folder): offer both roles.
  }
  return 'both';
}
