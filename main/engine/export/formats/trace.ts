/**
 * Meta-CoT search traces for instruction tuning: each tree becomes one text that walks the
 * search in the order it visited nodes, with explicit exploration, evaluation and backtracking.
 * Countdown and Game of 24 use the exact Stream of Search syntax; other tasks the generic one.
 * Options choose the order, the backtrack style, which nodes are kept (and Dualformer-style
 * random dropping), and loss masks written as character spans beside the text.
 */
import type { OptionsOf } from '../../../../common/contract/export';
import { TASK_SPECS } from '../../../../common/tasks';
import type { ColumnSpec, ExportRow } from '../sinks/types';
import type { ExportTree } from '../tree';
import { backtrackLines } from '../trace/backtrack';
import { genericLines } from '../trace/generic';
import { linearise, type Linearised } from '../trace/linearise';
import { codePoints, joinLines, line, lineSpans, type TraceLine } from '../trace/lines';
import { selectNodes, type Selection } from '../trace/selection';
import { sosLines, sosStates, type SosState } from '../trace/sos';
import { getTask } from '../../tasks/registry';
import type { ExportFormatWriter, FormatContext, FormatRecord } from './types';

type Options = OptionsOf<'trace'>;


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

const ORDER_WORDS: Record<Options['trace']['order'], string> = {
  expansion: 'the order the search ran (its recorded expansions: DFS, BFS, best-first or MCTS as it went)',
  dfs: 'the stored tree re-ordered depth first',
  bfs: 'the stored tree re-ordered breadth first',
  score: 'the stored tree re-ordered best first by node score',
};

const BACKTRACK_WORDS: Record<Options['trace']['backtrack'], string> = {
  sos: 'the syntax\'s own lines (`Moving to Node #0,1`, `Backtracking to Node #0`)',
  token: 'one `[BACK]` line per step undone, then the steps down to where the search continues',
  natural: 'ASTRO-style sentences ("But wait, that answer is wrong. Let me go back to after \"...\" and try something else.")',
  tree: 'no moves: every step on a line with its parent\'s id (`[0,1] <- [0]: step`) and its outcome',
};

const KEEP_WORDS: Record<Options['trace']['keep'], (n: number) => string> = {
  all: () => 'every explored step',
  approved: () => 'only paths whose every step the label source rates +1',
  'first-failed': (n) => `the solution path and the first ${n} dead end(s) in visiting order, each with its path`,
  solution: () => 'the solution path alone (trees without a solution are left out)',
};

const MASK_WORDS: Record<Options['trace']['lossMask'], string> = {
  none: 'no `loss_spans`.',
  all: '`loss_spans` cover the whole trace and answer.',
  answer: '`loss_spans` cover only the answer: the `Solution:` block, or (without it) the lines of the step that reaches the goal.',
  correct: '`loss_spans` leave out the steps of incorrect branches (nodes with no goal below them); moves and backtracks stay in.',
};

/** SoS's own rating (src/countdown_utils.py `metric_fn`): 1 - explored/max nodes for a solved trace, else 0. */
const SOS_MAX_NODES: Record<number, number> = { 2: 4, 3: 48, 4: 1152, 5: 46080 };

function sosRating(text: string, numbers: number): number {
  if (!text.includes('Goal Reached')) return 0;
  const explored = text.split('Exploring Operation').length - 1 + 1;
  const max = SOS_MAX_NODES[numbers];
  return max ? Math.max(0, 1 - explored / max) : 0;
}

/** `24:[4, 9, 3]` numbers as SoS writes them (ints), or the text where one is a fraction. */
function sosNumbers(state: SosState): (number | string)[] {
  return state.numbers.map((n) => (/^-?\d+$/.test(n) ? Number(n) : n));
}

function renderLines(tree: ExportTree, lin: Linearised, o: Options['trace'], states: Map<number, SosState> | null, ctx: FormatContext<Options>): TraceLine[] {
  if (o.backtrack !== 'sos') return backtrackLines(tree, lin, o.backtrack);
  return states ? sosLines(tree, lin, o.order, states) : genericLines(tree, lin, o.includeLabels ? ctx.labels : null);
}

