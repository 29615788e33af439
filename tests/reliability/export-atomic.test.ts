/**
 * Attack case 9 of issue 21: an export replacing an earlier one is killed (SIGKILL) at every step
 * of moving its files in. Whatever the moment, a folder with a dataset card holds exactly the
 * files the card lists, with the counts it states; and the next export cleans up what the killed
 * one left (staging folders, temporary files, its lock).
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { beforeAll, expect, test } from 'vitest';
import { Store } from '../../main/engine/store/store';
import { SAMPLE_STEPS } from '../helpers/seed';

const CLI = path.resolve('bin/metacot.js');
const KILLER = path.resolve('tests/reliability/fixtures/kill-in-folder.mjs');
let dir: string;
let db: string;

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'metacot-export-kill-'));
  db = path.join(dir, 'trees.db');
  // 20 problems with one tree each, so a 50% test split has files on both sides.
  const store = Store.open(db);
  for (let i = 0; i < 20; i++) {
    const problemId = store.problems.insert({ task: 'countdown', prompt: `24:[4, 9, 3] #${i}`, goldAnswer: '24', metadata: { numbers: [4, 9, 3], target: 24 } });
    const run = store.runs.create({ problemId, algorithm: 'bfs', policy: 'enumerator', seed: i });
    const writer = store.nodeWriter(run.id);
    for (const step of SAMPLE_STEPS) writer.add(step);
    writer.close();
    store.runs.setStatus(run.id, 'done');
  }
  store.close();
});

function exportInto(out: string, testFraction: string, killAt?: number) {
  const args = [CLI, 'export', '--db', db, '--format', 'trl', '--labels', 'exact', '--out', out, '--overwrite', '--test-fraction', testFraction];
  const env = { ...process.env, METACOT_TEST_KILL_DIR: out, METACOT_TEST_KILL_AT: String(killAt ?? 0) };
  return spawnSync(process.execPath, killAt ? ['--import', KILLER, ...args] : args, { env, encoding: 'utf8', timeout: 120_000 });
}

/** The card's counts table: records per listed file. */
function cardCounts(card: string): Map<string, number> {
  const counts = new Map<string, number>();
  for (const m of card.matchAll(/^\| (train|test) \| ([\w.]+) \| (\d+) \|/gm)) if (m[2] !== '-') counts.set(m[2]!, Number(m[3]));
  return counts;
}

/** A card, when present, lists exactly the data files in the folder, each with its line count. */
function expectConsistent(out: string, when: string): 'old' | 'new' | 'none' {
  const names = fs.readdirSync(out);
  const data = names.filter((n) => /^(train|test)\.jsonl$/.test(n)).sort();
  if (!names.includes('README.md')) return 'none';
  const counts = cardCounts(fs.readFileSync(path.join(out, 'README.md'), 'utf8'));
  expect([...counts.keys()].sort(), when).toEqual(data);
  for (const [name, records] of counts) {
    const lines = fs.readFileSync(path.join(out, name), 'utf8').trim().split('\n').length;
    expect(lines, `${when}: ${name}`).toBe(records);
  }
  return data.includes('test.jsonl') ? 'new' : 'old';
}

test('killed at each step of replacing an export, the folder never shows a card that lies; the next export cleans up', () => {
  const seen = new Set<string>();
  for (let killAt = 1; killAt <= 6; killAt++) {
    const out = path.join(dir, `out-${killAt}`);
    const first = exportInto(out, '0');
    expect(first.status, first.stderr).toBe(0);
    expect(expectConsistent(out, 'first export')).toBe('old');
    const killed = exportInto(out, '0.5', killAt);
    const state = expectConsistent(out, `killed at change ${killAt}`);
    seen.add(state);
    if (killed.status === 0) {
      // Fewer changes than killAt: the export finished.
      expect(state).toBe('new');
      break;
    }
    expect(killed.signal).toBe('SIGKILL');
    const again = exportInto(out, '0.5');
    expect(again.status, again.stderr).toBe(0);
    expect(expectConsistent(out, `after killed at ${killAt}`)).toBe('new');
    expect(fs.readdirSync(out).sort()).toEqual(['README.md', 'test.jsonl', 'train.jsonl']);
  }
  // The kills hit before, during and after the move: all three states were observed.
  expect(seen).toEqual(new Set(['old', 'none', 'new']));
});

test('a failed export (bad folder entry in the way) leaves the earlier export and no staging behind', () => {
  const out = path.join(dir, 'out-fail');
  expect(exportInto(out, '0').status).toBe(0);
  const before = fs.readFileSync(path.join(out, 'README.md'), 'utf8');
  // A folder where test.jsonl must go: the move is refused before anything is replaced.
  fs.mkdirSync(path.join(out, 'test.jsonl'));
  const failed = exportInto(out, '0.5');
  expect(failed.status).toBe(2);
  expect(fs.readFileSync(path.join(out, 'README.md'), 'utf8')).toBe(before);
  expect(fs.readdirSync(out).filter((n) => n.startsWith('.metacot-export'))).toEqual([]);
});

test("what a dead export left (an older version's .partial files, a staging folder, a lock) is removed; the user's own files stay", () => {
  const out = path.join(dir, 'out-leftovers');
  fs.mkdirSync(out);
  const dead = 2147483646;
  fs.writeFileSync(path.join(out, `train.jsonl.${dead}-0123abcd.partial`), 'half');
  fs.mkdirSync(path.join(out, `.metacot-export-${dead}-abc123`));
  fs.writeFileSync(path.join(out, '.metacot-export.lock'), String(dead));
  fs.writeFileSync(path.join(out, 'notes.1-a.partial'), 'mine');
  fs.writeFileSync(path.join(out, 'train.py'), 'mine');
  const r = exportInto(out, '0');
  expect(r.status, r.stderr).toBe(0);
  expect(fs.readdirSync(out).sort()).toEqual(['README.md', 'notes.1-a.partial', 'train.jsonl', 'train.py']);
});
