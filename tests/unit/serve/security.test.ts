/** serve refuses cross-site pages, DNS rebinding, and (off loopback) callers without the token. */
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { Engine } from '../../../main/engine/engine';
import { resolveStaticPath } from '../../../main/engine/serve/static';
import { startServer, type RunningServer } from '../../../main/engine/serve/server';
import { Store } from '../../../main/engine/store/store';

let dir: string;
let engine: Engine;
let loopback: RunningServer;
let everywhere: RunningServer;

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'metacot-sec-'));
  fs.writeFileSync(path.join(dir, 'index.html'), '<!doctype html><title>studio</title>');
  fs.writeFileSync(path.join(os.tmpdir(), 'metacot-secret.txt'), 'secret');
  engine = new Engine(Store.open(path.join(dir, 's.db')));
  loopback = await startServer(engine, { port: 0, staticDir: dir });
  // Bound to every interface (still only reached over 127.0.0.1 here): a token is generated.
  everywhere = await startServer(engine, { host: '0.0.0.0', port: 0, staticDir: dir });
});
afterAll(async () => {
  await loopback.close();
  await everywhere.close();
  engine.close();
});

/** A raw request, so Host and Origin can be set to anything. */
function request(port: number, opts: { path: string; method?: string; headers?: Record<string, string> }) {
  return new Promise<{ status: number; body: string }>((resolve, reject) => {
    const req = http.request(
      { host: '127.0.0.1', port, path: opts.path, method: opts.method ?? 'POST', headers: opts.headers },
      (res) => {
        let body = '';
        res.on('data', (c) => (body += c));
        res.on('end', () => resolve({ status: res.statusCode!, body }));
      },
    );
    req.on('error', reject);
    req.end(opts.method === 'GET' ? undefined : '{}');
  });
}

test('loopback serve answers its own origin without a token', async () => {
  const res = await request(loopback.port, {
    path: '/api/info',
    headers: { host: `127.0.0.1:${loopback.port}`, origin: `http://127.0.0.1:${loopback.port}` },
  });
  expect(res.status).toBe(200);
  expect(loopback.token).toBeNull();
});

test('a cross-site Origin is refused', async () => {
  const res = await request(loopback.port, {
    path: '/api/info',
    headers: { host: `127.0.0.1:${loopback.port}`, origin: 'https://evil.example' },
  });
  expect(res.status).toBe(403);
  expect(res.body).toMatch(/Cross-origin request from https:\/\/evil.example refused/);
});

test('a foreign Host header (DNS rebinding) is refused, for pages and API alike', async () => {
  for (const p of ['/api/info', '/']) {
    const res = await request(loopback.port, { path: p, method: p === '/' ? 'GET' : 'POST', headers: { host: `attacker.example:${loopback.port}` } });
    expect(res.status).toBe(403);
    expect(res.body).toMatch(/DNS rebinding/);
  }
});

test('off loopback the API needs the printed token; the right token gets in', async () => {
  expect(everywhere.token).toMatch(/^[\w-]{20,}$/);
  const host = `127.0.0.1:${everywhere.port}`;
  const missing = await request(everywhere.port, { path: '/api/info', headers: { host } });
  expect(missing.status).toBe(401);
  const wrong = await request(everywhere.port, { path: '/api/info', headers: { host, authorization: 'Bearer nope' } });
  expect(wrong.status).toBe(401);
  const right = await request(everywhere.port, { path: '/api/info', headers: { host, authorization: `Bearer ${everywhere.token}` } });
  expect(right.status).toBe(200);
  const sse = await request(everywhere.port, { path: `/api/events?token=wrong`, method: 'GET', headers: { host } });
  expect(sse.status).toBe(401);
});

test('static files cannot escape the renderer folder', async () => {
  expect(resolveStaticPath(dir, '/../metacot-secret.txt')).toBe(path.join(dir, 'metacot-secret.txt'));
  expect(resolveStaticPath(dir, '/%2e%2e/%2e%2e/etc/passwd')).toBe(path.join(dir, 'etc/passwd'));
  expect(resolveStaticPath(dir, '/a%00b')).toBeNull();
  const res = await request(loopback.port, {
    path: '/..%2f..%2fmetacot-secret.txt',
    method: 'GET',
    headers: { host: `127.0.0.1:${loopback.port}` },
  });
  expect(res.body).not.toContain('secret');
  const page = await request(loopback.port, { path: '/', method: 'GET', headers: { host: `localhost:${loopback.port}` } });
  expect(page.status).toBe(200);
  expect(page.body).toContain('<title>studio</title>');
});
