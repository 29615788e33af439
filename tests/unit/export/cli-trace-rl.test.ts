/** `metacot export` flags for trace linearisations and RL data reach the export as documented. */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../helpers/cli';
import { readJsonl, readParquetRows, useFixtureDb } from './files';

const db = useFixtureDb('metacot-cli-trace-');
const GOLDEN = JSON.parse(fs.readFileSync(path.join(__dirname, '../../fixtures/formats/trace-linearisations.json'), 'utf8')) as Record<
  string,
  { completion: string; loss_spans?: [number, number][] }
>;

const exportCli = (...args: string[]) => runCli('export', '--db', path.join(db.dir, 'fixture.db'), ...args);

describe('metacot export --format trace', () => {
  it('--backtrack token --keep first-failed --failed-branches 1 --loss-mask correct', async () => {
    const out = path.join(db.dir, 'ff');
    const r = await exportCli('--format', 'trace', '--runs', '2', '--order', 'dfs', '--no-stop-at-goal', '--backtrack', 'token', '--keep', 'first-failed', '--failed-branches', '1', '--loss-mask', 'correct', '--out', out);
    expect(r.code, r.err).toBe(0);
    const [row] = readJsonl(path.join(out, 'train.jsonl'));
    expect(row!.completion).toBe(GOLDEN['first-failed-1']!.completion);
    // Only the step under the dead end "The answer is 24" is masked out.
    const text = row!.completion as string;
    const trained = (row!.loss_spans as [number, number][]).map(([a, b]) => [...text].slice(a, b).join('')).join('|');
    expect(trained).not.toContain('The answer is 24');
    expect(trained).toContain('[BACK]');
    const card = fs.readFileSync(path.join(out, 'README.md'), 'utf8');
    expect(card).toContain('one `[BACK]` line per step undone');
    expect(card).toContain('the solution path and the first 1 dead end(s)');
    expect(card).toContain('leave out the steps of incorrect branches');
  });

  it('a bad choice is refused with the allowed values', async () => {
    const r = await exportCli('--format', 'trace', '--backtrack', 'sideways', '--dry-run');
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/backtrack/);
    expect(r.err).toMatch(/token/);
  });
});

describe('metacot export --format rl', () => {
  it('--target verl needs --parquet, and says so', async () => {
    const r = await exportCli('--format', 'rl', '--target', 'verl', '--out', path.join(db.dir, 'verl-jsonl'));
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/verl reads Parquet/);
    expect(fs.existsSync(path.join(db.dir, 'verl-jsonl'))).toBe(false);
  });

  it('--target verl --parquet --max-solve-rate 0.3 writes the two problems solved a quarter of the time and the unsolved one', async () => {
    const out = path.join(db.dir, 'verl');
    const r = await exportCli('--format', 'rl', '--target', 'verl', '--parquet', '--max-solve-rate', '0.3', '--out', out);
    expect(r.code, r.err).toBe(0);
    const rows = await readParquetRows(path.join(out, 'train.parquet'));
    expect(rows.map((x) => (x.extra_info as { solve_rate: number }).solve_rate)).toEqual([0.25, 0.25, 0]);
  });

  it('--target openrlhf --no-chat-prompt writes text prompts', async () => {
    const out = path.join(db.dir, 'orl');
    expect((await exportCli('--format', 'rl', '--target', 'openrlhf', '--no-chat-prompt', '--min-solve-rate', '0.1', '--out', out)).code).toBe(0);
    const rows = readJsonl(path.join(out, 'train.jsonl'));
    expect(rows).toHaveLength(2);
    for (const row of rows) expect(typeof row.prompt).toBe('string');
  });
});
