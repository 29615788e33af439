/**
 * Small, hand-checkable trees for tests that need a database but not a search: a countdown
 * problem with a real arithmetic tree (every step is true arithmetic on the numbers left).
 */
import { Store } from '../../main/engine/store/store';
import type { NewNode } from '../../main/engine/store/node-writer';

export interface SeededTree {
  store: Store;
  runId: number;
  problemId: number;
  /** Node ids by seq. */
  ids: number[];
}

/**
 * 24 from [4, 9, 3]:
 *   0 root
 *   ├─ 1  9*3=27 [4, 27]   ├─ 4 27-4=23 [23] (incorrect)
 *   ├─ 2  9-3=6  [4, 6]    ├─ 5 4*6=24  [24] (correct)   └─ 6 6-4=2 [2] (incorrect)
 *   └─ 3  4+3=7  [9, 7]    └─ 7 9+7=16 [16] (incorrect)
 */
export const SAMPLE_STEPS: NewNode[] = [
  { seq: 0, parentSeq: null, depth: 0, expansion: 0, stepText: '', state: '24:[4, 9, 3]' },
  { seq: 1, parentSeq: 0, depth: 1, expansion: 1, stepText: '9*3=27', state: '24:[4, 27]', exactLabel: -1 },
  { seq: 2, parentSeq: 0, depth: 1, expansion: 1, stepText: '9-3=6', state: '24:[4, 6]', exactLabel: 1 },
  { seq: 3, parentSeq: 0, depth: 1, expansion: 1, stepText: '4+3=7', state: '24:[9, 7]', exactLabel: -1 },
  { seq: 4, parentSeq: 1, depth: 2, expansion: 2, stepText: '27-4=23', state: '24:[23]', isTerminal: true, outcome: 'incorrect', exactLabel: -1 },
  { seq: 5, parentSeq: 2, depth: 2, expansion: 3, stepText: '4*6=24', state: '24:[24]', isTerminal: true, outcome: 'correct', exactLabel: 1 },
  { seq: 6, parentSeq: 2, depth: 2, expansion: 3, stepText: '6-4=2', state: '24:[2]', isTerminal: true, outcome: 'incorrect', exactLabel: -1 },
  { seq: 7, parentSeq: 3, depth: 2, expansion: 4, stepText: '9+7=16', state: '24:[16]', isTerminal: true, outcome: 'incorrect', exactLabel: -1 },
];

export function seedSampleTree(dbPath: string, steps: NewNode[] = SAMPLE_STEPS): SeededTree {
  const store = Store.open(dbPath);
  const problemId = store.problems.insert({
    task: 'countdown',
    prompt: '24:[4, 9, 3]',
    goldAnswer: '24',
    metadata: { numbers: [4, 9, 3], target: 24 },
  });
  const run = store.runs.create({ problemId, algorithm: 'bfs', policy: 'test-enumerator', seed: 1 });
  const writer = store.nodeWriter(run.id);
  for (const step of steps) writer.add(step);
  writer.close();
  store.runs.setStatus(run.id, 'done');
  store.runs.updateStats(run.id, { nodes: steps.length }, steps.some((s) => s.outcome === 'correct'));
  const ids = store.nodes.forRun(run.id).map((n) => n.id);
  return { store, runId: run.id, problemId, ids };
}
