/** Output files: Parquet holds the same records as JSONL; nothing is written outside the chosen folder. */
import { parquetReadObjects } from 'hyparquet';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ExportRequest, type ExportOptionsInput } from '../../../common/contract/export';
import { Engine } from '../../../main/engine/engine';
import { safeOutputFile } from '../../../main/engine/export/paths';
import { exportDataset, previewExport } from '../../../main/engine/export/run-export';
import { buildFixtureDb, type FixtureDb } from './fixtures';

let dir: string;
let fx: FixtureDb;
let counter = 0;

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'metacot-output-'));
  fx = buildFixtureDb(path.join(dir, 'fixture.db'));
});
afterAll(() => {
  fx.store.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

async function readParquet(file: string): Promise<Record<string, unknown>[]> {
  const buffer = fs.readFileSync(file);
  return parquetReadObjects({ file: buffer.buffer.slice(buffer.byteOffset, buffer.byteOffset + buffer.byteLength) as ArrayBuffer });
}

const readJsonl = (file: string) =>
  fs
    .readFileSync(file, 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as Record<string, unknown>);

/** JSON-typed Parquet columns hold text; parse them back for comparison. */
const parseJsonColumns = (row: Record<string, unknown>, columns: string[]) =>
  Object.fromEntries(Object.entries(row).map(([k, v]) => [k, columns.includes(k) ? JSON.parse(v as string) : v]));

describe('Parquet output', () => {
  const cases: [string, ExportOptionsInput, string[]][] = [
    ['trl', { format: 'trl', labels: { kind: 'annotator', annotator: 'alice' } }, ['meta']],
    ['prm800k', { format: 'prm800k', labels: { kind: 'annotator', annotator: 'alice' }, filters: { runIds: [1, 2] } }, ['question', 'label', 'meta']],
    ['math-shepherd soft', { format: 'math-shepherd', filters: { runIds: [1, 2] }, mathShepherd: { variant: 'soft' } }, []],
    ['trace chat', { format: 'trace', trace: { style: 'chat', order: 'dfs' } }, ['meta']],
    ['preference', { format: 'preference', labels: { kind: 'majority' } }, ['meta']],
  ];
  it.each(cases)('%s: the same records as JSONL', async (_name, options, jsonColumns) => {
    const jsonlDir = path.join(dir, `jsonl-${++counter}`);
    const parquetDir = path.join(dir, `parquet-${counter}`);
    await exportDataset(fx.store.connection, ExportRequest.parse({ ...options, outDir: jsonlDir }));
    const summary = await exportDataset(fx.store.connection, ExportRequest.parse({ ...options, outDir: parquetDir, parquet: true }));
    expect(summary.files.map((f) => path.basename(f.path))).toEqual(['train.parquet', 'README.md']);
    const rows = (await readParquet(path.join(parquetDir, 'train.parquet'))).map((r) => parseJsonColumns(r, jsonColumns));
    const expected = readJsonl(path.join(jsonlDir, 'train.jsonl'));
    // prm800k's generation is an INT64 column: null either way here.
    expect(rows).toEqual(expected);
  });
});

describe('output folder safety', () => {
  it('refuses file names that leave the folder or are not plain names', () => {
    for (const bad of ['../x.jsonl', 'a/b.jsonl', '..', '.hidden', '', 'x\u0000y', '/etc/passwd']) {
      expect(() => safeOutputFile(dir, bad)).toThrow(/Refusing/);
    }
    expect(safeOutputFile(dir, 'train.jsonl')).toBe(path.join(fs.realpathSync(dir), 'train.jsonl'));
  });

  it('refuses to write through a link planted where an output file goes', async () => {
    const outDir = path.join(dir, 'linked');
    fs.mkdirSync(outDir);
    const victim = path.join(dir, 'victim.txt');
    fs.writeFileSync(victim, 'keep me');
    fs.symlinkSync(victim, path.join(outDir, 'README.md'));
    await expect(
      exportDataset(fx.store.connection, ExportRequest.parse({ format: 'trl', outDir, overwrite: true })),
    ).rejects.toThrow(/Refusing to write/);
    expect(fs.readFileSync(victim, 'utf8')).toBe('keep me');
  });

  it('will not replace an earlier export unless asked, and then replaces it whole', async () => {
    const outDir = path.join(dir, 'again');
    const request = { format: 'trl', outDir, split: { testFraction: 0.5, seed: 5 } } as const;
    await exportDataset(fx.store.connection, ExportRequest.parse(request));
    await expect(exportDataset(fx.store.connection, ExportRequest.parse(request))).rejects.toThrow(/already holds an export/);
    await exportDataset(fx.store.connection, ExportRequest.parse({ ...request, split: { testFraction: 0 }, overwrite: true }));
    expect(fs.readdirSync(outDir).sort()).toEqual(['README.md', 'train.jsonl']);
  });

  it('leaves no partial files behind when an export fails', async () => {
    const outDir = path.join(dir, 'failing');
    await expect(
      exportDataset(fx.store.connection, ExportRequest.parse({ format: 'trl', outDir, labels: { kind: 'annotator', annotator: 'alice' }, filters: { runIds: [1] } }), {
        onProgress: () => {
          throw new Error('stop');
        },
      }),
    ).rejects.toThrow('stop');
    expect(fs.readdirSync(outDir)).toEqual([]);
  });
});

describe('through the API', () => {
  it('exportData, previewExport and importData validate their input and agree on counts', async () => {
    const engine = new Engine(fx.store);
    const bad = await engine.call('exportData', { format: 'csv', outDir: dir });
    expect(bad.ok).toBe(false);
    const preview = await engine.call('previewExport', { format: 'trl', labels: { kind: 'annotator', annotator: 'alice' } });
    const outDir = path.join(dir, 'api');
    const done = await engine.call('exportData', { format: 'trl', outDir, labels: { kind: 'annotator', annotator: 'alice' } });
    expect(preview.ok && done.ok).toBe(true);
    if (!preview.ok || !done.ok) return;
    const p = preview.value as { records: number; files: unknown[] };
    const d = done.value as { records: number; files: unknown[] };
    expect(p.records).toBe(7);
    expect(d.records).toBe(7);
    expect(p.files).toEqual([]);
    const direct = await previewExport(fx.store.connection, ExportRequest.parse({ format: 'trl', outDir, labels: { kind: 'majority' } }));
    // Majority paths: countdown [t,f] [t,t] [t,f] [f] (7 is a tie), math [t,t] [t,f] [f,f].
    expect(direct.labels).toEqual({ true: 7, false: 6 });
  });
});
