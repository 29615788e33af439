/**
 * Annotators' labels are weeks of paid work: kill `metacot serve` with SIGKILL between label
 * writes, many times at seeded random moments, and check that every acknowledged label and its
 * history row survived, and that the database is intact.
 */
import Database from 'better-sqlite3';
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect, test } from 'vitest';
import { Random } from '../../main/engine/tasks/random';
import { seedSampleTree } from '../helpers/seed';

const KILLS = 20;

function startServe(db: string): Promise<{ child: ChildProcess; url: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['bin/metacot.js', 'serve', '--db', db, '--port', '0'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const m = /http:\/\/127\.0\.0\.1:\d+\//.exec(out);
      if (m) resolve({ child, url: m[0] });
    });
    child.on('exit', (code) => reject(new Error(`serve exited early (${code}): ${out}`)));
  });
}

test(`labels acknowledged before a SIGKILL survive it (${KILLS} kills)`, async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'metacot-kill-'));
  const db = path.join(dir, 'labels.db');
  const { store, ids } = seedSampleTree(db);
  store.close();
  const rng = new Random(20261126);
  const acknowledged = new Map<string, number>(); // "node/annotator" -> last acknowledged rating
  let writes = 0;
  for (let k = 0; k < KILLS; k++) {
    const { child, url } = await startServe(db);
    const deadline = Date.now() + rng.int(20, 250);
    const inFlight: Promise<void>[] = [];
    while (Date.now() < deadline) {
      const nodeId = ids[rng.int(1, ids.length - 1)]!;
      const annotator = `ann${rng.int(1, 3)}`;
      const rating = rng.int(-1, 1);
      const p = fetch(`${url}api/setLabel`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ nodeId, annotator, rating }),
      })
        .then(async (res) => {
          if (res.ok && ((await res.json()) as { ok: boolean }).ok) acknowledged.set(`${nodeId}/${annotator}`, rating);
        })
        .catch(() => undefined); // killed mid-request: not acknowledged
      inFlight.push(p);
      await p; // sequential writes, so "last acknowledged" is well defined
      writes++;
    }
    child.kill('SIGKILL');
    await new Promise((r) => child.once('exit', r));
    await Promise.all(inFlight);
  }
  const check = new Database(db);
  expect(check.pragma('integrity_check', { simple: true })).toBe('ok');
  const rows = check.prepare('SELECT node_id, annotator, rating FROM annotations').all() as { node_id: number; annotator: string; rating: number }[];
  const stored = new Map(rows.map((r) => [`${r.node_id}/${r.annotator}`, r.rating]));
  for (const [key, rating] of acknowledged) expect(stored.get(key), key).toBe(rating);
  const history = (check.prepare("SELECT count(*) AS n FROM history WHERE action = 'do'").get() as { n: number }).n;
  expect(history).toBeGreaterThanOrEqual(acknowledged.size);
  check.close();
  console.log(`reliability: ${KILLS} SIGKILLs over ${writes} label writes; ${acknowledged.size} acknowledged labels all present, ${history} history rows`);
}, 120_000);
