/** Every export format against a golden file written by hand from its specification. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ExportRequest, type ExportOptionsInput } from '../../../common/contract/export';
import { exportDataset } from '../../../main/engine/export/run-export';
import { buildFixtureDb, type FixtureDb } from './fixtures';

const GOLDEN = path.join(__dirname, '../../fixtures/formats');
let dir: string;
let fx: FixtureDb;

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'metacot-golden-'));
  fx = buildFixtureDb(path.join(dir, 'fixture.db'));
});
afterAll(() => {
  fx.store.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

const readJsonl = (file: string) =>
  fs
    .readFileSync(file, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as unknown);

async function exportRows(name: string, input: ExportOptionsInput): Promise<unknown[]> {
  const outDir = path.join(dir, name);
  await exportDataset(fx.store.connection, ExportRequest.parse({ ...input, outDir }));
  const file = path.join(outDir, 'train.jsonl');
  // No records, no file: an export writes no empty split files.
  return fs.existsSync(file) ? readJsonl(file) : [];
}

const CASES: [golden: string, options: ExportOptionsInput][] = [
  ['trl.jsonl', { format: 'trl', labels: { kind: 'annotator', annotator: 'alice' } }],
  [
    'trl-majority-first-error.jsonl',
    { format: 'trl', labels: { kind: 'majority' }, trl: { stopAtFirstError: true, meta: false } },
  ],
  ['prm800k.jsonl', { format: 'prm800k', labels: { kind: 'annotator', annotator: 'alice' }, filters: { runIds: [1, 2] } }],
  [
    'prm800k-all-spines.jsonl',
    { format: 'prm800k', labels: { kind: 'annotator', annotator: 'alice' }, filters: { runIds: [1] }, prm800k: { spines: 'all' } },
  ],
  ['math-shepherd.jsonl', { format: 'math-shepherd', labels: { kind: 'annotator', annotator: 'alice' } }],
  ['math-shepherd-soft.jsonl', { format: 'math-shepherd', filters: { runIds: [1, 2] }, mathShepherd: { variant: 'soft' } }],
  ['trace-sos-dfs.jsonl', { format: 'trace', filters: { runIds: [1] }, trace: { order: 'dfs' } }],
  ['trace-sos-bfs.jsonl', { format: 'trace', filters: { runIds: [1, 3] }, trace: { order: 'bfs' } }],
  [
    'trace-generic.jsonl',
    {
      format: 'trace',
      labels: { kind: 'annotator', annotator: 'alice' },
      filters: { runIds: [2] },
      trace: { order: 'dfs', stopAtGoal: false },
    },
  ],
  ['preference.jsonl', { format: 'preference', labels: { kind: 'majority' }, filters: { runIds: [1] } }],
];

describe('exports match their golden files', () => {
  it.each(CASES)('%s', async (golden, options) => {
    const rows = await exportRows(golden.replace('.jsonl', ''), options);
    expect(rows).toEqual(readJsonl(path.join(GOLDEN, golden)));
  });
});

describe('label mapping options', () => {
  it('TRL maps a 0 rating to false when asked', async () => {
    const rows = (await exportRows('trl-neutral-false', {
      format: 'trl',
      labels: { kind: 'annotator', annotator: 'alice' },
      filters: { runIds: [1] },
      trl: { neutralAs: 'false' },
    })) as { completions: string[]; labels: boolean[] }[];
    expect(rows.find((r) => r.completions[0] === '4+3=7')!.labels).toEqual([false, false]);
  });

  it('TRL keeps only paths labeled to their leaf when asked', async () => {
    const rows = (await exportRows('trl-full', {
      format: 'trl',
      labels: { kind: 'majority' },
      filters: { runIds: [1] },
      trl: { fullyLabeledOnly: true },
    })) as { completions: string[] }[];
    // Path 3 -> 7 has no majority label on 7 (a tie), so it is left out.
    expect(rows.map((r) => r.completions.join(' | '))).toEqual(['9*3=27 | 27-4=23', '9-3=6 | 4*6=24', '9-3=6 | 6-4=2']);
  });

  it('Math-Shepherd lists +/- for OpenRLHF when asked', async () => {
    const rows = (await exportRows('ms-list', {
      format: 'math-shepherd',
      labels: { kind: 'annotator', annotator: 'alice' },
      filters: { runIds: [1] },
      mathShepherd: { labelStyle: 'list' },
    })) as { label: string[] }[];
    expect(rows.map((r) => r.label)).toEqual([['+', '-'], ['+', '+'], ['+', '-'], ['-', '+']]);
  });

  it('chat-style traces hold the problem as the user turn and the trace as the assistant turn', async () => {
    const [row] = (await exportRows('trace-chat', {
      format: 'trace',
      filters: { runIds: [1] },
      trace: { order: 'dfs', style: 'chat' },
    })) as { messages: { role: string; content: string }[] }[];
    const [golden] = readJsonl(path.join(GOLDEN, 'trace-sos-dfs.jsonl')) as { prompt: string; completion: string }[];
    // The user turn is SoS's prompt line; the assistant turn the rest, without the newline that joins them.
    expect(row!.messages).toEqual([
      { role: 'user', content: golden!.prompt },
      { role: 'assistant', content: golden!.completion.slice(1) },
    ]);
  });

  it('adjudicated labels override the majority where a reviewer set one', async () => {
    fx.store.connection
      .prepare("INSERT INTO adjudications (node_id, run_id, rating, reviewer) VALUES (?, 1, 1, 'dana')")
      .run(fx.ids[1][7]!);
    try {
      const rows = (await exportRows('trl-adjudicated', {
        format: 'trl',
        labels: { kind: 'adjudicated' },
        filters: { runIds: [1] },
      })) as { completions: string[]; labels: boolean[] }[];
      // 7 was a tie under the majority (no label); dana's final +1 completes the path 3 -> 7.
      expect(rows.find((r) => r.completions[0] === '4+3=7')!.labels).toEqual([false, true]);
      expect(rows.find((r) => r.completions[0] === '9*3=27')!.labels).toEqual([true, false]);
    } finally {
      fx.store.connection.prepare('DELETE FROM adjudications').run();
    }
  });

  it('exact and Monte-Carlo labels need no annotator', async () => {
    const exact = (await exportRows('trl-exact', { format: 'trl', labels: { kind: 'exact' }, filters: { runIds: [1] } })) as {
      labels: boolean[];
    }[];
    expect(exact.map((r) => r.labels)).toEqual([[false, false], [true, true], [true, false], [false, false]]);
    const mc = (await exportRows('trl-mc', { format: 'trl', labels: { kind: 'mc' }, filters: { runIds: [1] } })) as {
      labels: boolean[];
    }[];
    expect(mc.map((r) => r.labels)).toEqual([[false, false], [true, true], [true, false], [false, false]]);
  });

  it('filters: tasks, statuses, creation dates and label status', async () => {
    const count = async (filters: NonNullable<ExportOptionsInput['filters']>) =>
      (await exportRows(`filter-${JSON.stringify(filters).replace(/\W+/g, '-')}`, { format: 'trace', filters })).length;
    expect(await count({})).toBe(3);
    expect(await count({ tasks: ['math'] })).toBe(1);
    expect(await count({ statuses: ['failed'] })).toBe(0);
    // Runs were created 2024-05-01T09:00Z: a bare "to" date covers its whole day.
    expect(await count({ createdFrom: '2024-05-01', createdTo: '2024-05-01' })).toBe(3);
    expect(await count({ createdTo: '2024-04-30' })).toBe(0);
    expect(await count({ createdFrom: '2024-05-01T09:00:01Z' })).toBe(0);
    // Majority labels: run 1 has an unlabeled step (a tie), run 2 is fully labeled, run 3 has none.
    expect(await count({ labelStatus: 'complete' })).toBe(1);
    expect(await count({ labelStatus: 'labeled' })).toBe(2);
    expect(await count({ labelStatus: 'unlabeled' })).toBe(1);
  });

  it('pruned branches come back with includePruned', async () => {
    const rows = (await exportRows('trl-pruned', {
      format: 'trl',
      labels: { kind: 'annotator', annotator: 'alice' },
      filters: { runIds: [2] },
      includePruned: true,
    })) as { completions: string[] }[];
    expect(rows.map((r) => r.completions.at(-1))).toContain('The answer is 144');
    expect(rows.some((r) => r.completions.includes('So 48+96 = 144 clips.'))).toBe(true);
  });
});
