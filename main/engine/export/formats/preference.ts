/**
 * Preference pairs for DPO-style training (`prompt`, `chosen`, `rejected`). A preferred branch
 * is paired with every other branch of its tree; scored branches are paired when their scores
 * differ by the margin. Steps the two branches share belong to the prompt, so a pair differs
 * only where the branches do.
 */
import type { OptionsOf } from '../../../../common/contract/export';
import { branchViews } from '../branches';
import type { ColumnSpec } from '../sinks/types';
import type { ExportTree } from '../tree';
import { type ExportFormatWriter, type FormatContext, type FormatRecord } from './types';

type Options = OptionsOf<'preference'>;

export const STEP_SEPARATOR = '\n';

function pairRecord(tree: ExportTree, chosen: number, rejected: number, reason: string): FormatRecord {
  const a = tree.path(chosen);
  const b = tree.path(rejected);
  let shared = 0;
  while (shared < a.length && shared < b.length && a[shared] === b[shared]) shared += 1;
  const text = (ids: number[]) => ids.map((i) => tree.nodes[i]!.stepText).join(STEP_SEPARATOR);
  const prefix = text(a.slice(0, shared));
  return {
    row: {
      prompt: prefix ? `${tree.problem.prompt}${STEP_SEPARATOR}${prefix}` : tree.problem.prompt,
      chosen: text(a.slice(shared)),
      rejected: text(b.slice(shared)),
      meta: {
        run_id: tree.run.id,
        problem_id: tree.problem.id,
        reason,
        chosen_seq: tree.nodes[chosen]!.seq,
        rejected_seq: tree.nodes[rejected]!.seq,
        shared_steps: shared,
      },
    },
    labels: { [reason]: 1 },
  };
}

export const preferenceFormat: ExportFormatWriter<Options> = {
  columns(): ColumnSpec[] {
    return [
      { name: 'prompt', kind: 'string' },
      { name: 'chosen', kind: 'string' },
      { name: 'rejected', kind: 'string' },
      { name: 'meta', kind: 'json' },
    ];
  },

  describe(options: Options): string {
    const o = options.preference;
    return [
      'Preference pairs (`prompt`, `chosen`, `rejected`) for DPO-style trainers such as TRL\'s DPOTrainer.',
      '`prompt` is the problem plus the steps both branches share; `chosen` and `rejected` are the steps',
      `where they differ, joined by "\\n".`,
      '',
      '- `preferred`: a branch marked preferred, paired with each other branch of its tree.',
      `- \`score\`: two branches whose 1-5 scores differ by at least ${o.minScoreMargin}; the higher is chosen.`,
      `- At most ${o.maxPairsPerTree} pairs per tree.`,
    ].join('\n');
  },

  *records(tree: ExportTree, ctx: FormatContext<Options>): Iterable<FormatRecord> {
    const o = ctx.options.preference;
    const branches = branchViews(tree, ctx.options.labels);
    if (branches.size === 0) {
      ctx.skip('tree without branch ratings');
      return;
    }
    const ends = [...new Set([...tree.leaves(), ...branches.keys()])].sort((x, y) => x - y);
    const seen = new Set<string>();
    const pairs: [number, number, string][] = [];
    const add = (chosen: number, rejected: number, reason: string) => {
      const key = chosen < rejected ? `${chosen}:${rejected}` : `${rejected}:${chosen}`;
      if (chosen === rejected || seen.has(key)) return;
      // A branch that contains the other is no alternative to it.
      if (tree.path(chosen).includes(rejected) || tree.path(rejected).includes(chosen)) return;
      seen.add(key);
      pairs.push([chosen, rejected, reason]);
    };
    for (const [p, view] of [...branches].sort((x, y) => x[0] - y[0])) {
      if (!view.preferred) continue;
      for (const other of ends) if (!branches.get(other)?.preferred) add(p, other, 'preferred');
    }
    const scored = [...branches].filter(([, v]) => v.score !== null).sort((x, y) => x[0] - y[0]);
    for (let x = 0; x < scored.length; x++) {
      for (let y = x + 1; y < scored.length; y++) {
        const [i, a] = scored[x]!;
        const [j, b] = scored[y]!;
        const diff = a.score! - b.score!;
        if (Math.abs(diff) >= o.minScoreMargin) add(diff > 0 ? i : j, diff > 0 ? j : i, 'score');
      }
    }
    if (pairs.length > o.maxPairsPerTree) ctx.skip('pair over the per-tree limit', pairs.length - o.maxPairsPerTree);
    for (const [chosen, rejected, reason] of pairs.slice(0, o.maxPairsPerTree)) {
      yield pairRecord(tree, chosen, rejected, reason);
    }
  },
};
