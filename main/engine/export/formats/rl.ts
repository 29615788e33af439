/**
 * Prompts with verifiable answers for RL post-training (the paper's E-RL^2 stage), one record per
 * problem, in the layout each trainer documents:
 *
 * - `trl-grpo`: TRL GRPOTrainer reads `prompt` (text, or a list of chat messages) and passes every
 *   other column to the reward functions as keyword arguments (`ground_truth`, `task`, ...).
 * - `verl`: verl's RLHFDataset reads Parquet rows `data_source`, `prompt` (chat messages),
 *   `ability`, `reward_model: {style, ground_truth}`, `extra_info`; the reward function gets
 *   `(data_source, solution_str, ground_truth, extra_info)`.
 * - `openrlhf`: OpenRLHF reads `--input_key prompt --label_key label` and hands `labels` to the
 *   `reward_func(queries, prompts, labels)` of a `--remote_rm_url` Python file.
 *
 * The reward files in training/rewards/ check answers with the studio's rules. Problems can be
 * chosen by difficulty: their solve rate on the studio's own trees.
 */
import type { OptionsOf } from '../../../../common/contract/export';
import type { Problem } from '../../../../common/domain';
import { TASK_SPECS } from '../../../../common/tasks';
import type { Connection } from '../../store/db';
import { exportReads, type SolveCounts } from '../../store/export-reads';
import type { ColumnSpec, ExportRow } from '../sinks/types';
import type { ExportTree } from '../tree';
import { countInto, type ExportFormatWriter, type FormatContext, type FormatRecord } from './types';

type Options = OptionsOf<'rl'>;

interface RlState {
  rates: Map<number, SolveCounts>;
  written: Set<number>;
}

/** Finished paths with a checked answer, and the correct ones, per problem, over all its runs. */
export function solveCounts(db: Connection): Map<number, SolveCounts> {
  return exportReads(db).solveCountsByProblem();
}

interface NumbersProblem {
  numbers: number[];
  target: number;
}

function numbersOf(problem: Problem): NumbersProblem | null {
  const m = problem.metadata as { numbers?: unknown; target?: unknown };
  if (Array.isArray(m.numbers) && typeof m.target === 'number') return { numbers: m.numbers as number[], target: m.target };
  const parsed = /^\s*(\d+)\s*:\s*\[([\d\s,]*)\]\s*$/.exec(problem.prompt);
  if (!parsed) return null;
  return { target: Number(parsed[1]), numbers: parsed[2]!.split(',').map((s) => Number(s.trim())).filter((n) => !Number.isNaN(n)) };
}

/**
 * What the model is asked, with the answer form the reward files read: numbers games write one
 * operation per line (the studio's step syntax) or an `Answer:` expression; math ends in \boxed{}.
 */
export function rlPrompt(problem: Problem): string | null {
  if (TASK_SPECS[problem.task].numbersGame) {
    const p = numbersOf(problem);
    if (!p) return null;
    return (
      `Using the numbers [${p.numbers.join(', ')}], make ${p.target}. Combine two of the numbers left with + - * / ` +
      `until one number is left, writing one operation per line like 9*3=27` +
      `${problem.task === 'game24' ? ' (fractions are allowed)' : ' (only exact divisions)'}, ` +
      `or give one line "Answer: <expression>" that uses each number exactly once.`
    );
  }
  return `${problem.prompt}\n\nPlease reason step by step, and put your final answer within \\boxed{}.`;
}

/** The ground truth the reward files read: the gold answer, or the puzzle (`{task, target, numbers}`) as JSON for numbers games. */
export function rlGroundTruth(problem: Problem): string | null {
  if (TASK_SPECS[problem.task].numbersGame) {
    const p = numbersOf(problem);
    return p ? JSON.stringify({ task: problem.task, target: p.target, numbers: p.numbers }) : null;
  }
  return problem.goldAnswer;
}

function solveRate(counts: SolveCounts | undefined): number | null {
  return counts && counts.finished > 0 ? counts.correct / counts.finished : null;
}

function row(options: Options, problem: Problem, prompt: string, truth: string, rate: number | null): ExportRow {
  const o = options.rl;
  const chat = [{ role: 'user', content: prompt }];
  const info = { problem_id: problem.id, task: problem.task, solve_rate: rate, prm_aggregate: o.prmAggregate };
  switch (o.target) {
    case 'trl-grpo':
      return { prompt: o.chat ? chat : prompt, ground_truth: truth, ...info };
    case 'verl':
      return {
        data_source: `metacot/${problem.task}`,
        prompt: chat,
        ability: 'math',
        reward_model: { style: 'rule', ground_truth: truth },
        extra_info: { index: problem.id, ...info },
      };
    case 'openrlhf':
      return { prompt: o.chat ? chat : prompt, label: truth, ...info };
  }
}

