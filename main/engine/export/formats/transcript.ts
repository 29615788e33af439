/**
 * Long-CoT transcripts out again. `clean`: the response with abandoned branches removed (every
 * step off the path to the last step the model wrote), the Meta-CoT paper's "clean" variant for
 * SFT without the search. `tagged`: the response as written, with each step's text, function
 * tag, relation, parent, abandoned flag, stated answer and label, so the rebuilt tree and its
 * reading order travel together. Runs that are no transcript are left out.
 */
import type { OptionsOf } from '../../../../common/contract/export';
import { loadTranscript, type StoredStep, type StoredTranscript } from '../../longcot/store';
import { transcriptStats } from '../../longcot/stats';
import type { ColumnSpec } from '../sinks/types';
import type { ExportTree } from '../tree';
import { countInto, type ExportFormatWriter, type FormatContext, type FormatRecord } from './types';

type Options = OptionsOf<'transcript'>;

/** The think tag the response opened with (kept in the prefix), so a completion reopens it. */
function openTag(t: StoredTranscript): string {
  return /(<think>|<\|begin_of_thought\|>)$/.exec(t.prefix)?.[1] ?? '';
}

function completion(t: StoredTranscript, steps: readonly StoredStep[]): string {
  const text = (section: StoredStep['section']) => steps.filter((s) => s.section === section).map((s) => s.text).join('');
  return openTag(t) + text('reasoning') + t.middle + text('answer') + t.suffix;
}

export const transcriptFormat: ExportFormatWriter<Options> = {
  columns(options): ColumnSpec[] {
    const base: ColumnSpec[] = [
      { name: 'prompt', kind: 'string' },
      { name: 'completion', kind: 'string' },
    ];
    if (options.transcript.variant === 'tagged') base.push({ name: 'steps', kind: 'json' });
    base.push({ name: 'meta', kind: 'json' });
    return base;
  },

  describe(options): string {
    const tagged = options.transcript.variant === 'tagged';
    return [
      tagged
        ? 'Long chains of thought as written (`prompt`, `completion`), with `steps`: each step\'s `text` (concatenated in order they give the reasoning and answer back exactly), `tag` (Thought Anchors taxonomy), `relation` (continue, explore, backtrack, verify: LCoT2Tree), `parent` (index of the step it hangs under, -1 for the problem), `abandoned`, the `answer` it states with its `outcome`, and its `label` from the label source.'
        : 'Long chains of thought with abandoned branches removed (`prompt`, `completion`): only the steps on the path to the last step the model wrote, in reading order, then the final answer; the Meta-CoT "clean" variant.',
      '',
      '`meta` holds the run, the segmenter, the gold and final answers, and the Failed-Step Fraction of the transcript. Pruned subtrees are left out unless pruned steps are included.',
    ].join('\n');
  },

  *records(tree: ExportTree, ctx: FormatContext<Options>): Iterable<FormatRecord> {
    const t = loadTranscript(ctx.db, tree.run.id);
    if (!t) {
      ctx.skip('not a long-CoT transcript');
      return;
    }
    const included = (s: StoredStep) => {
      const i = tree.indexOf(s.nodeId);
      return i !== undefined && tree.included[i] === 1;
    };
    const exported = t.steps.filter(included);
    const stats = transcriptStats(t.steps);
    const meta = {
      run_id: tree.run.id,
      problem_id: tree.problem.id,
      segmenter: t.segmenter,
      shape: t.shape,
      gold_answer: t.gold,
      final_answer: stats.finalAnswer,
      final_outcome: stats.finalOutcome,
      failed_step_fraction: stats.failedStepFraction,
    };
    const labels: Record<string, number> = {};
    if (ctx.options.transcript.variant === 'clean') {
      const kept = exported.filter((s) => !s.abandoned);
      countInto(labels, 'kept steps', kept.length);
      countInto(labels, 'removed steps', t.steps.length - kept.length);
      yield { row: { prompt: tree.problem.prompt, completion: completion(t, kept), meta: { ...meta, removed_steps: t.steps.length - kept.length } }, labels };
      return;
    }
    const index = new Map(exported.map((s, k) => [s.nodeId, k]));
    const steps = exported.map((s) => {
      countInto(labels, s.tag);
      const i = tree.indexOf(s.nodeId)!;
      return {
        text: s.text,
        section: s.section,
        tag: s.tag,
        relation: s.relation,
        parent: index.get(s.parentId) ?? -1,
        abandoned: s.abandoned,
        answer: s.answer,
        outcome: s.outcome,
        label: ctx.labels.rating(i),
        tagged_by: s.taggedBy,
      };
    });
    yield { row: { prompt: tree.problem.prompt, completion: completion(t, exported), steps, meta }, labels };
  },
};
