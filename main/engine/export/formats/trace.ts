/**
 * Meta-CoT search traces for instruction tuning: each tree becomes one text that walks the
 * search in the order it visited nodes, with explicit exploration, evaluation and backtracking.
 * Countdown and Game of 24 use the exact Stream of Search syntax; other tasks the generic one.
 */
import type { ExportOptions } from '../../../../common/contract/export';
import type { ColumnSpec } from '../sinks/types';
import type { ExportTree } from '../tree';
import { renderGeneric } from '../trace/generic';
import { linearise } from '../trace/linearise';
import { renderSos, sosStates } from '../trace/sos';
import { getTask } from '../../tasks/registry';
import type { ExportFormatWriter, FormatContext, FormatRecord } from './types';

const SOS_TASKS = new Set(['countdown', 'game24']);

/** States replayed with the task's rules, for trees whose nodes carry none (e.g. imported ones). */
function taskStates(tree: ExportTree): (i: number) => string | null {
  let states: (string | null)[] | null = null;
  return (i) => {
    if (!states) {
      states = new Array<string | null>(tree.nodes.length).fill(null);
      const raw = new Array<unknown>(tree.nodes.length);
      try {
        const task = getTask(tree.problem.task);
        raw[tree.root] = task.initialState(tree.problem);
        states[tree.root] = task.describe(raw[tree.root]);
        for (const k of tree.steps()) {
          const parent = raw[tree.parent[k]!];
          if (parent === undefined) continue;
          const next = task.applyStep(parent, tree.nodes[k]!.stepText);
          if (next.valid) (raw[k] = next.state), (states[k] = task.describe(next.state));
        }
      } catch {
        // A problem the task cannot read: no states, so the generic syntax is used.
      }
    }
    return states[i] ?? null;
  };
}

export const traceFormat: ExportFormatWriter = {
  columns(options: ExportOptions): ColumnSpec[] {
    return options.trace.style === 'chat'
      ? [
          { name: 'messages', kind: 'messages' },
          { name: 'meta', kind: 'json' },
        ]
      : [
          { name: 'prompt', kind: 'string' },
          { name: 'completion', kind: 'string' },
          { name: 'meta', kind: 'json' },
        ];
  },

  describe(options: ExportOptions): string {
    const o = options.trace;
    return [
      'Meta-CoT search traces: one record per tree, the search written out in the order it visited',
      `nodes (${o.order === 'expansion' ? 'the recorded expansion order' : o.order.toUpperCase()}), with explicit exploration, dead ends, backtracking and the goal.`,
      o.style === 'chat'
        ? '`messages` is a user turn (the problem) and an assistant turn (the trace).'
        : '`prompt` is the problem, `completion` the trace (TRL SFTTrainer prompt-completion format).',
      '',
      '- Countdown and Game of 24 traces use the Stream of Search syntax (`Current State: 24:[4, 9, 3], Operations: []`,',
      '  `Exploring Operation: ...`, `Generated Node #0,0: ...`, `Moving to Node #0`, `24,24 equal: Goal Reached`).',
      '- Other tasks use the generic syntax: `Exploring Step #id: text`, `Evaluation #id: +1|0|-1`, `Generated Node #id`,',
      '  `Dead End #id: incorrect answer|invalid step|unchecked answer`, `Goal Reached #id`, `Moving to Node #id`,',
      '  `Backtracking to Node #id`, `No solution found.`; node ids are comma paths from the root `0`.',
      o.stopAtGoal ? '- Each trace ends at the first correct answer it reaches.' : '- Traces continue past a correct answer, as the search did.',
      options.includePruned ? '- Pruned branches are included.' : '- Pruned branches are left out.',
      `- \`meta.syntax\` says which syntax a record uses; syntax option: ${o.syntax}.`,
    ].join('\n');
  },

  *records(tree: ExportTree, ctx: FormatContext): Iterable<FormatRecord> {
    const o = ctx.options.trace;
    if (tree.root < 0) return;
    const wantSos = o.syntax === 'sos' || (o.syntax === 'auto' && SOS_TASKS.has(tree.problem.task));
    const states = wantSos ? sosStates(tree, taskStates(tree)) : null;
    if (wantSos && !states && o.syntax === 'sos') {
      ctx.skip('tree without Stream of Search states');
      return;
    }
    const syntax = states ? 'sos' : 'generic';
    const lin = linearise(tree, {
      order: o.order,
      stopAtGoal: o.stopAtGoal,
      skip: states ? (i) => !tree.nodes[i]!.valid : undefined,
      numbering: states && o.order === 'bfs' ? 'generated' : 'all',
    });
    if (lin.events.length <= 2) {
      ctx.skip('tree with no steps');
      return;
    }
    const text = states ? renderSos(tree, lin, o.order, states) : renderGeneric(tree, lin, o.includeLabels ? ctx.labels : null);
    const meta = {
      run_id: tree.run.id,
      problem_id: tree.problem.id,
      task: tree.problem.task,
      gold_answer: tree.problem.goldAnswer,
      algorithm: tree.run.algorithm,
      syntax,
      order: o.order,
      solved: lin.solved,
      labeler: syntax === 'generic' && o.includeLabels ? ctx.labels.name : null,
    };
    const prompt = tree.problem.prompt;
    yield {
      row:
        o.style === 'chat'
          ? {
              messages: [
                { role: 'user', content: prompt },
                { role: 'assistant', content: text },
              ],
              meta,
            }
          : { prompt, completion: text, meta },
      labels: { [lin.solved ? 'goal reached' : 'no goal']: 1 },
    };
  },
};
