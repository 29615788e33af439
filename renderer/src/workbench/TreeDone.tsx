/**
 * Shown when every step to label has my label: the tree is done, and the guidelines ask how it
 * finished (solution, found error, bad problem, give up), with the keys for each.
 */
import { FINISH_REASONS, type FinishReason } from '../../../common/domain';
import { FINISH_LABELS } from '../lib/format';
import { Kbd } from '../ui/Kbd';

const KEYS = { solution: 'finishSolution', found_error: 'finishFoundError', bad_problem: 'finishBadProblem', give_up: 'finishGiveUp' } as const;

export function TreeDone({ reason, onFinish }: { reason: FinishReason | null; onFinish(reason: FinishReason): void }) {
  return (
    <div className="tree-done" role="status" data-testid="tree-done">
      <strong>Tree done</strong>: every step to label has your label.{' '}
      {reason ? (
        <span>
          Finished as <em>{FINISH_LABELS[reason]}</em>.
        </span>
      ) : (
        <>
          <span>How did it finish?</span>
          <div className="tree-done-actions">
            {FINISH_REASONS.map((r) => (
              <button key={r} className="button small" onClick={() => onFinish(r)}>
                {FINISH_LABELS[r]} <Kbd action={KEYS[r]} />
              </button>
            ))}
          </div>
        </>
      )}
    </div>
  );
}
