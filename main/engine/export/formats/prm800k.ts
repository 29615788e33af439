/**
 * PRM800K-style records: one labeled solution a line. The spine is one path through the tree;
 * at each of its steps the siblings are the alternative `completions` with their ratings, and
 * `chosen_completion` says which one the spine continues with.
 */
import type { OptionsOf } from '../../../../common/contract/export';
import type { FinishReason, Rating } from '../../../../common/domain';
import { branchViews } from '../branches';
import type { LabelView } from '../labels';
import type { ColumnSpec } from '../sinks/types';
import type { ExportTree } from '../tree';
import { countInto, type ExportFormatWriter, type FormatContext, type FormatRecord } from './types';

type Options = OptionsOf<'prm800k'>;

const RATING_RANK: Record<string, number> = { '1': 3, '0': 2, null: 1, '-1': 0 };

/**
 * The spine of a tree: the branch most raters marked preferred, else the first path to a
 * correct answer, else the best-scored branch, else the best-rated child at every step.
 */
export function chooseSpine(tree: ExportTree, labels: LabelView, ctx: FormatContext<Options>): number {
  const branches = branchViews(tree, ctx.options.labels);
  const leaves = tree.leaves();
  const preferred = [...branches].filter(([, b]) => b.preferred).map(([i]) => i);
  if (preferred.length) return Math.min(...preferred);
  const goal = leaves.find((i) => tree.isGoal(i));
  if (goal !== undefined) return goal;
  let best = -1;
  let bestScore = -Infinity;
  for (const [i, b] of branches) if (b.score !== null && b.score > bestScore) (best = i), (bestScore = b.score);
  if (best >= 0) return best;
  let at = tree.root;
  while (tree.children[at]!.length) {
    const kids = tree.children[at]!;
    at = kids.reduce((a, b) => (RATING_RANK[String(labels.rating(b))]! > RATING_RANK[String(labels.rating(a))]! ? b : a));
  }
  return at;
}

/** The dataset's worked solution, kept by problem imports as `metadata.reference`. */
function referenceSolution(tree: ExportTree): string | null {
  const { reference, solution } = tree.problem.metadata;
  return typeof reference === 'string' ? reference : typeof solution === 'string' ? solution : null;
}

function finishReason(tree: ExportTree, foundError: boolean, end: number): FinishReason | null {
  const reason = tree.run.finishReason;
  if (reason === 'bad_problem') return reason;
  if (foundError) return 'found_error';
  if (tree.isGoal(end)) return 'solution';
  return reason;
}

function spineRecord(tree: ExportTree, end: number, ctx: FormatContext<Options>): FormatRecord {
  const labels = ctx.labels;
  const path = tree.path(end);
  const counts: Record<string, number> = {};
  const steps: unknown[] = [];
  const touched: number[] = [];
  let foundError = false;
  for (let k = 0; k < path.length; k++) {
    const node = path[k]!;
    const siblings = tree.children[k === 0 ? tree.root : path[k - 1]!]!;
    const completions = siblings.map((s) => {
      const rating: Rating | null = labels.rating(s);
      countInto(counts, rating === null ? 'unrated' : rating > 0 ? '+1' : String(rating));
      touched.push(s);
      return { text: tree.nodes[s]!.stepText, rating, flagged: labels.flagged(s) };
    });
    const error = labels.rating(node) === -1;
    foundError ||= error;
    const stop = error && ctx.options.prm800k.stopAtFirstError;
    steps.push({ completions, human_completion: null, chosen_completion: stop ? null : siblings.indexOf(node) });
    if (stop) break;
  }
  const created = touched.map((i) => labels.created.get(i)).filter((t): t is string => !!t).sort();
  const updated = touched.map((i) => labels.updated.get(i)).filter((t): t is string => !!t).sort();
  const first = created[0];
  const last = updated[updated.length - 1];
  const leaf = tree.nodes[end]!;
  return {
    row: {
      labeler: labels.name,
      timestamp: last ?? tree.run.createdAt,
      generation: null,
      is_quality_control_question: false,
      is_initial_screening_question: false,
      question: {
        problem: tree.problem.prompt,
        ground_truth_solution: referenceSolution(tree),
        ground_truth_answer: tree.problem.goldAnswer,
        pre_generated_steps: path.map((i) => tree.nodes[i]!.stepText),
        pre_generated_answer: null,
        pre_generated_verifier_score: leaf.score,
      },
      label: {
        steps,
        total_time: first && last ? Math.max(0, Date.parse(last) - Date.parse(first)) : null,
        finish_reason: finishReason(tree, foundError, end),
      },
      meta: { run_id: tree.run.id, problem_id: tree.problem.id, task: tree.problem.task, spine_seqs: path.map((i) => tree.nodes[i]!.seq) },
    },
    labels: counts,
  };
}

export const prm800kFormat: ExportFormatWriter<Options> = {
  columns(): ColumnSpec[] {
    return [
      { name: 'labeler', kind: 'string' },
      { name: 'timestamp', kind: 'string' },
      { name: 'generation', kind: 'int?' },
      { name: 'is_quality_control_question', kind: 'bool' },
      { name: 'is_initial_screening_question', kind: 'bool' },
      { name: 'question', kind: 'json' },
      { name: 'label', kind: 'json' },
      { name: 'meta', kind: 'json' },
    ];
  },

  describe(options: Options): string {
    const o = options.prm800k;
    return [
      'PRM800K-style labeled solutions (openai/prm800k): `question` with the problem and gold answer,',
      '`label.steps` with, per step, the candidate `completions` (siblings in the tree) and their ratings',
      '(+1, 0, -1, or null when unrated), `chosen_completion` (which one the solution continues with),',
      '`total_time` (ms between the labeler\'s first and last label on the record) and `finish_reason`.',
      '',
      o.spines === 'preferred'
        ? '- One record per tree: the preferred branch, else a path to a correct answer, else the best-scored branch, else the best-rated step at each level.'
        : '- One record per root-to-leaf path.',
      o.stopAtFirstError ? '- A record ends at its first -1 step, with `chosen_completion: null` there (phase-2 semantics).' : null,
      '- In Parquet, `question`, `label` and `meta` are JSON text.',
    ]
      .filter((line) => line !== null)
      .join('\n');
  },

  *records(tree: ExportTree, ctx: FormatContext<Options>): Iterable<FormatRecord> {
    if (tree.root < 0 || tree.children[tree.root]!.length === 0) return;
    const ends = ctx.options.prm800k.spines === 'all' ? tree.leaves() : [chooseSpine(tree, ctx.labels, ctx)];
    for (const end of ends) yield spineRecord(tree, end, ctx);
  },
};