export const rlFormat: ExportFormatWriter<Options> = {
  columns(options: Options): ColumnSpec[] {
    const o = options.rl;
    const info: ColumnSpec[] = [
      { name: 'problem_id', kind: 'int?' },
      { name: 'task', kind: 'string' },
      { name: 'solve_rate', kind: 'double?' },
      { name: 'prm_aggregate', kind: 'string' },
    ];
    const prompt: ColumnSpec = o.chat ? { name: 'prompt', kind: 'messages' } : { name: 'prompt', kind: 'string' };
    switch (o.target) {
      case 'trl-grpo':
        return [prompt, { name: 'ground_truth', kind: 'string' }, ...info];
      case 'verl':
        return [
          { name: 'data_source', kind: 'string' },
          { name: 'prompt', kind: 'messages' },
          { name: 'ability', kind: 'string' },
          {
            name: 'reward_model',
            kind: 'struct',
            fields: [
              { name: 'style', kind: 'string' },
              { name: 'ground_truth', kind: 'string' },
            ],
          },
          { name: 'extra_info', kind: 'struct', fields: [{ name: 'index', kind: 'int?' }, ...info] },
        ];
      case 'openrlhf':
        return [prompt, { name: 'label', kind: 'string' }, ...info];
    }
  },

  describe(options: Options): string {
    const o = options.rl;
    const layout = {
      'trl-grpo':
        'TRL `GRPOTrainer`: `prompt` plus extra columns (`ground_truth`, `task`, ...) that TRL passes to reward functions as keyword arguments. ' +
        'Reward: `reward_funcs=[metacot_reward]` from `training/rewards/trl_grpo.py`.',
      verl:
        'verl (Parquet): `data_source`, `prompt` (chat), `ability`, `reward_model: {style: rule, ground_truth}`, `extra_info`. ' +
        'Reward: `custom_reward_function.path=training/rewards/verl_reward.py custom_reward_function.name=compute_score`.',
      openrlhf:
        'OpenRLHF: `--input_key prompt --label_key label' +
        (o.chat ? ' --apply_chat_template' : '') +
        '`, reward `--remote_rm_url training/rewards/openrlhf_reward.py` (its `reward_func(queries, prompts, labels)`).',
    }[o.target];
    const range =
      o.minSolveRate > 0 || o.maxSolveRate < 1
        ? `Only problems whose solve rate is in [${o.minSolveRate}, ${o.maxSolveRate}]`
        : 'Problems of every solve rate';
    return [
      `RL post-training prompts with verifiable answers, one record per problem, for ${o.target}.`,
      '',
      `- Layout: ${layout}`,
      '- Ground truth: the gold answer (math: compared after the same normalisation as the studio\'s checker); ' +
        'Countdown / Game of 24: `{"task", "target", "numbers"}` as JSON, checked by replaying the operations with the exact solver\'s rules.',
      `- Prompt: ${o.chat ? 'a chat list with one user message' : 'plain text'}; it asks for the answer form the reward files read ` +
        '(math: `\\boxed{}`; numbers games: one operation per line, or `Answer: <expression>`).',
      `- Difficulty: solve rate = correct finished paths / finished paths with a checked answer, over all the studio's runs of the problem. ${range}` +
        `${o.includeUnmeasured ? '; problems with no finished path are kept (`solve_rate` null).' : '; problems with no finished path are left out.'}`,
      `- PRM as a dense reward: \`training/rewards/prm_reward.py\` turns step scores into one reward (${o.prmAggregate}; \`prm_aggregate\` says which).`,
    ].join('\n');
  },

  prepare(db: Connection): RlState {
    return { rates: solveCounts(db), written: new Set() };
  },

  *records(tree: ExportTree, ctx: FormatContext<Options>): Iterable<FormatRecord> {
    const o = ctx.options.rl;
    const state = ctx.prepared as RlState;
    const problem = tree.problem;
    if (state.written.has(problem.id)) {
      ctx.skip('another run of a problem already written');
      return;
    }
    const rate = solveRate(state.rates.get(problem.id));
    if (rate === null ? !o.includeUnmeasured : rate < o.minSolveRate || rate > o.maxSolveRate) {
      ctx.skip(rate === null ? 'problem without a finished path (solve rate unknown)' : 'problem outside the solve-rate range');
      return;
    }
    const prompt = rlPrompt(problem);
    const truth = rlGroundTruth(problem);
    if (prompt === null || truth === null) {
      ctx.skip('problem without a checkable answer');
      return;
    }
    state.written.add(problem.id);
    const labels: Record<string, number> = {};
    countInto(labels, rate === null ? 'unmeasured' : rate === 0 ? 'never solved' : rate === 1 ? 'always solved' : 'sometimes solved');
    yield { row: row(ctx.options, problem, prompt, truth, rate), labels };
  },
};
