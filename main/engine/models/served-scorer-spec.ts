/**
 * The argument of a served scorer's name: `http(s)://host[:port][/v1][?options][#model]`. Options
 * are query parameters, checked with the scorer's own zod schema; the request options every served
 * scorer takes (timeout_ms, retries, concurrency) are shared here.
 */
import { z } from 'zod';
import { ProviderError } from '../providers/provider-set';
import { endpointKeyFor } from './endpoint-keys';
import type { JsonEndpointOptions } from './json-endpoint';

export const RequestOptions = {
  timeout_ms: z.coerce.number().int().min(1).optional(),
  retries: z.coerce.number().int().min(0).max(20).optional(),
  concurrency: z.coerce.number().int().min(1).max(100_000).optional(),
};

export interface ServedSpec<T> {
  /** Server root, no query or fragment: `http://host:8000` or `http://host:8000/v1`. */
  baseUrl: string;
  model: string | null;
  options: T;
  request: Omit<JsonEndpointOptions, 'label'>;
}

export function parseServedSpec<S extends z.ZodRawShape>(kind: string, arg: string | undefined, shape: S): ServedSpec<z.infer<z.ZodObject<S>>> {
  const example = `${kind}:http://127.0.0.1:8000#model-name`;
  if (!arg || !/^https?:\/\//i.test(arg)) throw new ProviderError(`${kind}: give the server after the colon, e.g. ${example}`);
  const hash = arg.indexOf('#');
  let url: URL;
  try {
    url = new URL(hash >= 0 ? arg.slice(0, hash) : arg);
  } catch {
    throw new ProviderError(`${kind}: "${arg}" is not a URL; e.g. ${example}`);
  }
  const schema = z.strictObject({ ...RequestOptions, ...shape });
  const parsed = schema.safeParse(Object.fromEntries(url.searchParams));
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new ProviderError(`${kind}: option ${issue.path.join('.') || ''}: ${issue.message} (options: ${Object.keys(schema.shape).join(', ')})`);
  }
  url.search = '';
  const baseUrl = url.href.replace(/\/+$/, '');
  const { timeout_ms, retries, concurrency, ...options } = parsed.data as Record<string, unknown>;
  return {
    baseUrl,
    model: hash >= 0 && arg.slice(hash + 1) ? decodeURIComponent(arg.slice(hash + 1)) : null,
    options: options as z.infer<z.ZodObject<S>>,
    request: {
      apiKey: endpointKeyFor(baseUrl),
      timeoutMs: timeout_ms as number | undefined,
      retries: retries as number | undefined,
      concurrency: concurrency as number | undefined,
    },
  };
}

/** The server root without a trailing `/v1` (vLLM's pooling endpoint lives there). */
export function withoutV1(baseUrl: string): string {
  return baseUrl.replace(/\/v1$/, '');
}
