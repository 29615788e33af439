/** The R1-style transcript fixture, and the record shapes of public long-CoT datasets built from it. */
import fs from 'node:fs';
import path from 'node:path';
import { splitThink } from '../../../main/engine/longcot/think';

export const FIXTURE_PATH = path.resolve(__dirname, '../../fixtures/longcot/r1-perfect-square.md');
export const FIXTURE = fs.readFileSync(FIXTURE_PATH, 'utf8');
const parts = splitThink(FIXTURE)!;
export const PROBLEM = parts.prefix.replace('<think>', '').trim();
export const REASONING = parts.reasoning;
export const ANSWER = parts.answer;
/** The response as a chat model returns it: `<think>` reasoning `</think>` answer. */
export const RESPONSE = `<think>${REASONING}</think>${ANSWER}`;
export const GOLD_SOLUTION = 'Completing the square, $(2k)^2 - (2n-19)^2 = 35$, so $n \\in \\{1, 9, 10, 18\\}$ and the sum is $\\boxed{38}$.';

/** A second, wrong generation for OpenR1-Math: one attempt that never backtracks. */
export const WRONG_RESPONSE =
  '<think>\nWe need $n^2 - 19n + 99 = k^2$. Trying $n = 1$ gives 81, a square. Trying $n = 9$ gives 9, a square.\n\n' +
  'So the answer is 10.\n</think>\n\nThe sum is $\\boxed{10}$.';

export const SHAPES: Record<string, Record<string, unknown>> = {
  chatThink: { messages: [{ role: 'user', content: PROBLEM }, { role: 'assistant', content: RESPONSE }], answer: '38' },
  chatReasoningContent: {
    messages: [
      { role: 'system', content: 'You are a helpful assistant.' },
      { role: 'user', content: PROBLEM },
      { role: 'assistant', content: ANSWER, reasoning_content: REASONING },
    ],
    answer: '38',
  },
  conversationsOpenThoughts: {
    system: 'Your role as an assistant involves thoroughly exploring questions...',
    conversations: [
      { from: 'user', value: PROBLEM },
      { from: 'assistant', value: `<|begin_of_thought|>${REASONING}<|end_of_thought|>\n\n<|begin_of_solution|>${ANSWER}<|end_of_solution|>` },
    ],
  },
  openThoughts: {
    problem: PROBLEM,
    deepseek_reasoning: REASONING,
    deepseek_solution: ANSWER,
    ground_truth_solution: GOLD_SOLUTION,
    domain: 'math',
  },
  s1k: {
    question: PROBLEM,
    deepseek_thinking_trajectory: REASONING,
    deepseek_attempt: ANSWER,
    solution: GOLD_SOLUTION,
    cot_type: 'math',
  },
  openR1: {
    problem: PROBLEM,
    solution: GOLD_SOLUTION,
    answer: '38',
    generations: [RESPONSE, WRONG_RESPONSE],
    correctness_math_verify: [true, false],
  },
};
