/**
 * PRM800K-shaped JSON Lines (phase-2 layout: labeler, question, label.steps with rated
 * completions, no studio metadata) of a chosen size, for stall and scale measurements. The text is
 * generated, so no record comes from any real dataset; sizes per record (about 4 KB, 12 steps of
 * 3 completions) are in the range of the real file.
 */
import fs from 'node:fs';

function record(i: number): string {
  const steps = Array.from({ length: 12 }, (_, s) => ({
    completions: [0, 1, 2].map((c) => ({
      text: `Step ${s + 1} of problem ${i}, try ${c}: we have ${i + s} apples and ${c + s} pears, so ${i + s} + ${c + s} = ${i + c + 2 * s}. Next we look at what is left.`,
      rating: c === 0 ? 1 : c === 1 ? 0 : -1,
      flagged: false,
    })),
    human_completion: null,
    chosen_completion: 0,
  }));
  return JSON.stringify({
    labeler: `labeler-${i % 7}`,
    timestamp: '2023-01-01T00:00:00.000Z',
    generation: 1,
    is_quality_control_question: false,
    is_initial_screening_question: false,
    question: {
      problem: `Problem ${i}: a farmer has ${i} apples and buys ${i % 13} more every day for a week. How many apples does the farmer have?`,
      ground_truth_answer: String(i + 7 * (i % 13)),
      pre_generated_steps: null,
      pre_generated_answer: null,
      pre_generated_verifier_score: null,
    },
    label: { steps, total_time: 60_000, finish_reason: 'solution' },
  });
}

/** Writes records until the file reaches `bytes`; returns how many records it holds. */
export function writeSyntheticPrm800k(file: string, bytes: number): number {
  const fd = fs.openSync(file, 'w');
  let written = 0;
  let records = 0;
  try {
    while (written < bytes) {
      const line = `${record(records)}\n`;
      fs.writeSync(fd, line);
      written += Buffer.byteLength(line);
      records += 1;
    }
  } finally {
    fs.closeSync(fd);
  }
  return records;
}