/** Nodes on a path to a kept goal: the `correct` mask trains on their steps only. */
function goalPaths(tree: ExportTree, kept: Set<number>): Set<number> {
  const good = new Set<number>();
  for (const i of kept) if (tree.isGoal(i)) for (const k of tree.path(i)) good.add(k);
  return good;
}

function spansFor(mask: Options['trace']['lossMask'], lines: TraceLine[], tree: ExportTree, sel: Selection, base: number): [number, number][] {
  if (mask === 'all') return lineSpans(lines, () => true, base);
  if (mask === 'answer') {
    const goal = sel.solution[sel.solution.length - 1];
    const answer = lines.some((l) => l.kind === 'answer');
    return lineSpans(lines, (l) => (answer ? l.kind === 'answer' : l.kind === 'step' && l.node === goal), base);
  }
  const good = goalPaths(tree, sel.kept);
  return lineSpans(lines, (l) => l.kind !== 'step' || good.has(l.node), base);
}

export const traceFormat: ExportFormatWriter<Options> = {
  columns(options: Options): ColumnSpec[] {
    const spans: ColumnSpec[] = options.trace.lossMask === 'none' ? [] : [{ name: 'loss_spans', kind: 'json' }];
    return options.trace.style === 'chat'
      ? [{ name: 'messages', kind: 'messages' }, ...spans, { name: 'meta', kind: 'json' }]
      : [
          { name: 'prompt', kind: 'string' },
          { name: 'completion', kind: 'string' },
          { name: 'search_path', kind: 'string?' },
          { name: 'target', kind: 'json' },
          { name: 'nums', kind: 'json' },
          { name: 'rating', kind: 'double?' },
          ...spans,
          { name: 'meta', kind: 'json' },
        ];
  },

  describe(options: Options): string {
    const o = options.trace;
    return [
      'Meta-CoT search traces: one record per tree, the search written out with explicit exploration, dead ends, backtracking and the goal.',
      '',
      '## Linearisation',
      '',
      `- Order: ${ORDER_WORDS[o.order]}.`,
      `- Backtracks: ${BACKTRACK_WORDS[o.backtrack]}.`,
      `- Kept: ${KEEP_WORDS[o.keep](o.failedBranches)}; pruned branches ${options.includePruned ? 'included' : 'left out'}.`,
      o.drop.rate > 0 || o.drop.wholeTrace > 0
        ? `- Dualformer-style dropping (seed ${o.drop.seed}): each step off the solution path dropped with its subtree with probability ${o.drop.rate}; a whole trace collapsed to its solution with probability ${o.drop.wholeTrace}.`
        : '- No random dropping.',
      o.stopAtGoal ? '- Each trace ends at the first correct answer it reaches.' : '- Traces continue past a correct answer, as the search did.',
      o.appendSolution ? '- A `Solution:` block with the solution path ends each solved trace.' : '- No solution block is appended.',
      '',
      '## Fields and masking',
      '',
      o.style === 'chat'
        ? '- `messages`: a user turn (the problem; for Stream of Search traces its `Current State: ...` line) and an assistant turn (the trace).'
        : '- `prompt` + `completion` (TRL prompt-completion). Stream of Search traces also carry the fields its trainer and evaluator read ' +
          '(kanishkg/stream-of-search `src/train.py`, `src/eval_neo.py`): `search_path` (the whole trace), `target`, `nums`, `rating`; ' +
          'their `prompt` is the trace\'s first line `Current State: <target>:[<nums>], Operations: []` and `completion` the rest, so `prompt + completion == search_path`.',
      `- Loss mask: ${MASK_WORDS[o.lossMask]}` +
        (o.lossMask === 'none' ? '' : ` Spans are [start, end) offsets in Unicode code points (Python \`str\` indices) into ${o.style === 'chat' ? 'the assistant message' : '`completion`'}; tokens whose characters fall inside a span get loss, the rest are masked (label -100).`),
      '- Stream of Search syntax (countdown, game24): `Current State: 24:[4, 9, 3], Operations: []`, `Exploring Operation: ...`, `Generated Node #0,0: ...`, `Moving to Node #0`, `24,24 equal: Goal Reached`.',
      '- Generic syntax (other tasks): `Exploring Step #id: text`, `Evaluation #id: +1|0|-1`, `Generated Node #id`, `Dead End #id: ...`, `Goal Reached #id`, `Moving to Node #id`, `Backtracking to Node #id`, `No solution found.`; ids are comma paths from the root `0`.',
      `- \`meta.syntax\` says which syntax a record uses; syntax option: ${o.syntax}.`,
      '- In Parquet files, `loss_spans`, `target`, `nums` and `meta` are JSON text; `search_path`, `target`, `nums` and `rating` are null (`null` text) for records not in Stream of Search syntax.',
    ].join('\n');
  },

  *records(tree: ExportTree, ctx: FormatContext<Options>): Iterable<FormatRecord> {
    const o = ctx.options.trace;
    if (tree.root < 0) return;
    const wantSos = o.syntax === 'sos' || (o.syntax === 'auto' && TASK_SPECS[tree.problem.task].traceSyntax === 'sos');
    const states = wantSos ? sosStates(tree, taskStates(tree)) : null;
    if (wantSos && !states && o.syntax === 'sos') {
      ctx.skip('tree without Stream of Search states');
      return;
    }
    const syntax = states ? 'sos' : 'generic';
    const invalid = states ? (i: number) => !tree.nodes[i]!.valid : undefined;
    const lineariseWith = (skip?: (i: number) => boolean) =>
      linearise(tree, { order: o.order, stopAtGoal: o.stopAtGoal, skip, numbering: states && o.order === 'bfs' ? 'generated' : 'all' });
    const full = lineariseWith(invalid);
    const sel = selectNodes(tree, full, o, ctx.labels);
    if (o.keep === 'solution' && sel.solution.length === 0) {
      ctx.skip('tree without a solution');
      return;
    }
    const everything = full.events.every((e) => e.type !== 'explore' || sel.kept.has(e.node));
    const lin = everything ? full : lineariseWith((i) => (invalid?.(i) ?? false) || !sel.kept.has(i));
    if (lin.events.length <= 2) {
      ctx.skip(o.keep === 'approved' ? 'tree with no approved step' : 'tree with no steps');
      return;
    }
    const lines = renderLines(tree, lin, o, states, ctx);
    if (o.appendSolution && sel.solution.length) {
      lines.push(line('Solution:', 'answer'), ...sel.solution.map((i) => line(tree.nodes[i]!.stepText.trim(), 'answer', i)));
    }
    const sosText = syntax === 'sos' && o.backtrack === 'sos' && lines[0]?.kind === 'start';
    const prompt = sosText ? lines[0]!.text : tree.problem.prompt;
    const body = sosText ? lines.slice(1) : lines;
    // SoS: prompt + completion is the whole trace, so the completion starts with the newline after the prompt.
    const lead = sosText && o.style === 'sft' ? '\n' : '';
    const text = lead + joinLines(body);
    const spans = o.lossMask === 'none' ? null : spansFor(o.lossMask, body, tree, sel, codePoints(lead));
    const meta = {
      run_id: tree.run.id,
      problem_id: tree.problem.id,
      task: tree.problem.task,
      gold_answer: tree.problem.goldAnswer,
      algorithm: tree.run.algorithm,
      syntax,
      order: o.order,
      backtrack: o.backtrack,
      keep: o.keep,
      solved: lin.solved,
      labeler: syntax === 'generic' && o.includeLabels && o.backtrack === 'sos' ? ctx.labels.name : null,
    };
    const withSpans = spans ? { loss_spans: spans } : {};
    let row: ExportRow;
    if (o.style === 'chat') {
      row = { messages: [{ role: 'user', content: prompt }, { role: 'assistant', content: text }], ...withSpans, meta };
    } else if (sosText) {
      const root = states!.get(tree.root)!;
      const searchPath = prompt + text;
      const nums = sosNumbers(root);
      const target = /^-?\d+$/.test(root.target) ? Number(root.target) : root.target;
      row = { prompt, completion: text, search_path: searchPath, target, nums, rating: sosRating(searchPath, nums.length), ...withSpans, meta };
    } else {
      row = { prompt, completion: text, ...withSpans, meta };
    }
    yield { row, labels: { [lin.solved ? 'goal reached' : 'no goal']: 1 } };
  },
};
