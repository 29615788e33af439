/**
 * JSON requests to a model server (completions, vLLM's pooling endpoint, chat): every attempt
 * holds a slot of the process's request pool (../providers/request-pool.ts) and of the client's
 * own limit, if it has one, while it is in flight; each attempt has a timeout; network errors, 429
 * and 5xx are retried with exponential backoff; any other answer that is not JSON is a clear error.
 * The API key, when there is one, is sent to this endpoint only and never follows a redirect.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { ModelError, reason } from './errors';
import { RequestPool, requestPool } from '../providers/request-pool';

export interface JsonEndpointOptions {
  apiKey?: string;
  timeoutMs?: number;
  /** Extra attempts after the first. */
  retries?: number;
  /** First backoff; doubles each retry. */
  backoffMs?: number;
  /** Requests of this client in flight at once, below the process-wide pool's limit. */
  concurrency?: number;
  /** What the server is, for messages: "the completion endpoint". */
  label: string;
}

class Retryable extends Error {}

export class JsonEndpoint {
  private readonly timeoutMs: number;
  private readonly retries: number;
  private readonly backoffMs: number;
  private readonly ownLimit: RequestPool | null;

  constructor(private readonly options: JsonEndpointOptions) {
    this.timeoutMs = options.timeoutMs ?? 60_000;
    this.retries = options.retries ?? 3;
    this.backoffMs = options.backoffMs ?? 500;
    this.ownLimit = options.concurrency ? new RequestPool(options.concurrency) : null;
  }

  async request(method: 'GET' | 'POST', url: string, body: unknown, signal: AbortSignal | undefined): Promise<unknown> {
    let last = '';
    for (let attempt = 0; attempt <= this.retries; attempt++) {
      if (attempt > 0) await sleep(Math.min(this.backoffMs * 2 ** (attempt - 1), 30_000), undefined, { signal });
      try {
        // Slots are held per attempt, never through a backoff: the client's own limit first, so a
        // request waiting on it does not hold a slot of the process's pool.
        const attemptOnce = () => requestPool().run(() => this.once(method, url, body, signal), signal);
        return await (this.ownLimit ? this.ownLimit.run(attemptOnce, signal) : attemptOnce());
      } catch (error) {
        if (!(error instanceof Retryable)) throw error;
        last = error.message;
      }
    }
    throw new ModelError(`cannot reach ${this.options.label} ${url}: ${last} (${this.retries + 1} attempts)`, url);
  }

  private async once(method: 'GET' | 'POST', url: string, body: unknown, signal: AbortSignal | undefined): Promise<unknown> {
    const headers: Record<string, string> = { accept: 'application/json' };
    if (body !== undefined) headers['content-type'] = 'application/json';
    if (this.options.apiKey) headers.authorization = `Bearer ${this.options.apiKey}`;
    let response: Response;
    try {
      const timeout = AbortSignal.timeout(this.timeoutMs);
      response = await fetch(url, {
        method,
        headers,
        // The key belongs to this endpoint only (endpoint-keys.ts): never follow it elsewhere.
        redirect: this.options.apiKey ? 'error' : 'follow',
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: signal ? AbortSignal.any([signal, timeout]) : timeout,
      });
    } catch (error) {
      signal?.throwIfAborted(); // the run was cancelled: not a server fault, no retry
      const e = error as Error & { cause?: { code?: string; message?: string } };
      if (e.name === 'TimeoutError' || e.name === 'AbortError') throw new Retryable(`no answer within ${this.timeoutMs} ms`);
      throw new Retryable(e.cause?.code ?? e.cause?.message ?? reason(error));
    }
    let text: string;
    try {
      text = await response.text();
    } catch (error) {
      throw new Retryable(`answer cut off: ${reason(error)}`);
    }
    if (response.status === 429 || response.status >= 500) throw new Retryable(`HTTP ${response.status} ${text.slice(0, 200)}`);
    if (!response.ok) {
      throw new ModelError(`${url} answered HTTP ${response.status}: ${text.slice(0, 300) || response.statusText}`, url);
    }
    try {
      return JSON.parse(text);
    } catch {
      throw new ModelError(`${url} answered something that is not JSON: ${text.slice(0, 120)}`, url);
    }
  }
}

/** The server root of a base URL (`http://host:8000/v1/` → `http://host:8000`), or a clear error. */
export function serverUrl(baseUrl: string): URL {
  let url: URL;
  try {
    url = new URL(baseUrl);
  } catch {
    throw new ModelError(`"${baseUrl}" is not a URL; expected e.g. http://127.0.0.1:8000/v1`, baseUrl);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new ModelError(`"${baseUrl}" is not an http(s) URL`, baseUrl);
  }
  return url;
}
