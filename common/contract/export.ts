/**
 * Exports (PRM training data, Meta-CoT corpora, preference pairs) and imports (problems, PRM800K,
 * Math-Shepherd, the studio's own TRL and trace files). One options schema serves the API, the
 * CLI and the Export dialog, so every front end validates the same way.
 */
import { z } from 'zod';
import { AnnotatorId, Id, RunStatus, TaskName } from '../domain';
import { LongCotImportOptions } from '../longcot';
import { method } from './define';

export const EXPORT_FORMATS = ['trl', 'prm800k', 'math-shepherd', 'trace', 'preference', 'rl', 'transcript'] as const;
export const ExportFormat = z.enum(EXPORT_FORMATS);
export type ExportFormat = z.infer<typeof ExportFormat>;

export const IMPORT_FORMATS = ['problems', 'prm800k', 'math-shepherd', 'trl', 'trace', 'long-cot', 'processbench', 'prmbench'] as const;
export const ImportFormat = z.enum(IMPORT_FORMATS);
export type ImportFormat = z.infer<typeof ImportFormat>;

export const AUTO_LABEL_SOURCES = ['mc', 'first-error', 'exact', 'scorer', 'import'] as const;

/**
 * Where step labels come from: one annotator; the majority of all annotators (a tie is no
 * label); adjudicated final labels (where a reviewer set none, the majority); the nodes' exact
 * labels (countdown's solver); stored automatic labels of one source (`import` holds
 * Math-Shepherd's); or a Monte-Carlo estimate (+1 if any finished path below the step is correct).
 */
export const LabelSource = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('annotator'), annotator: AnnotatorId }),
  z.object({ kind: z.literal('majority') }),
  z.object({ kind: z.literal('adjudicated') }),
  z.object({ kind: z.literal('exact') }),
  z.object({ kind: z.literal('auto'), source: z.enum(AUTO_LABEL_SOURCES) }),
  z.object({ kind: z.literal('mc') }),
]);
export type LabelSource = z.infer<typeof LabelSource>;

/** An ISO date (`2024-05-01`) or date-time; a bare date as `createdTo` includes that whole day. */
const IsoDate = z.union([z.iso.date(), z.iso.datetime({ offset: true })], {
  error: 'expected an ISO date (2024-05-01) or date-time (2024-05-01T12:00:00Z)',
});

export const ExportFilters = z.object({
  runIds: z.array(Id).max(1_000_000).optional(),
  tasks: z.array(TaskName).optional(),
  statuses: z.array(RunStatus).optional(),
  /** Tree level: `labeled` = at least one step labeled, `complete` = every exported step labeled. */
  labelStatus: z.enum(['any', 'labeled', 'complete', 'unlabeled']).default('any'),
  createdFrom: IsoDate.optional(),
  createdTo: IsoDate.optional(),
});
export type ExportFilters = z.infer<typeof ExportFilters>;

/** Train/test split by problem (a seeded hash of task and prompt), never by path. */
export const ExportSplit = z.object({
  testFraction: z.number().min(0).max(1).default(0),
  seed: z.number().int().default(0),
});
export type ExportSplit = z.infer<typeof ExportSplit>;

export const TrlOptions = z.object({
  /** What a 0 ("neither wrong nor progress") becomes: PRM800K-trained models count it positive. */
  neutralAs: z.enum(['true', 'false']).default('true'),
  /** End each record at its first false label. */
  stopAtFirstError: z.boolean().default(false),
  /** Only paths labeled from the first step to the leaf (otherwise a record is the labeled prefix). */
  fullyLabeledOnly: z.boolean().default(false),
  /** Add a `meta` column (run, problem, node seqs, raw ratings) that makes a round trip exact. */
  meta: z.boolean().default(true),
});

export const Prm800kOptions = z.object({
  /** `preferred`: one spine per tree (preferred branch, else a correct one, else the best rated); `all`: one per leaf. */
  spines: z.enum(['preferred', 'all']).default('preferred'),
  /** Phase-2 semantics: the spine ends at its first -1 step (`chosen_completion: null` there). */
  stopAtFirstError: z.boolean().default(true),
});

