/**
 * Imported long chains of thought go through the same trace choices as searched trees: the R1-style
 * fixture (tests/fixtures/longcot/r1-perfect-square.md, gold 38) has a wrong first attempt ("the
 * answer is 0"), a correction, and a second approach; kept as the solution path only it loses the
 * wrong attempt, and with `correct` masking the wrong attempt is outside the loss spans.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ExportOptions, ImportRequest, type ExportOptionsInput } from '../../../common/contract/export';
import { previewExport } from '../../../main/engine/export/run-export';
import { importFile } from '../../../main/engine/import/run-import';
import { Store } from '../../../main/engine/store/store';
import { SHAPES } from '../longcot/fixture';

let dir: string;
let store: Store;
beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'metacot-longcot-trace-'));
  const file = path.join(dir, 'r1.jsonl');
  fs.writeFileSync(file, `${JSON.stringify(SHAPES.chatThink)}\n`);
  store = Store.open(path.join(dir, 'lc.db'));
  const summary = await importFile(store, ImportRequest.parse({ format: 'long-cot', path: file }));
  expect(summary.errors).toEqual([]);
});
afterAll(() => {
  store.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

type TraceInput = Extract<ExportOptionsInput, { format: 'trace' }>['trace'];

async function record(trace: TraceInput): Promise<{ completion: string; loss_spans?: [number, number][]; meta: { solved: boolean } }> {
  const summary = await previewExport(store.connection, ExportOptions.parse({ format: 'trace', trace: { order: 'dfs', stopAtGoal: false, ...trace } }));
  expect(summary.records).toBe(1);
  return summary.sample as never;
}

const WRONG = 'so the answer is 0';

describe('long-CoT transcripts as traces', () => {
  it('the whole transcript, with [BACK] tokens where it abandons an attempt', async () => {
    const r = await record({ backtrack: 'token' });
    expect(r.meta.solved).toBe(true);
    expect(r.completion).toContain(WRONG);
    expect(r.completion).toContain('[BACK]');
  });

  it('the solution path alone leaves out the wrong attempt', async () => {
    const r = await record({ backtrack: 'token', keep: 'solution' });
    expect(r.completion).not.toContain(WRONG);
    expect(r.completion).not.toContain('[BACK]');
    expect(r.completion).toContain('\\boxed{38}');
  });

  it('masking incorrect branches keeps the wrong attempt out of the loss', async () => {
    const r = await record({ backtrack: 'natural', lossMask: 'correct' });
    const chars = [...r.completion];
    const trained = r.loss_spans!.map(([a, b]) => chars.slice(a, b).join('')).join('\n');
    expect(r.completion).toContain(WRONG);
    expect(trained).not.toContain(WRONG);
    expect(trained).toContain('Let me go back');
    expect(trained).toContain('\\boxed{38}');
  });
});
