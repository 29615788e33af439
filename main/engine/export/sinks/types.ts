/** What format writers hand to output files: flat records and, for Parquet, their column types. */

/**
 * Column kinds: `json` holds a nested value written as JSON text (Parquet) or as the object
 * itself (JSONL); `messages` is a chat list of {role, content}.
 */
export type ColumnKind =
  | 'string'
  | 'string?'
  | 'int?'
  | 'double?'
  | 'bool'
  | 'bool?'
  | 'json'
  | 'string[]'
  | 'bool[]'
  | 'double[]'
  | 'messages'
  | 'struct';

export interface ColumnSpec {
  name: string;
  kind: ColumnKind;
  /** A `struct` column's fields (Parquet group; verl reads `reward_model` and `extra_info` as structs). */
  fields?: ColumnSpec[];
}

export type ExportRow = Record<string, unknown>;

export interface RecordSink {
  write(row: ExportRow): Promise<void>;
  /** Finishes the file; returns its size in bytes. */
  close(): Promise<number>;
  /** Removes whatever was written. */
  abort(): Promise<void>;
}