export const MathShepherdOptions = z.object({
  /** `hard`: +/- from the label source; `soft`: Monte-Carlo estimates (floats) where they exist. */
  variant: z.enum(['hard', 'soft']).default('hard'),
  /** `text`: Math-Shepherd's `label` string; `list`: OpenRLHF's list of `+`/`-` (soft is always a list). */
  labelStyle: z.enum(['text', 'list']).default('text'),
  neutralAs: z.enum(['+', '-']).default('+'),
  /** Write `Step i: ` before each step, as the Math-Shepherd data does. */
  stepNumbers: z.boolean().default(true),
});

/**
 * How a tree becomes one Meta-CoT trace: which nodes, in which order, how a backtrack is
 * written, and which characters a trainer should learn from (`lossMask`, written as spans).
 */
export const TraceOptions = z.object({
  /** `expansion`: the order the search ran (DFS, BFS, best-first, MCTS as recorded); `dfs`/`bfs`/`score`: the stored tree re-ordered (`score`: best first by node score). */
  order: z.enum(['expansion', 'dfs', 'bfs', 'score']).default('expansion'),
  /** `sos`: exact Stream of Search text (countdown, game24); `generic`: the documented event syntax. */
  syntax: z.enum(['auto', 'sos', 'generic']).default('auto'),
  /**
   * How moving elsewhere in the tree is written: `sos` the syntax's own lines ("Moving to Node #0,1"),
   * `token` a `[BACK]` token per step undone, `natural` sentences as in ASTRO ("But wait, ... Let me go
   * back to ..."), `tree` every node on a line with its parent's id.
   */
  backtrack: z.enum(['sos', 'token', 'natural', 'tree']).default('sos'),
  /**
   * Which nodes a trace keeps: `all`; `approved` (only paths whose every step the label source rates
   * +1); `first-failed` (the solution path and the first `failedBranches` dead ends, in visiting order);
   * `solution` (the solution path alone). Pruned subtrees follow `includePruned` in every case.
   */
  keep: z.enum(['all', 'approved', 'first-failed', 'solution']).default('all'),
  failedBranches: z.number().int().min(0).max(10_000).default(2),
  /**
   * Dualformer-style randomised traces: each step off the solution path is dropped (with its subtree)
   * with probability `rate`, and a whole trace collapses to its solution path with probability
   * `wholeTrace`; decided by a hash of `seed` and the run, so an export is reproducible.
   */
  drop: z
    .object({
      rate: z.number().min(0).max(1).default(0),
      wholeTrace: z.number().min(0).max(1).default(0),
      seed: z.number().int().default(0),
    })
    .prefault({}),
  /**
   * Which characters of the completion a trainer learns from, written as `loss_spans` ([start, end)
   * in Unicode code points): `none` (no spans), `all` (trace and answer), `answer` (the final
   * solution only), `correct` (incorrect branches masked out; backtracks stay).
   */
  lossMask: z.enum(['none', 'all', 'answer', 'correct']).default('none'),
  /** Append the solution path after the trace (`Solution:` block), as the answer a trace leads to. */
  appendSolution: z.boolean().default(false),
  style: z.enum(['sft', 'chat']).default('sft'),
  /** Curated: end at the first correct terminal reached. */
  stopAtGoal: z.boolean().default(true),
  /** Evaluation lines in the generic syntax carry the label source's rating. */
  includeLabels: z.boolean().default(true),
});
export type TraceOptions = z.infer<typeof TraceOptions>;

/** Trainers whose RL data layout `--format rl` writes (each documents its own field names). */
export const RL_TARGETS = ['trl-grpo', 'verl', 'openrlhf'] as const;

/**
 * Prompts with a verifiable answer for RL post-training. Problems can be chosen by difficulty:
 * their solve rate under the policy, measured on the studio's own trees (correct finished paths
 * among all finished paths of all the problem's runs).
 */
