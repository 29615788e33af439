/**
 * Trace linearisation choices against golden text written by hand
 * (tests/fixtures/formats/trace-linearisations.json) for run 2 of the fixture database
 * (tests/unit/export/fixtures.ts: the GSM8K tree), walked depth first without stopping at the goal:
 * explore 0,0 then its children 0,0,0 (correct) and 0,0,1 (wrong), back to the root, 0,1 and 0,1,0.
 *
 * Sources of each style: `[BACK]` tokens as in the backtracking-token variants of search-trace
 * training; ASTRO (Kim et al. 2025, "Teaching language models to reason like search algorithms")
 * writes backtracks as self-reflection sentences; the Meta-CoT paper (Xiang et al. 2025, sec. 4)
 * compares full traces, traces with the solution only, and masking incorrect branches; loss spans
 * are [start, end) offsets in code points of the completion, the convention Python slicing uses.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ExportOptions, type ExportOptionsInput } from '../../../common/contract/export';
import { previewExport } from '../../../main/engine/export/run-export';
import { useFixtureDb } from './files';

type Golden = Record<string, { completion: string; loss_spans?: [number, number][] }>;
const GOLDEN = JSON.parse(fs.readFileSync(path.join(__dirname, '../../fixtures/formats/trace-linearisations.json'), 'utf8')) as Golden;
const db = useFixtureDb('metacot-lin-');

type TraceInput = Extract<ExportOptionsInput, { format: 'trace' }>['trace'];

async function firstRecord(trace: TraceInput, runIds = [2]): Promise<Record<string, unknown>> {
  const summary = await previewExport(db.fx.store.connection, ExportOptions.parse({ format: 'trace', filters: { runIds }, trace }));
  expect(summary.sample).not.toBeNull();
  return summary.sample!;
}

const DFS_ALL = { order: 'dfs', stopAtGoal: false } as const;

describe('trace linearisations match their golden text', () => {
  it('[BACK] tokens, incorrect branches masked out of the loss', async () => {
    const row = await firstRecord({ ...DFS_ALL, backtrack: 'token', lossMask: 'correct' });
    expect({ completion: row.completion, loss_spans: row.loss_spans }).toEqual(GOLDEN['token-correct']);
  });

  it('ASTRO-style sentences, the whole trace trained', async () => {
    const row = await firstRecord({ ...DFS_ALL, backtrack: 'natural', lossMask: 'all' });
    expect({ completion: row.completion, loss_spans: row.loss_spans }).toEqual(GOLDEN['natural-all']);
  });

  it('the tree with parent pointers', async () => {
    const row = await firstRecord({ ...DFS_ALL, backtrack: 'tree' });
    expect({ completion: row.completion }).toEqual(GOLDEN.tree);
    expect(row).not.toHaveProperty('loss_spans');
  });

  it('the solution path alone, with the solution appended and only the answer trained', async () => {
    const row = await firstRecord({ ...DFS_ALL, backtrack: 'token', keep: 'solution', appendSolution: true, lossMask: 'answer' });
    expect({ completion: row.completion, loss_spans: row.loss_spans }).toEqual(GOLDEN['solution-answer']);
  });

  it('the solution path and the first failed branch', async () => {
    const row = await firstRecord({ ...DFS_ALL, backtrack: 'token', keep: 'first-failed', failedBranches: 1 });
    expect({ completion: row.completion }).toEqual(GOLDEN['first-failed-1']);
  });

  it('spans index the completion in code points: each span is whole lines of it', async () => {
    const row = await firstRecord({ ...DFS_ALL, backtrack: 'token', lossMask: 'correct' });
    const text = [...(row.completion as string)];
    for (const [a, b] of row.loss_spans as [number, number][]) {
      expect(a === 0 || text[a - 1] === '\n').toBe(true);
      expect(b === text.length || text[b] === '\n').toBe(true);
    }
  });
});

describe('Dualformer-style dropping', () => {
  it('is reproducible from its seed and never drops the solution path', async () => {
    const drop = (seed: number, rate: number) => firstRecord({ ...DFS_ALL, backtrack: 'token', drop: { rate, seed } });
    expect(await drop(7, 0.5)).toEqual(await drop(7, 0.5));
    const all = (await drop(7, 1)).completion as string;
    expect(all).toBe(GOLDEN['solution-answer']!.completion.split('\nSolution:')[0]);
  });

  it('collapses a whole trace to its solution path at wholeTrace = 1', async () => {
    const row = await firstRecord({ ...DFS_ALL, backtrack: 'token', drop: { wholeTrace: 1 } });
    expect(row.completion).toBe(GOLDEN['solution-answer']!.completion.split('\nSolution:')[0]);
  });
});

describe('approved paths and trees that have nothing to keep', () => {
  it('approved keeps only steps whose whole path alice rated +1', async () => {
    const summary = await previewExport(
      db.fx.store.connection,
      ExportOptions.parse({
        format: 'trace',
        labels: { kind: 'annotator', annotator: 'alice' },
        filters: { runIds: [2] },
        trace: { ...DFS_ALL, backtrack: 'token', keep: 'approved' },
      }),
    );
    // alice: 1 +1, 3 +1; 2, 4, 5 are -1.
    expect(summary.sample!.completion).toBe('Natalia sold 48/2 = 24 clips in May.\nAltogether she sold 48+24 = 72 clips.\nThe answer is 72');
  });

  it('keep: solution leaves out an unsolved tree and says why', async () => {
    const summary = await previewExport(db.fx.store.connection, ExportOptions.parse({ format: 'trace', filters: { runIds: [3] }, trace: { keep: 'solution' } }));
    expect(summary.records).toBe(0);
    expect(summary.skipped).toEqual({ 'tree without a solution': 1 });
  });
});
