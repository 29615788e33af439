/**
 * A transcript as a tree: segment the reasoning and the answer, read each step (tag, relation),
 * rebuild the parents, and check the answers each branch states. Pure; the import writes it.
 */
import type { Outcome } from '../../../common/domain';
import { branchOutcomes } from './answers';
import { readStep, type Section } from './classify';
import type { StepRelation, StepTag } from './lexicon';
import { segment, type SegmenterName } from './segment';
import type { TranscriptParts } from './think';
import { buildParents } from './tree';

export interface TranscriptStep {
  text: string;
  /** Offset of the step in reasoning + answer: the reading order. */
  start: number;
  section: Section;
  tag: StepTag;
  relation: StepRelation;
  /** Index of the parent step, -1 for the root (the problem). */
  parent: number;
  answer: string | null;
  outcome: Outcome | null;
  leaf: boolean;
  abandoned: boolean;
}

export interface TranscriptTree {
  segmenter: SegmenterName;
  parts: TranscriptParts;
  steps: TranscriptStep[];
}

/** Tags and relations of steps in reading order, with the state the rules carry along. */
export function readSteps(pieces: readonly { text: string; section: Section }[]): { tag: StepTag; relation: StepRelation }[] {
  let computed = false;
  let previous: Section | null = null;
  return pieces.map(({ text, section }) => {
    const reading = readStep(text, section, section !== previous, computed);
    previous = section;
    if (reading.tag === 'active_computation' || reading.tag === 'result_consolidation') computed = true;
    return reading;
  });
}

export function buildTranscriptTree(parts: TranscriptParts, segmenter: SegmenterName, gold: string | null): TranscriptTree {
  const steps: TranscriptStep[] = [];
  let offset = 0;
  for (const [section, text] of [['reasoning', parts.reasoning], ['answer', parts.answer]] as const) {
    for (const piece of segment(text, segmenter)) {
      steps.push({ text: piece, section, start: offset, tag: 'active_computation', relation: 'continue', parent: -1, answer: null, outcome: null, leaf: true, abandoned: false });
      offset += piece.length;
    }
  }
  readSteps(steps).forEach((reading, i) => Object.assign(steps[i]!, reading));
  const parents = buildParents(steps);
  const outcomes = branchOutcomes(
    steps.map((s) => s.text),
    parents,
    gold,
  );
  steps.forEach((s, i) => {
    s.parent = parents[i]!;
    s.answer = outcomes.answers[i]!;
    s.outcome = outcomes.outcome[i]!;
    s.leaf = outcomes.leaf[i]!;
    s.abandoned = outcomes.abandoned[i]!;
  });
  return { segmenter, parts, steps };
}