export const RlOptions = z
  .object({
    target: z.enum(RL_TARGETS).default('trl-grpo'),
    /** Prompt as a chat (a list with one user message) or as plain text. */
    chat: z.boolean().default(true),
    minSolveRate: z.number().min(0).max(1).default(0),
    maxSolveRate: z.number().min(0).max(1).default(1),
    /** Problems with no finished path yet (solve rate unknown) are kept unless this is false. */
    includeUnmeasured: z.boolean().default(true),
    /** With a PRM as dense reward: how its step scores become one reward (written to extra info for the wrapper). */
    prmAggregate: z.enum(['min', 'last', 'product']).default('min'),
  })
  .refine((o) => o.minSolveRate <= o.maxSolveRate, {
    error: 'minSolveRate must not exceed maxSolveRate',
    path: ['minSolveRate'],
  });
export type RlOptions = z.infer<typeof RlOptions>;

/** Long-CoT transcripts: `clean` drops abandoned branches; `tagged` keeps the text as written with each step's tag and relation. */
export const TranscriptExportOptions = z.object({
  variant: z.enum(['clean', 'tagged']).default('clean'),
});

export const PreferenceOptions = z.object({
  /** Smallest difference of branch scores (1-5) that makes a pair. */
  minScoreMargin: z.number().int().min(1).max(4).default(1),
  maxPairsPerTree: z.number().int().min(1).max(10_000).default(64),
});

/** Options every format shares. */
const CommonOptions = z.object({
  labels: LabelSource.default({ kind: 'majority' }),
  filters: ExportFilters.default({ labelStatus: 'any' }),
  split: ExportSplit.default({ testFraction: 0, seed: 0 }),
  /** Pruned subtrees are left out of every export unless this is set. */
  includePruned: z.boolean().default(false),
});

/** Export options: a union keyed by `format`, each member carrying only its own format's options. */
export const ExportOptions = z.discriminatedUnion(
  'format',
  [
    CommonOptions.extend({ format: z.literal('trl'), trl: TrlOptions.prefault({}) }),
    CommonOptions.extend({ format: z.literal('prm800k'), prm800k: Prm800kOptions.prefault({}) }),
    CommonOptions.extend({ format: z.literal('math-shepherd'), mathShepherd: MathShepherdOptions.prefault({}) }),
    CommonOptions.extend({ format: z.literal('trace'), trace: TraceOptions.prefault({}) }),
    CommonOptions.extend({ format: z.literal('preference'), preference: PreferenceOptions.prefault({}) }),
    CommonOptions.extend({ format: z.literal('rl'), rl: RlOptions.prefault({}) }),
    CommonOptions.extend({ format: z.literal('transcript'), transcript: TranscriptExportOptions.prefault({}) }),
  ],
  { error: `format must be one of ${EXPORT_FORMATS.join(', ')}` },
);
export type ExportOptions = z.infer<typeof ExportOptions>;
export type ExportOptionsInput = z.input<typeof ExportOptions>;
/** The options of one format, e.g. `OptionsOf<'trace'>` has `trace` and no other format's options. */
export type OptionsOf<F extends ExportFormat> = Extract<ExportOptions, { format: F }>;

const OutputOptions = z.object({
  /** The folder to write into (created if missing); nothing is written outside it. */
  outDir: z.string().min(1, 'outDir must not be empty').max(4096),
  parquet: z.boolean().default(false),
  /** Replace files of an earlier export in the same folder. */
  overwrite: z.boolean().default(false),
});

export const ExportRequest = z.intersection(ExportOptions, OutputOptions).superRefine((r, ctx) => {
  if (r.format === 'rl' && r.rl.target === 'verl' && !r.parquet) {
    ctx.addIssue({ code: 'custom', path: ['parquet'], message: "verl reads Parquet files: set parquet (--parquet) for target 'verl'" });
  }
});
export type ExportRequest = z.infer<typeof ExportRequest>;
export type ExportRequestInput = z.input<typeof ExportRequest>;

