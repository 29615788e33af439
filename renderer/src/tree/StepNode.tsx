/**
 * One tree node. Fixed size, memoised, and subscribed to its own snapshot in the ViewStore, so a
 * label or a selection change re-renders only the nodes it touches.
 */
import { Handle, Position, type NodeProps } from '@xyflow/react';
import { createContext, memo, useContext, useSyncExternalStore, type CSSProperties } from 'react';
import { fmtRating } from '../lib/format';
import type { ViewStore } from '../model/view-store';

export interface TreeContextValue {
  store: ViewStore;
  toggleCollapse(id: number): void;
  /** Shows every child of `parentId` (a folded sibling group). */
  openGroup(parentId: number): void;
}

export const TreeContext = createContext<TreeContextValue | null>(null);

export const StepNode = memo(function StepNode({ id }: NodeProps) {
  const ctx = useContext(TreeContext)!;
  const nodeId = Number(id);
  const v = useSyncExternalStore(ctx.store.subscribe, () => ctx.store.view(nodeId));
  if (!v) return null;
  const classes = ['step'];
  if (v.isRoot) classes.push('is-root');
  if (v.selected) classes.push('is-selected');
  else if (v.onPath) classes.push('on-path');
  if (v.pruned) classes.push('is-pruned');
  if (v.best) classes.push('is-best');
  if (v.match) classes.push('is-match');
  if (v.afterError) classes.push('after-error');
  if (v.fill) classes.push(v.fillMuted ? 'has-fill fill-muted' : 'has-fill');
  const style = v.fill ? ({ '--fill': v.fill } as CSSProperties) : undefined;
  return (
    <div className={classes.join(' ')} style={style} data-node-id={v.id} data-seq={v.seq}>
      <Handle type="target" position={Position.Top} isConnectable={false} className="step-handle" />
      <div className="step-head">
        <span className="step-seq">{v.isRoot ? 'problem' : `#${v.seq}`}</span>
        {v.myRating !== null && <span className={`chip rating r${v.myRating}`}>{fmtRating(v.myRating)}</span>}
        {v.others > 0 && (
          <span className={`chip others${v.disagree ? ' disagree' : ''}`} title={`${v.others} other annotator(s) rated this`}>
            {v.others}✎
          </span>
        )}
        {v.flagged && <span className="mark flag" title="flagged">⚑</span>}
        {v.hasNote && <span className="mark" title="has a note">✉</span>}
        {v.preferred && <span className="mark pref" title="preferred branch">★</span>}
        {v.branchScore !== null && <span className="chip branch" title="branch rating">{v.branchScore}/5</span>}
        {v.prunedRoot && <span className="chip pruned-chip">pruned</span>}
        <span className="spacer" />
        {v.visits > 0 && (
          <span className="visits" title={`${v.visits} visits`}>
            {v.visits}
          </span>
        )}
        {v.outcome && (
          <span className={`outcome ${v.outcome}`} title={v.outcome}>
            {v.outcome === 'correct' ? '✓' : '✗'}
          </span>
        )}
      </div>
      <div className="step-text">{v.text || (v.isRoot ? 'problem' : '(empty step)')}</div>
      {v.childCount > 0 && (
        <button
          className={`collapse-toggle${v.hiddenCount > 0 ? ' is-collapsed' : ''}`}
          tabIndex={-1}
          title={v.hiddenCount > 0 ? `Expand ${v.hiddenCount} hidden nodes (c)` : 'Collapse subtree (c)'}
          onClick={(e) => {
            e.stopPropagation();
            ctx.toggleCollapse(v.id);
          }}
        >
          {v.hiddenCount > 0 ? `+${v.hiddenCount.toLocaleString()}` : '−'}
        </button>
      )}
      <Handle type="source" position={Position.Bottom} isConnectable={false} className="step-handle" />
    </div>
  );
});
