/**
 * PRM800K records for the import and round-trip tests: the example record of the dataset's README
 * (openai/prm800k), as published (phase 2: the third step has no completion chosen).
 */
export const PRM800K_README_RECORD = {
  labeler: '340d89bc-f5b7-45e9-b272-909ba68ee363',
  timestamp: '2023-01-22T04:34:27.052924',
  generation: 9,
  is_quality_control_question: false,
  is_initial_screening_question: false,
  question: {
    problem: 'What is the greatest common factor of $20 !$ and $200,\\!000$?',
    ground_truth_solution: 'So the greatest common factor is $2^6 \\cdot 5^4=\\boxed{40,\\!000}$.',
    ground_truth_answer: '40,\\!000',
    pre_generated_steps: ['I want to find...', 'One way...', 'I know that...'],
    pre_generated_answer: '320,000',
    pre_generated_verifier_score: 0.010779580529581414,
  },
  label: {
    steps: [
      { completions: [{ text: 'I want to find the largest positive integer.', rating: 0, flagged: null }], human_completion: null, chosen_completion: 0 },
      { completions: [{ text: 'One way to do this is to factor both numbers.', rating: 0, flagged: null }], human_completion: null, chosen_completion: 0 },
      {
        completions: [
          { text: 'I know that $200,\\!000 = 2^9 5^4$.', rating: -1, flagged: null },
          { text: 'To factor $20 !$, I can use...', rating: 0, flagged: false },
          { text: 'I can use a factor tree.', rating: 0, flagged: true },
        ],
        human_completion: null,
        chosen_completion: null,
      },
    ],
    total_time: 278270,
    finish_reason: 'found_error',
  },
};
