/**
 * Parquet output for Hugging Face datasets (hyparquet-writer). Rows are buffered into a row
 * group of bounded size and written as each group fills, so memory stays flat. Lists are
 * standard 3-level LIST columns; nested objects (`json`) are JSON text.
 */
import fs from 'node:fs';
import { ParquetWriter, fileWriter, type SchemaElement } from 'hyparquet-writer';
import type { ColumnKind, ColumnSpec, ExportRow, RecordSink } from './types';

const MAX_GROUP_ROWS = 10_000;
const MAX_GROUP_CHARS = 32 << 20;

type Leaf = Pick<SchemaElement, 'type' | 'converted_type'>;
const STRING: Leaf = { type: 'BYTE_ARRAY', converted_type: 'UTF8' };

function leafOf(kind: ColumnKind): Leaf {
  switch (kind) {
    case 'string':
    case 'string?':
    case 'json':
    case 'string[]':
      return STRING;
    case 'int?':
      return { type: 'INT64' };
    case 'double?':
    case 'double[]':
      return { type: 'DOUBLE' };
    case 'bool':
    case 'bool?':
    case 'bool[]':
      return { type: 'BOOLEAN' };
    case 'messages':
    case 'struct':
      return STRING;
  }
}

/** Schema elements of one column (a group with its leaves for `messages` and `struct`). */
function columnSchema({ name, kind, fields }: ColumnSpec): SchemaElement[] {
  if (kind === 'struct') {
    const children = fields ?? [];
    return [{ name, repetition_type: 'REQUIRED', num_children: children.length }, ...children.flatMap(columnSchema)];
  }
  if (kind === 'messages') {
    return [
      { name, repetition_type: 'REQUIRED', converted_type: 'LIST', num_children: 1 },
      { name: 'list', repetition_type: 'REPEATED', num_children: 1 },
      { name: 'element', repetition_type: 'REQUIRED', num_children: 2 },
      { name: 'role', ...STRING, repetition_type: 'REQUIRED' },
      { name: 'content', ...STRING, repetition_type: 'REQUIRED' },
    ];
  }
  if (kind.endsWith('[]')) {
    return [
      { name, repetition_type: 'REQUIRED', converted_type: 'LIST', num_children: 1 },
      { name: 'list', repetition_type: 'REPEATED', num_children: 1 },
      { name: 'element', ...leafOf(kind), repetition_type: 'REQUIRED' },
    ];
  }
  return [{ name, ...leafOf(kind), repetition_type: kind.endsWith('?') ? 'OPTIONAL' : 'REQUIRED' }];
}

function schemaOf(columns: ColumnSpec[]): SchemaElement[] {
  return [{ name: 'root', num_children: columns.length }, ...columns.flatMap(columnSchema)];
}

function cell(spec: ColumnSpec, value: unknown): unknown {
  const { kind } = spec;
  if (kind === 'struct') {
    const record = (value ?? {}) as Record<string, unknown>;
    return Object.fromEntries((spec.fields ?? []).map((f) => [f.name, cell(f, record[f.name])]));
  }
  if (kind === 'json') return JSON.stringify(value ?? null);
  if (kind === 'int?') return value === null || value === undefined ? null : BigInt(value as number);
  if (kind.endsWith('?')) return value ?? null;
  return value;
}

/** Rough text size of a cell, to bound a row group's memory. */
function approxChars(value: unknown): number {
  if (typeof value === 'string') return value.length;
  if (Array.isArray(value)) return value.reduce((sum: number, v) => sum + approxChars(v), 8);
  if (value && typeof value === 'object') return Object.values(value).reduce((sum: number, v) => sum + approxChars(v), 8);
  return 8;
}

export class ParquetSink implements RecordSink {
  private readonly writer: ParquetWriter;
  private columns: unknown[][];
  private rows = 0;
  private chars = 0;

  constructor(
    private readonly file: string,
    private readonly spec: ColumnSpec[],
    createdBy: string,
  ) {
    // Create the file exclusively first: fileWriter truncates whatever path it is given.
    fs.closeSync(fs.openSync(file, 'wx'));
    this.writer = new ParquetWriter({ writer: fileWriter(file), schema: schemaOf(spec), createdBy });
    this.columns = spec.map(() => []);
  }

  async write(row: ExportRow): Promise<void> {
    this.spec.forEach((c, k) => {
      const value = cell(c, row[c.name]);
      this.columns[k]!.push(value);
      this.chars += approxChars(value);
    });
    this.rows += 1;
    if (this.rows >= MAX_GROUP_ROWS || this.chars >= MAX_GROUP_CHARS) await this.flush();
  }

  private async flush(): Promise<void> {
    if (this.rows === 0) return;
    await this.writer.write({
      columnData: this.spec.map((c, k) => ({ name: c.name, data: this.columns[k]! })),
      rowGroupSize: this.rows,
    });
    this.columns = this.spec.map(() => []);
    this.rows = 0;
    this.chars = 0;
  }

  async close(): Promise<number> {
    await this.flush();
    await this.writer.finish();
    return fs.statSync(this.file).size;
  }

  async abort(): Promise<void> {
    fs.rmSync(this.file, { force: true });
  }
}
