/**
 * What a problem is, independent of how it is searched (the "world model" of llm-reasoners).
 * A task turns step texts into states, knows when a path is finished and whether it is right,
 * and, where it can, gives an exact label for a step.
 */
import type { Outcome, Problem, Rating, TaskName } from '../../../common/domain';

export type StepResult<S> = { valid: true; state: S } | { valid: false; reason: string };

export interface Task<S = unknown> {
  readonly name: TaskName;
  /** Separator between steps in model text (policy stops generating a step at it). */
  readonly stepDelimiter: string;
  /** The state at the root of the tree. Throws a clear Error if the problem is malformed. */
  initialState(problem: Problem): S;
  /**
   * The text a language model continues: the problem statement in the task's prompt format,
   * ending with `stepDelimiter`. A path's text is this plus each step followed by the delimiter
   * (see `pathText` in ./text.ts).
   */
  prompt(problem: Problem): string;
  /** Parses and applies one step. An unparseable or illegal step is `valid: false`, never a throw. */
  applyStep(state: S, stepText: string): StepResult<S>;
  /** Whether a path ending in this state is finished (answer given, or no move left). */
  isTerminal(state: S): boolean;
  /** Checks a finished path against the problem's gold answer; null when the problem has none to check. */
  outcome(state: S, problem: Problem): Outcome | null;
  /** A short human-readable rendering of the state, stored on each node (e.g. `24:[4, 27]`). */
  describe(state: S): string;
  /** Ground-truth label of the step that produced `state` (+1 still solvable, -1 dead end), if known. */
  exactLabel?(state: S, problem: Problem): Rating | null;
  /** Every legal next step, canonically written; for enumerating policies and constrained decoding. */
  legalSteps?(state: S): string[];
}
