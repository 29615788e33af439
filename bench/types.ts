/** One line of the benchmark table: a figure measured against the plain limit underneath it. */
export interface BenchRow {
  figure: string;
  value: number;
  unit: string;
  /** The plain limit of the part underneath, measured in the same run (null for absolute figures). */
  baseline: number | null;
  /** value / baseline, oriented so that 1.0 means "as fast as the limit". */
  ratio: number | null;
  note?: string;
}

export type Bench = () => Promise<BenchRow[]>;
