import type Database from 'better-sqlite3';
import type { TreeNode } from '../../../common/domain';
import { StoreError } from './errors';
import { toNode, type NodeRow } from './rows';

export class NodeRepository {
  private readonly getStmt;
  private readonly bySeqStmt;
  private readonly childrenStmt;
  private readonly forRunStmt;
  private idsBySeqStmt: Database.Statement | null = null;

  constructor(private readonly db: Database.Database) {
    this.getStmt = db.prepare('SELECT * FROM nodes WHERE id = ?');
    this.bySeqStmt = db.prepare('SELECT * FROM nodes WHERE run_id = ? AND seq = ?');
    this.childrenStmt = db.prepare('SELECT * FROM nodes WHERE parent_id = ? ORDER BY seq');
    this.forRunStmt = db.prepare('SELECT * FROM nodes WHERE run_id = ? ORDER BY seq');
  }

  get(id: number): TreeNode {
    const row = this.getStmt.get(id) as NodeRow | undefined;
    if (!row) throw new StoreError(`Node ${id} not found`, 'not_found');
    return toNode(row);
  }

  bySeq(runId: number, seq: number): TreeNode | undefined {
    const row = this.bySeqStmt.get(runId, seq) as NodeRow | undefined;
    return row && toNode(row);
  }

  children(id: number): TreeNode[] {
    return (this.childrenStmt.all(id) as NodeRow[]).map(toNode);
  }

  /** All nodes of a run in creation order (uses the (run_id, seq) index). */
  forRun(runId: number): TreeNode[] {
    return (this.forRunStmt.all(runId) as NodeRow[]).map(toNode);
  }

  /** A run's node ids by seq (a bulk writer maps the steps it wrote to their rows). */
  idsBySeq(runId: number): Map<number, number> {
    const select = (this.idsBySeqStmt ??= this.db.prepare('SELECT seq, id FROM nodes WHERE run_id = ?'));
    return new Map((select.all(runId) as { seq: number; id: number }[]).map((r) => [r.seq, r.id]));
  }

  /** The path from the root to a node, root first. */
  path(id: number): TreeNode[] {
    const rows = this.db
      .prepare(
        `WITH RECURSIVE up(id, parent_id, depth) AS (
           SELECT id, parent_id, depth FROM nodes WHERE id = ?
           UNION ALL SELECT n.id, n.parent_id, n.depth FROM nodes n JOIN up ON n.id = up.parent_id)
         SELECT nodes.* FROM up JOIN nodes ON nodes.id = up.id ORDER BY nodes.depth`,
      )
      .all(id) as NodeRow[];
    if (rows.length === 0) throw new StoreError(`Node ${id} not found`, 'not_found');
    return rows.map(toNode);
  }

  /** Wrong finished paths of a run: its unpruned terminal nodes whose outcome is incorrect, in creation order. */
  incorrectLeafIds(runId: number): number[] {
    return this.db
      .prepare("SELECT id FROM nodes WHERE run_id = ? AND is_terminal = 1 AND outcome = 'incorrect' AND pruned = 0 ORDER BY seq")
      .pluck()
      .all(runId) as number[];
  }

  setPruned(id: number, pruned: boolean): void {
    this.db.prepare('UPDATE nodes SET pruned = ? WHERE id = ?').run(pruned ? 1 : 0, id);
  }

  count(): number {
    return (this.db.prepare('SELECT count(*) AS n FROM nodes').get() as { n: number }).n;
  }
}
