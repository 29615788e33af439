/** The placeholder of a folded sibling group: "+27 more", which opens the group when pressed. */
import { Handle, Position, type NodeProps } from '@xyflow/react';
import { memo, useContext } from 'react';
import { parentOfMore } from '../model/visibility';
import { TreeContext } from './StepNode';

export const MoreNode = memo(function MoreNode({ id, data }: NodeProps) {
  const ctx = useContext(TreeContext)!;
  const count = (data as { count: number }).count;
  return (
    <div className="step more-node" data-more-of={parentOfMore(Number(id))}>
      <Handle type="target" position={Position.Top} isConnectable={false} className="step-handle" />
      <button
        className="more-button"
        tabIndex={-1}
        title="Show every sibling (o on a step of this group)"
        onClick={(e) => {
          e.stopPropagation();
          ctx.openGroup(parentOfMore(Number(id)));
        }}
      >
        +{count.toLocaleString()} more
      </button>
    </div>
  );
});
