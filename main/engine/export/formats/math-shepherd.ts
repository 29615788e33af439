/**
 * Math-Shepherd / OpenRLHF process-reward rows: `input` is the problem followed by the steps,
 * each ending in the tag `ки`; `label` is the same text with each tag replaced by `+` or `-`
 * (or, for OpenRLHF, a list of `+`/`-`, or of floats for soft Monte-Carlo labels).
 */
import type { OptionsOf } from '../../../../common/contract/export';
import type { Rating } from '../../../../common/domain';
import { monteCarlo } from '../monte-carlo';
import type { ColumnSpec } from '../sinks/types';
import type { ExportTree } from '../tree';
import { labeledPaths } from './labeled-paths';
import { countInto, type ExportFormatWriter, type FormatContext, type FormatRecord } from './types';

type Options = OptionsOf<'math-shepherd'>;

export const STEP_TAG = 'ки';

/** The problem, then `Step i: text ки` lines (Math-Shepherd's layout); `mark` fills each tag. */
export function shepherdText(prompt: string, steps: string[], numbered: boolean, mark: (k: number) => string): string {
  const body = steps.map((s, k) => `${numbered ? `Step ${k + 1}: ` : ''}${s} ${mark(k)}`).join('\n');
  return `${prompt}${numbered ? ' ' : '\n'}${body}`;
}

/** The task name Math-Shepherd writes (`GSM8K`, `MATH`): the problem's source if known. */
function taskLabel(tree: ExportTree): string {
  const source = tree.problem.metadata.source;
  return typeof source === 'string' && source ? source : tree.problem.task;
}

export const mathShepherdFormat: ExportFormatWriter<Options> = {
  columns(options: Options): ColumnSpec[] {
    const o = options.mathShepherd;
    const label: ColumnSpec =
      o.variant === 'soft'
        ? { name: 'label', kind: 'double[]' }
        : o.labelStyle === 'list'
          ? { name: 'label', kind: 'string[]' }
          : { name: 'label', kind: 'string' };
    return [{ name: 'input', kind: 'string' }, label, { name: 'task', kind: 'string' }];
  },

  describe(options: Options): string {
    const o = options.mathShepherd;
    const openRlhf = `\`openrlhf.cli.train_prm --dataset <this folder> --input_key input --label_key label --placeholder_token ${STEP_TAG} --reward_tokens + -\``;
    return [
      'Math-Shepherd process-reward rows: `input` is the problem followed by the steps, each ending in the',
      `tag \`${STEP_TAG}\`; \`task\` names the source.`,
      '',
      o.variant === 'soft'
        ? `- \`label\` is a list of floats: the Monte-Carlo estimate of each step (fraction of the finished paths below it that reach the gold answer). OpenRLHF reads them as soft labels over its two reward tokens: ${openRlhf}.`
        : o.labelStyle === 'list'
          ? `- \`label\` is a list of \`+\`/\`-\`, one per tag; ratings +1 → +, 0 → ${o.neutralAs}, -1 → -. Train with OpenRLHF: ${openRlhf}.`
          : `- \`label\` is \`input\` with each tag replaced by \`+\` or \`-\` (the published Math-Shepherd layout); ratings +1 → +, 0 → ${o.neutralAs}, -1 → -. OpenRLHF cannot train on this text form (its labels must be a list): export again with \`--label-list\` for ${openRlhf}.`,
      '- A record is the labeled prefix of a root-to-leaf path.',
      o.stepNumbers ? '- Steps are written `Step i: ...` as in the Math-Shepherd data.' : null,
    ]
      .filter((line) => line !== null)
      .join('\n');
  },

  *records(tree: ExportTree, ctx: FormatContext<Options>): Iterable<FormatRecord> {
    const o = ctx.options.mathShepherd;
    const soft = o.variant === 'soft' ? monteCarlo(tree, ctx.db).soft : null;
    const { paths, unlabeled } = labeledPaths<number>(tree, {
      labelOf: soft
        ? (i) => (Number.isNaN(soft[i]!) ? null : soft[i]!)
        : (i) => {
            const r: Rating | null = ctx.labels.rating(i);
            return r === null ? null : r === 1 || (r === 0 && o.neutralAs === '+') ? 1 : 0;
          },
    });
    if (unlabeled) ctx.skip(soft ? 'path with no finished continuation' : 'path with an unlabeled first step', unlabeled);
    for (const path of paths) {
      const steps = path.steps.map((i) => tree.nodes[i]!.stepText);
      if (steps.some((s) => s.includes(STEP_TAG))) {
        ctx.skip(`step text contains the tag ${STEP_TAG}`);
        continue;
      }
      const counts: Record<string, number> = {};
      const input = shepherdText(tree.problem.prompt, steps, o.stepNumbers, () => STEP_TAG);
      let label: unknown;
      if (soft) {
        label = path.labels;
        for (const p of path.labels) countInto(counts, p > 0 ? 'reaches answer' : 'never reaches answer');
      } else {
        const marks = path.labels.map((l) => (l === 1 ? '+' : '-'));
        for (const m of marks) countInto(counts, m);
        label = o.labelStyle === 'list' ? marks : shepherdText(tree.problem.prompt, steps, o.stepNumbers, (k) => marks[k]!);
      }
      yield { row: { input, label, task: taskLabel(tree) }, labels: counts };
    }
  },
};
