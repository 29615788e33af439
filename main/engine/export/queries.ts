/**
 * Read side of exports: runs matching the filters in keyset pages, and one run's tree at a time.
 * Memory is bounded by the biggest single tree, never by the database: a page of run rows is
 * fetched, each tree is loaded, turned into records and dropped before the next. The SQL is the
 * store's (`store/export-reads.ts`); this joins one run's reads into a tree.
 */
import type { ExportFilters } from '../../../common/contract/export';
import type { Problem } from '../../../common/domain';
import type { Connection } from '../store/db';
import {
  exportReads,
  type AnnotationRecord,
  type BranchRatingRecord,
  type ExportNode,
  type ExportReadRepository,
  type RunInfo,
} from '../store/export-reads';

export type { AnnotationRecord, BranchRatingRecord, ExportNode, RunInfo } from '../store/export-reads';
export { filterTimestamp } from '../store/export-reads';

export interface LoadedTree {
  run: RunInfo;
  problem: Problem;
  nodes: ExportNode[];
  annotations: AnnotationRecord[];
  branchRatings: BranchRatingRecord[];
}

export class ExportQueries {
  private readonly reads: ExportReadRepository;

  constructor(db: Connection) {
    this.reads = exportReads(db);
  }

  /** How many runs match the filters (for progress). */
  count(filters: ExportFilters): number {
    return this.reads.countRuns(filters);
  }

  /** Runs matching the filters, oldest first, fetched `pageSize` rows at a time by id. */
  runs(filters: ExportFilters, pageSize = 256): Generator<RunInfo> {
    return this.reads.runs(filters, pageSize);
  }

  problem(id: number): Problem {
    return this.reads.problem(id);
  }

  load(run: RunInfo, problem: Problem): LoadedTree {
    return {
      run,
      problem,
      nodes: this.reads.nodes(run.id),
      annotations: this.reads.annotations(run.id),
      branchRatings: this.reads.branchRatings(run.id),
    };
  }
}
