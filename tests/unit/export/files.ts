/** Test helpers: a fixture database per test file, and export files read back as rows. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parquetReadObjects } from 'hyparquet';
import { afterAll, beforeAll } from 'vitest';
import { buildFixtureDb, type FixtureDb } from './fixtures';

/** Builds the fixture database once for the calling test file in a fresh temp folder, removed after. */
export function useFixtureDb(prefix: string): { readonly dir: string; readonly fx: FixtureDb } {
  const state = {} as { dir: string; fx: FixtureDb };
  beforeAll(() => {
    state.dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
    state.fx = buildFixtureDb(path.join(state.dir, 'fixture.db'));
  });
  afterAll(() => {
    state.fx.store.close();
    fs.rmSync(state.dir, { recursive: true, force: true });
  });
  return state;
}

export function readJsonl(file: string): Record<string, unknown>[] {
  return fs
    .readFileSync(file, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as Record<string, unknown>);
}

/** Rows of a Parquet file through hyparquet (an independent reader); INT64 as plain numbers. */
export async function readParquetRows(file: string): Promise<Record<string, unknown>[]> {
  const buffer = fs.readFileSync(file);
  const rows = await parquetReadObjects({ file: buffer.buffer.slice(buffer.byteOffset, buffer.byteOffset + buffer.byteLength) as ArrayBuffer });
  return JSON.parse(JSON.stringify(rows, (_k, v: unknown) => (typeof v === 'bigint' ? Number(v) : v))) as Record<string, unknown>[];
}
