/**
 * Attack cases 5 and 7 (the HTTP half) of issue 21: cross-site calls without an Origin header,
 * an empty Host, oversized and deeply nested bodies answered at once, and a client that stops
 * reading events cannot make the server buffer without bound.
 */
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { Engine } from '../../main/engine/engine';
import { MAX_BODY_BYTES } from '../../main/engine/serve/body';
import { startServer, type RunningServer } from '../../main/engine/serve/server';
import { Store } from '../../main/engine/store/store';

let engine: Engine;
let server: RunningServer;

beforeAll(async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'metacot-http-attack-'));
  engine = new Engine(Store.open(path.join(dir, 'h.db')));
  server = await startServer(engine, { port: 0, staticDir: dir });
});
afterAll(async () => {
  await server.close();
  engine.close();
});

/** Sends raw bytes and reads the status line (or the whole reply when `wholeReply`). */
function raw(request: string | Buffer, options: { endAfter?: boolean } = {}): Promise<{ status: number; text: string; ms: number }> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const socket = net.connect(server.port, '127.0.0.1', () => {
      socket.write(request);
      if (options.endAfter) socket.end();
    });
    let text = '';
    socket.on('data', (chunk) => {
      text += chunk.toString('latin1');
      const status = /^HTTP\/1\.1 (\d{3})/.exec(text);
      if (status && text.includes('\r\n\r\n') && /\}\s*$/.test(text)) {
        socket.destroy();
        resolve({ status: Number(status[1]), text, ms: performance.now() - started });
      }
    });
    socket.on('error', reject);
    socket.on('close', () => {
      const status = /^HTTP\/1\.1 (\d{3})/.exec(text);
      resolve({ status: status ? Number(status[1]) : 0, text, ms: performance.now() - started });
    });
  });
}

const post = (headers: Record<string, string>, body = '{}') =>
  `POST /api/info HTTP/1.1\r\n${Object.entries({ 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(body)), connection: 'close', ...headers })
    .map(([k, v]) => `${k}: ${v}`)
    .join('\r\n')}\r\n\r\n${body}`;

const own = () => `127.0.0.1:${server.port}`;

test('a POST with no Origin but Sec-Fetch-Site: cross-site, or a foreign Referer, is refused', async () => {
  const crossSite = await raw(post({ host: own(), 'sec-fetch-site': 'cross-site', referer: 'https://evil.example/page' }));
  expect(crossSite.status).toBe(403);
  const sameSite = await raw(post({ host: own(), 'sec-fetch-site': 'same-site' }));
  expect(sameSite.status).toBe(403);
  const referer = await raw(post({ host: own(), referer: 'https://evil.example/page' }));
  expect(referer.status).toBe(403);
  expect(referer.text).toMatch(/Referer/);
});

test('the studio page itself still calls the API (same-origin fetch metadata, own Referer, or neither)', async () => {
  expect((await raw(post({ host: own(), 'sec-fetch-site': 'same-origin', referer: `http://${own()}/` }))).status).toBe(200);
  expect((await raw(post({ host: own() }))).status).toBe(200);
});

test('an empty Host header is refused', async () => {
  const r = await raw(post({ host: '' }));
  expect(r.status).toBe(400);
  expect(r.text).toMatch(/Host/);
});

test('a 200 MB declared body gets 413 at once, before any of it is sent', async () => {
  const r = await raw(`POST /api/addProblems HTTP/1.1\r\nhost: ${own()}\r\ncontent-type: application/json\r\ncontent-length: ${200 * 1024 * 1024}\r\n\r\n{"problems":[`);
  expect(r.status).toBe(413);
  expect(r.ms).toBeLessThan(5_000);
});

test('a chunked body past the limit is drained and refused with 413', async () => {
  const chunk = Buffer.alloc(1024 * 1024, 0x20);
  const parts: Buffer[] = [Buffer.from(`POST /api/info HTTP/1.1\r\nhost: ${own()}\r\ntransfer-encoding: chunked\r\nconnection: close\r\n\r\n`)];
  for (let sent = 0; sent <= MAX_BODY_BYTES; sent += chunk.length) parts.push(Buffer.from(`${chunk.length.toString(16)}\r\n`), chunk, Buffer.from('\r\n'));
  parts.push(Buffer.from('0\r\n\r\n'));
  expect((await raw(Buffer.concat(parts))).status).toBe(413);
});

test('JSON nested 100,000 deep is refused with 400 without parsing it, and the server keeps answering', async () => {
  const deep = `{"problems":[{"task":"math","prompt":"p","metadata":${'['.repeat(100_000)}${']'.repeat(100_000)}}]}`;
  const r = await raw(post({ host: own() }, deep).replace('/api/info', '/api/addProblems'));
  expect(r.status).toBe(400);
  expect(r.text).toMatch(/deeper than 64/);
  // Deep but legal nesting inside a string is not depth.
  const inString = JSON.stringify({ problems: [{ task: 'math', prompt: '['.repeat(10_000), goldAnswer: '1' }] });
  expect((await raw(post({ host: own() }, inString).replace('/api/info', '/api/addProblems'))).status).toBe(200);
});

test('a client that stops reading events is dropped instead of buffered without bound', async () => {
  const socket = net.connect(server.port, '127.0.0.1');
  await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
  socket.write(`GET /api/events HTTP/1.1\r\nhost: ${own()}\r\n\r\n`);
  socket.pause();
  let closed = false;
  socket.on('close', () => (closed = true));
  socket.on('error', () => undefined);
  const frame = 'x'.repeat(100_000);
  const total = 64 * 1024 * 1024;
  for (let sent = 0; sent < total; sent += frame.length) {
    engine.events.emit('databaseChanged', { dbPath: frame });
    await new Promise((resolve) => setImmediate(resolve));
  }
  let received = 0;
  socket.on('data', (chunk: Buffer) => (received += chunk.length));
  socket.resume();
  const deadline = Date.now() + 20_000;
  while (!closed && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
  expect(closed).toBe(true);
  // What reached the client is what the kernel buffered plus at most the server's cap, not 64 MB.
  expect(received).toBeLessThan(total / 2);
});
