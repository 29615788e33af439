/**
 * PRM800K-style records: one labeled solution a line. The spine is one path through the tree;
 * at each of its steps the siblings are the alternative `completions` with their ratings, and
 * `chosen_completion` says which one the spine continues with. A tree imported from PRM800K gives
 * back what the file held about the labeling (quality-control flag, labeler's timestamp,
 * generation, total_time, pre-generated steps and answer, the labeler's own `human_completion`).
 */
import type { OptionsOf } from '../../../../common/contract/export';
import type { FinishReason, Rating } from '../../../../common/domain';
import { exportReads } from '../../store/export-reads';
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

/** Whether a rater marked a branch preferred (which then decides the spine over an imported one). */
function hasPreferredBranch(tree: ExportTree, ctx: FormatContext<Options>): boolean {
  return [...branchViews(tree, ctx.options.labels).values()].some((b) => b.preferred);
}

/** The dataset's worked solution, kept by problem imports as `metadata.reference`. */
function referenceSolution(tree: ExportTree): string | null {
  const { reference, solution } = tree.problem.metadata;
  return typeof reference === 'string' ? reference : typeof solution === 'string' ? solution : null;
}

/** What a PRM800K import kept about the record (runs.config.import), and the run's QC flag. */
interface Provenance {
  /** The tree came from a PRM800K file: its fields are given back as the file had them, nulls included. */
  imported: boolean;
  qualityControl: boolean;
  timestamp: string | null;
  generation: number | null;
  totalTime: number | null;
  initialScreening: boolean;
  preGeneratedSteps: string[] | null;
  preGeneratedAnswer: string | null;
  verifierScore: number | null;
  humanCompletions: Set<number>;
  /** Seq of the node the labeled solution ended at (the root when it stopped at the first step). */
  spineEnd: number | null;
}

function provenance(tree: ExportTree, ctx: FormatContext<Options>): Provenance {
  const row = exportReads(ctx.db).runConfig(tree.run.id);
  const config = JSON.parse(row.config) as { import?: Record<string, unknown> };
  const fromFile = config.import?.format === 'prm800k';
  const imported = fromFile ? config.import! : {};
  const str = (v: unknown) => (typeof v === 'string' ? v : null);
  const num = (v: unknown) => (typeof v === 'number' ? v : null);
  return {
    imported: fromFile,
    qualityControl: row.qualityControl,
    timestamp: str(imported.timestamp),
    generation: num(imported.generation),
    totalTime: num(imported.total_time),
    initialScreening: imported.is_initial_screening_question === true,
    preGeneratedSteps: Array.isArray(imported.pre_generated_steps) ? (imported.pre_generated_steps as string[]) : null,
    preGeneratedAnswer: str(imported.pre_generated_answer),
    verifierScore: num(imported.pre_generated_verifier_score),
    spineEnd: num(imported.spine_end_seq),
    humanCompletions: new Set(Array.isArray(imported.human_completion_seqs) ? (imported.human_completion_seqs as number[]) : []),
  };
}

function finishReason(tree: ExportTree, foundError: boolean, end: number): FinishReason | null {
  const reason = tree.run.finishReason;
  if (reason === 'bad_problem') return reason;
  if (foundError) return 'found_error';
  if (tree.isGoal(end)) return 'solution';
  return reason;
}

function spineRecord(tree: ExportTree, end: number, from: Provenance, ctx: FormatContext<Options>): FormatRecord {
  const labels = ctx.labels;
  const path = tree.path(end);
  const counts: Record<string, number> = {};
  const steps: unknown[] = [];
  const touched: number[] = [];
  let foundError = false;
  // Past the end of a solution that stops inside the tree (PRM800K: rated alternatives, none
  // chosen), one more step lists the end's children with chosen_completion null.
  const openEnd = tree.children[end]!.length > 0;
  for (let k = 0; k < path.length + (openEnd ? 1 : 0); k++) {
    const node = k < path.length ? path[k]! : -1;
    const children = tree.children[k === 0 ? tree.root : path[k - 1]!]!;
    const step = (s: number) => {
      const rating: Rating | null = labels.rating(s);
      countInto(counts, rating === null ? 'unrated' : rating > 0 ? '+1' : String(rating));
      touched.push(s);
      return { text: tree.nodes[s]!.stepText, rating, flagged: labels.flagged(s) };
    };
    const human = children.find((s) => from.humanCompletions.has(tree.nodes[s]!.seq));
    const siblings = children.filter((s) => s !== human);
    const completions = siblings.map(step);
    const error = node >= 0 && labels.rating(node) === -1;
    foundError ||= error;
    const stop = error && ctx.options.prm800k.stopAtFirstError;
    const chosen = node < 0 || stop || node === human ? null : siblings.indexOf(node);
    steps.push({ completions, human_completion: human === undefined ? null : step(human), chosen_completion: chosen });
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
      timestamp: from.timestamp ?? last ?? tree.run.createdAt,
      generation: from.generation,
      is_quality_control_question: from.qualityControl,
      is_initial_screening_question: from.initialScreening,
      question: {
        problem: tree.problem.prompt,
        ground_truth_solution: referenceSolution(tree),
        ground_truth_answer: tree.problem.goldAnswer,
        pre_generated_steps: from.imported ? from.preGeneratedSteps : path.map((i) => tree.nodes[i]!.stepText),
        pre_generated_answer: from.preGeneratedAnswer,
        pre_generated_verifier_score: from.imported ? from.verifierScore : leaf.score,
      },
      label: {
        steps,
        total_time: from.totalTime ?? (first && last ? Math.max(0, Date.parse(last) - Date.parse(first)) : null),
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
    const from = provenance(tree, ctx);
    const importedEnd = from.spineEnd === null ? undefined : tree.nodes.findIndex((n) => n.seq === from.spineEnd);
    const ends =
      ctx.options.prm800k.spines === 'all'
        ? tree.leaves()
        : [importedEnd !== undefined && importedEnd >= 0 && !hasPreferredBranch(tree, ctx) ? importedEnd : chooseSpine(tree, ctx.labels, ctx)];
    for (const end of ends) yield spineRecord(tree, end, from, ctx);
  },
};
