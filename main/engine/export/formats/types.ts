/** The shape every export format implements: columns for Parquet and records from one tree. */
import type { ExportOptions } from '../../../../common/contract/export';
import type { Connection } from '../../store/db';
import type { LabelView } from '../labels';
import type { ColumnSpec, ExportRow } from '../sinks/types';
import type { ExportTree } from '../tree';

export interface FormatContext<O extends ExportOptions = ExportOptions> {
  options: O;
  /** The database, for the store's reads (`exportReads(db)`). */
  db: Connection;
  labels: LabelView;
  /** Counts a record or tree left out, by reason (reported in the summary and the card). */
  skip(reason: string, count?: number): void;
  /** What the writer's `prepare` returned (undefined without one). */
  prepared?: unknown;
}

export interface FormatRecord {
  row: ExportRow;
  /** Label balance contributed by this record, e.g. { true: 3, false: 1 }. */
  labels: Record<string, number>;
}

/** A format's writer, typed by its own member of the options union (e.g. `OptionsOf<'trace'>`). */
export interface ExportFormatWriter<O extends ExportOptions = ExportOptions> {
  /** Parquet columns for these options (JSONL writes the row objects as they are). */
  columns(options: O): ColumnSpec[];
  /** Markdown for the dataset card: what a record is and how labels were mapped. */
  describe(options: O): string;
  records(tree: ExportTree, ctx: FormatContext<O>): Iterable<FormatRecord>;
  /**
   * Optional: called once before the first tree, e.g. to measure something over all runs (the RL
   * format's solve rates). Returns the state `records` reads through `ctx.prepared`.
   */
  prepare?(db: Connection, options: O): unknown;
}

export function countInto(counts: Record<string, number>, key: string, n = 1): void {
  counts[key] = (counts[key] ?? 0) + n;
}
