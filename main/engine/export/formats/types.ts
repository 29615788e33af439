/** The shape every export format implements: columns for Parquet and records from one tree. */
import type Database from 'better-sqlite3';
import type { ExportOptions } from '../../../../common/contract/export';
import type { LabelView } from '../labels';
import type { ColumnSpec, ExportRow } from '../sinks/types';
import type { ExportTree } from '../tree';

export interface FormatContext {
  options: ExportOptions;
  db: Database.Database;
  labels: LabelView;
  /** Counts a record or tree left out, by reason (reported in the summary and the card). */
  skip(reason: string, count?: number): void;
}

export interface FormatRecord {
  row: ExportRow;
  /** Label balance contributed by this record, e.g. { true: 3, false: 1 }. */
  labels: Record<string, number>;
}

export interface ExportFormatWriter {
  /** Parquet columns for these options (JSONL writes the row objects as they are). */
  columns(options: ExportOptions): ColumnSpec[];
  /** Markdown for the dataset card: what a record is and how labels were mapped. */
  describe(options: ExportOptions): string;
  records(tree: ExportTree, ctx: FormatContext): Iterable<FormatRecord>;
}

export function countInto(counts: Record<string, number>, key: string, n = 1): void {
  counts[key] = (counts[key] ?? 0) + n;
}
