/**
 * TRL stepwise supervision (PRMTrainer): `prompt`, `completions` (one string per step),
 * `labels` (one boolean per step). One record per labeled root-to-leaf path.
 */
import type { OptionsOf } from '../../../../common/contract/export';
import type { Rating } from '../../../../common/domain';
import type { ColumnSpec } from '../sinks/types';
import type { ExportTree } from '../tree';
import { labeledPaths } from './labeled-paths';
import { countInto, type ExportFormatWriter, type FormatContext, type FormatRecord } from './types';

type Options = OptionsOf<'trl'>;

export function ratingToBool(rating: Rating, neutralAs: 'true' | 'false'): boolean {
  return rating === 1 || (rating === 0 && neutralAs === 'true');
}

export const trlFormat: ExportFormatWriter<Options> = {
  columns(options: Options): ColumnSpec[] {
    const columns: ColumnSpec[] = [
      { name: 'prompt', kind: 'string' },
      { name: 'completions', kind: 'string[]' },
      { name: 'labels', kind: 'bool[]' },
    ];
    if (options.trl.meta) columns.push({ name: 'meta', kind: 'json' });
    return columns;
  },

  describe(options: Options): string {
    const o = options.trl;
    return [
      'TRL stepwise supervision, as read by `PRMTrainer` (`trl.experimental.prm`): `prompt` is the problem,',
      '`completions` the steps of one root-to-leaf path, `labels` one boolean per step. PRMTrainer joins the',
      'steps with its `step_separator` and puts each label on the separator token after the step.',
      '',
      `- Ratings mapped: +1 → true, 0 → ${o.neutralAs}, -1 → false.`,
      `- A record is the labeled prefix of a path${o.stopAtFirstError ? ', ending at its first false label' : ''}.`,
      o.fullyLabeledOnly ? '- Only paths labeled all the way to their leaf are kept.' : '- Paths with unlabeled steps keep their labeled prefix.',
      o.meta ? '- `meta` holds the run, problem, node seqs and raw ratings (PRMTrainer drops extra columns).' : null,
    ]
      .filter((line) => line !== null)
      .join('\n');
  },

  *records(tree: ExportTree, ctx: FormatContext<Options>): Iterable<FormatRecord> {
    const o = ctx.options.trl;
    const { paths, unlabeled } = labeledPaths<Rating>(tree, {
      labelOf: (i) => ctx.labels.rating(i),
      isError: o.stopAtFirstError ? (r) => !ratingToBool(r, o.neutralAs) : undefined,
    });
    if (unlabeled) ctx.skip('path with an unlabeled first step', unlabeled);
    for (const path of paths) {
      if (o.fullyLabeledOnly && !path.complete) {
        ctx.skip('path not labeled to its leaf');
        continue;
      }
      const labels = path.labels.map((r) => ratingToBool(r, o.neutralAs));
      const counts: Record<string, number> = {};
      for (const l of labels) countInto(counts, String(l));
      yield {
        row: {
          prompt: tree.problem.prompt,
          completions: path.steps.map((i) => tree.nodes[i]!.stepText),
          labels,
          ...(o.meta
            ? {
                meta: {
                  run_id: tree.run.id,
                  problem_id: tree.problem.id,
                  task: tree.problem.task,
                  gold_answer: tree.problem.goldAnswer,
                  labeler: ctx.labels.name,
                  node_seqs: path.steps.map((i) => tree.nodes[i]!.seq),
                  ratings: path.labels,
                },
              }
            : {}),
        },
        labels: counts,
      };
    }
  },
};
