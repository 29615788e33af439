/**
 * Search statistics of a transcript tree and of a corpus of them: attempts, backtracks,
 * verifications, depth, tokens per branch, and the Failed-Step Fraction (share of steps in
 * abandoned branches; "What Characterizes Effective Reasoning?", 2025).
 */
import type { CorpusStats, TranscriptStats } from '../../../common/contract/transcript';
import type { Outcome } from '../../../common/domain';
import type { StepRelation, StepTag } from './lexicon';

export type { CorpusStats, TranscriptStats };

/** What stats need of a step; the import and the stored tree both give it. */
export interface StatStep {
  text: string;
  parent: number;
  relation: StepRelation;
  tag: StepTag;
  answer: string | null;
  outcome: Outcome | null;
  leaf: boolean;
  abandoned: boolean;
}

/** A rough token count (OpenAI's rule of thumb: 4 characters a token), for comparing branches. */
export const estimateTokens = (text: string): number => Math.ceil(text.length / 4);

export function transcriptStats(steps: readonly StatStep[]): TranscriptStats {
  const depth: number[] = [];
  const tokens: number[] = [];
  const tags: Partial<Record<StepTag, number>> = {};
  let finalAnswer: string | null = null;
  let finalOutcome: Outcome | null = null;
  steps.forEach((s, i) => {
    depth[i] = s.parent < 0 ? 1 : depth[s.parent]! + 1;
    tokens[i] = estimateTokens(s.text) + (s.parent < 0 ? 0 : tokens[s.parent]!);
    tags[s.tag] = (tags[s.tag] ?? 0) + 1;
    if (!s.abandoned && s.answer !== null) (finalAnswer = s.answer), (finalOutcome = s.outcome);
  });
  const leaves = steps.map((s, i) => (s.leaf ? i : -1)).filter((i) => i >= 0);
  const abandonedSteps = steps.filter((s) => s.abandoned).length;
  const count = (relation: StepRelation) => steps.filter((s) => s.relation === relation).length;
  return {
    steps: steps.length,
    attempts: steps.length ? 1 + count('explore') : 0,
    backtracks: count('backtrack'),
    verifications: count('verify'),
    branches: leaves.length,
    abandonedBranches: leaves.filter((i) => steps[i]!.abandoned).length,
    depth: Math.max(0, ...depth),
    tokensPerBranch: leaves.map((i) => tokens[i]!),
    abandonedSteps,
    failedStepFraction: steps.length ? abandonedSteps / steps.length : 0,
    statedAnswers: steps.filter((s) => s.answer !== null).length,
    correctAnswers: steps.filter((s) => s.answer !== null && s.outcome === 'correct').length,
    finalAnswer,
    finalOutcome,
    tags,
  };
}

export function corpusStats(all: Iterable<TranscriptStats>): CorpusStats {
  let n = 0;
  const sum = { steps: 0, attempts: 0, backtracks: 0, verifications: 0, depth: 0, abandoned: 0, fsf: 0, checked: 0, correct: 0 };
  let branchTokens = 0;
  let branches = 0;
  const tags: Partial<Record<StepTag, number>> = {};
  for (const s of all) {
    n += 1;
    sum.steps += s.steps;
    sum.attempts += s.attempts;
    sum.backtracks += s.backtracks;
    sum.verifications += s.verifications;
    sum.depth += s.depth;
    sum.abandoned += s.abandonedSteps;
    sum.fsf += s.failedStepFraction;
    if (s.finalOutcome !== null) sum.checked += 1;
    if (s.finalOutcome === 'correct') sum.correct += 1;
    for (const t of s.tokensPerBranch) (branchTokens += t), (branches += 1);
    for (const [tag, k] of Object.entries(s.tags)) tags[tag as StepTag] = (tags[tag as StepTag] ?? 0) + k;
  }
  const mean = (x: number) => (n ? x / n : 0);
  return {
    transcripts: n,
    steps: sum.steps,
    meanSteps: mean(sum.steps),
    meanAttempts: mean(sum.attempts),
    meanBacktracks: mean(sum.backtracks),
    meanVerifications: mean(sum.verifications),
    meanDepth: mean(sum.depth),
    meanTokensPerBranch: branches ? branchTokens / branches : 0,
    failedStepFraction: sum.steps ? sum.abandoned / sum.steps : 0,
    meanFailedStepFraction: mean(sum.fsf),
    checked: sum.checked,
    correct: sum.correct,
    tags,
  };
}
