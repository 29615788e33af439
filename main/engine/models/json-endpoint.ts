/**
 * JSON requests to a model server (completions, vLLM's pooling endpoint, chat): every attempt
 * holds a slot of the process's request pool (../providers/request-pool.ts) and of the client's
 * own limit, if it has one, while it is in flight; each attempt has a timeout; network errors, 429
 * and 5xx are retried with exponential backoff; any other answer that is not JSON is a clear error.
 * The API key, when there is one, is sent to this endpoint only and never follows a redirect.
 */
import http from 'node:http';
import https from 'node:https';
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
    const payload = body === undefined ? undefined : JSON.stringify(body);
    let answer: Answer;
    for (let redirects = 0; ; redirects++) {
      answer = await exchange(method, url, headers, payload, this.timeoutMs, signal);
      if (!answer.location) break;
      // The key belongs to this endpoint only (endpoint-keys.ts): never follow it elsewhere.
      if (this.options.apiKey) throw new ModelError(`${url} redirected to ${answer.location}; requests carrying the API key do not follow redirects`, url);
      if (redirects === 5) throw new ModelError(`${url} redirected more than 5 times`, url);
      url = new URL(answer.location, url).href;
    }
    const { status, text } = answer;
    if (status === 429 || status >= 500) throw new Retryable(`HTTP ${status} ${text.slice(0, 200)}`);
    if (status < 200 || status >= 300) {
      throw new ModelError(`${url} answered HTTP ${status}: ${text.slice(0, 300) || (http.STATUS_CODES[status] ?? '')}`, url);
    }
    try {
      return JSON.parse(text);
    } catch {
      throw new ModelError(`${url} answered something that is not JSON: ${text.slice(0, 120)}`, url);
    }
  }
}

interface Answer {
  status: number;
  text: string;
  /** Where a redirect points. */
  location: string | null;
}

/** Connections to model servers stay open between requests (idle ones do not keep the process alive). */
const AGENTS = { 'http:': new http.Agent({ keepAlive: true }), 'https:': new https.Agent({ keepAlive: true }) };

/**
 * One HTTP exchange through node:http, which costs this thread several times less CPU per request
 * than fetch: with many requests in flight that CPU is what bounds throughput. Network failures,
 * a timeout and a cut-off answer are Retryable; a cancelled run rejects with its reason.
 */
function exchange(method: string, url: string, headers: Record<string, string>, payload: string | undefined, timeoutMs: number, signal: AbortSignal | undefined): Promise<Answer> {
  signal?.throwIfAborted();
  return new Promise<Answer>((resolve, reject) => {
    const target = new URL(url);
    const client = target.protocol === 'https:' ? https : http;
    let timedOut = false;
    const fail = (error: Error & { code?: string }) => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      if (signal?.aborted) reject(signal.reason);
      else if (timedOut) reject(new Retryable(`no answer within ${timeoutMs} ms`));
      else reject(error instanceof Retryable ? error : new Retryable(error.code ?? reason(error)));
    };
    const req = client.request(target, { method, headers, agent: AGENTS[target.protocol as 'http:' | 'https:'] }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (text += chunk));
      res.on('error', (error) => fail(new Retryable(`answer cut off: ${reason(error)}`)));
      res.on('aborted', () => fail(new Retryable('answer cut off')));
      res.on('end', () => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
        const status = res.statusCode ?? 0;
        const location = status >= 300 && status < 400 && typeof res.headers.location === 'string' ? res.headers.location : null;
        resolve({ status, text, location });
      });
    });
    const timer = setTimeout(() => {
      timedOut = true;
      req.destroy();
    }, timeoutMs);
    const onAbort = () => req.destroy();
    signal?.addEventListener('abort', onAbort, { once: true });
    req.on('error', fail);
    req.end(payload);
  });
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
