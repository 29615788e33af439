/**
 * `metacot serve`: the API contract over HTTP (`POST /api/<method>`, server-sent events at
 * `GET /api/events`) plus the renderer bundle, so the same studio runs in any browser.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { HTTP_STATUS, type ApiResult } from '../../../common/contract';
import type { Engine } from '../engine';
import { BodyRefused, checkDeclaredLength, readJsonBody } from './body';
import { buildAccessPolicy, checkRequest, generateToken, isLoopback } from './security';
import { serveStatic } from './static';

export interface ServeOptions {
  host?: string;
  port?: number;
  /** Folder of the built renderer (index.html and assets). */
  staticDir: string;
  /** Force a token even on loopback (tests); off loopback one is always generated. */
  token?: string | null;
}

export interface RunningServer {
  url: string;
  host: string;
  port: number;
  token: string | null;
  close(): Promise<void>;
}

/** A client that stops reading events is dropped past this much unsent data (it reconnects). */
const SSE_MAX_BUFFERED = 1 << 20;

function sendJson(res: http.ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'cache-control': 'no-store',
    'x-content-type-options': 'nosniff',
  });
  res.end(text);
}

export async function startServer(engine: Engine, options: ServeOptions): Promise<RunningServer> {
  const host = options.host ?? '127.0.0.1';
  const token = options.token !== undefined ? options.token : isLoopback(host) ? null : generateToken();
  if (!isLoopback(host) && !token) throw new Error('Serving off loopback requires an access token');
  const clients = new Set<http.ServerResponse>();

  const unsubscribe = engine.events.subscribe((name, payload) => {
    const frame = `event: ${name}\ndata: ${JSON.stringify(payload)}\n\n`;
    for (const res of clients) {
      // Backpressure: never queue without bound for a client that does not read.
      if (res.writableLength > SSE_MAX_BUFFERED) {
        clients.delete(res);
        res.destroy();
      } else res.write(frame);
    }
  });

  let policy = buildAccessPolicy(host, options.port ?? 0, token);

  const server = http.createServer(async (req, res) => {
    // A target such as "//" is no valid relative URL: answer 400 (a throw here would be an
    // unhandled rejection, which ends the process).
    let url: URL;
    try {
      url = new URL(req.url ?? '/', 'http://placeholder');
    } catch {
      sendJson(res, 400, { ok: false, error: { code: 'invalid_input', message: 'Malformed request path' } });
      return;
    }
    const isApi = url.pathname.startsWith('/api/');
    const refusal = checkRequest(req, url, policy, isApi);
    if (refusal) {
      sendJson(res, refusal.status, { ok: false, error: { code: 'forbidden', message: refusal.message } });
      return;
    }
    try {
      if (url.pathname === '/api/events' && req.method === 'GET') {
        res.writeHead(200, {
          'content-type': 'text/event-stream',
          'cache-control': 'no-store',
          connection: 'keep-alive',
        });
        res.write(': connected\n\n');
        clients.add(res);
        req.on('close', () => clients.delete(res));
        return;
      }
      if (isApi) {
        if (req.method !== 'POST') {
          sendJson(res, 405, { ok: false, error: { code: 'invalid_input', message: 'Use POST for API calls' } });
          return;
        }
        const method = url.pathname.slice('/api/'.length);
        let input: unknown;
        try {
          const early = checkDeclaredLength(req);
          if (early) throw early;
          input = await readJsonBody(req);
        } catch (error) {
          if (!(error instanceof BodyRefused)) throw error;
          // A refused body is not read: close the connection rather than wait for the rest.
          if (error.status === 413) res.setHeader('connection', 'close');
          sendJson(res, error.status, { ok: false, error: { code: 'invalid_input', message: error.message } });
          return;
        }
        const result: ApiResult<unknown> = await engine.call(method, input);
        sendJson(res, result.ok ? 200 : HTTP_STATUS[result.error.code], result);
        return;
      }
      if (req.method !== 'GET' && req.method !== 'HEAD') {
        res.writeHead(405).end();
        return;
      }
      serveStatic(options.staticDir, url.pathname, res);
    } catch (error) {
      console.error('[serve] request failed:', error);
      if (!res.headersSent) sendJson(res, 500, { ok: false, error: { code: 'internal', message: 'Internal error' } });
      else res.end();
    }
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  policy = buildAccessPolicy(host, port, token);
  const urlHost = host.includes(':') ? `[${host}]` : host;
  return {
    url: `http://${urlHost}:${port}/`,
    host,
    port,
    token,
    close: () =>
      new Promise<void>((resolve) => {
        unsubscribe();
        for (const res of clients) res.end();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