const Counts = z.record(z.string(), z.number());

export const SplitSummary = z.object({
  split: z.enum(['train', 'test']),
  records: z.number().int(),
  problems: z.number().int(),
  runs: z.number().int(),
  labels: Counts,
});

export const ExportSummary = z.object({
  format: ExportFormat,
  records: z.number().int(),
  runs: z.number().int(),
  problems: z.number().int(),
  splits: z.array(SplitSummary),
  /** Label balance over all records (e.g. `true`/`false`, `+1`/`0`/`-1`, `goal`/`no_goal`). */
  labels: Counts,
  /** Why trees or records were left out, with counts. */
  skipped: Counts,
  files: z.array(z.object({ path: z.string(), bytes: z.number().int(), records: z.number().int().nullable() })),
  /** The first record, as written (a preview shows it); null when there is none. */
  sample: z.record(z.string(), z.unknown()).nullable().default(null),
  durationMs: z.number(),
});
export type ExportSummary = z.infer<typeof ExportSummary>;

export const ImportMapping = z.object({
  /** problems: which preset reads the file (`auto` guesses from the columns). */
  preset: z.enum(['auto', 'gsm8k', 'math', 'tot24', 'custom']).default('auto'),
  task: TaskName.optional(),
  promptField: z.string().max(200).optional(),
  answerField: z.string().max(200).optional(),
  /** How the gold answer is read from the answer field. */
  answerFormat: z.enum(['raw', 'gsm8k', 'boxed']).optional(),
});
export type ImportMapping = z.infer<typeof ImportMapping>;

export const ImportRequest = z.object({
  format: ImportFormat,
  path: z.string().min(1).max(4096),
  /** `jsonl`, `csv` or `text` (one document); guessed from the file name when left out (problems only read CSV, long-cot reads text and Markdown). */
  fileType: z.enum(['jsonl', 'csv', 'text']).optional(),
  mapping: ImportMapping.default(ImportMapping.parse({})),
  /** long-cot: how transcripts are cut into steps, and record fields under other names. */
  longCot: LongCotImportOptions.default(LongCotImportOptions.parse({})),
  /** Labels read from TRL and trace files are stored under this annotator. */
  annotator: AnnotatorId.default('import'),
  /** Import the good lines and write the bad ones, with reasons, to `reportPath`. */
  partial: z.boolean().default(false),
  reportPath: z.string().max(4096).optional(),
});
export type ImportRequest = z.infer<typeof ImportRequest>;
export type ImportRequestInput = z.input<typeof ImportRequest>;

export const ImportLineError = z.object({ line: z.number().int(), reason: z.string() });
export type ImportLineError = z.infer<typeof ImportLineError>;

export const ImportSummary = z.object({
  format: ImportFormat,
  /** True when anything was written (false: a file with errors and no `partial`). */
  committed: z.boolean(),
  lines: z.number().int(),
  problems: z.number().int(),
  /** Problems already in the database (same task and prompt), reused rather than duplicated. */
  existingProblems: z.number().int(),
  runs: z.number().int(),
  nodes: z.number().int(),
  labels: z.number().int(),
  errors: z.array(ImportLineError),
  /** How many errors there were in all (`errors` lists the first 1,000). */
  errorCount: z.number().int(),
  reportPath: z.string().nullable(),
  durationMs: z.number(),
});
export type ImportSummary = z.infer<typeof ImportSummary>;

export const exportMethods = {
  exportData: method(
    ExportRequest,
    ExportSummary,
    'Writes an export (TRL, PRM800K, Math-Shepherd, trace, preference, RL prompts) as JSONL or Parquet plus a dataset card.',
  ),
  previewExport: method(ExportOptions, ExportSummary, 'Counts what an export would write and shows its first record, writing nothing.'),
  importData: method(
    ImportRequest,
    ImportSummary,
    'Imports problems, PRM800K, Math-Shepherd, TRL or trace files; all or nothing unless partial.',
  ),
};
