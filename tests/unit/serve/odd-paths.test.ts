/** A request target that is no valid relative URL ("//") gets a 400; the server stays up. */
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { Engine } from '../../../main/engine/engine';
import { startServer, type RunningServer } from '../../../main/engine/serve/server';
import { seedSampleTree } from '../../helpers/seed';

let engine: Engine;
let server: RunningServer;

beforeAll(async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'metacot-odd-paths-'));
  engine = new Engine(seedSampleTree(path.join(dir, 'o.db')).store);
  server = await startServer(engine, { port: 0, staticDir: dir });
});
afterAll(async () => {
  await server.close();
  engine.close();
});

/** Sends a raw request line (fetch would normalise the path) and returns the status code. */
function rawStatus(target: string): Promise<number> {
  const { hostname, port } = new URL(server.url);
  return new Promise((resolve, reject) => {
    const socket = net.connect(Number(port), hostname, () => {
      socket.write(`GET ${target} HTTP/1.1\r\nHost: ${hostname}:${port}\r\nConnection: close\r\n\r\n`);
    });
    let data = '';
    socket.on('data', (d) => (data += d.toString()));
    socket.on('end', () => resolve(Number(/^HTTP\/1\.1 (\d{3})/.exec(data)?.[1] ?? 0)));
    socket.on('error', reject);
  });
}

test('"//" answers 400, "//host/x" is an ordinary path, and the next request still works', async () => {
  expect(await rawStatus('//')).toBe(400);
  // Parsed as a path on this server (here: no studio build in the folder, so 503), never a crash.
  expect(await rawStatus('//evil.example/x')).toBe(503);
  const res = await fetch(`${server.url}api/info`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
  expect(res.status).toBe(200);
});
