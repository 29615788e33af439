/**
 * The hand-checkable database the export tests read (golden files in tests/fixtures/formats/
 * were written from this description and the format specifications, not from the exporter):
 *
 * Run 1, countdown 24 from [4, 9, 3] (tests/helpers/seed.ts), algorithm bfs:
 *   0 root ─┬─ 1 9*3=27 ── 4 27-4=23 (incorrect)
 *           ├─ 2 9-3=6 ─┬─ 5 4*6=24 (correct)
 *           │           └─ 6 6-4=2 (incorrect)
 *           └─ 3 4+3=7 ── 7 9+7=16 (incorrect)
 *   alice: 1 +1, 2 +1, 3 -1, 4 -1, 5 +1, 6 -1, 7 0     bob: 1 -1, 2 +1, 5 +1, 7 -1     carol: 1 +1, 3 -1
 *   majority: 1 +1, 2 +1, 3 -1, 4 -1, 5 +1, 6 -1, 7 none (a tie)
 *   branch ratings: alice prefers 5 (score 5) and scores 4 with 2; bob scores 7 with 1.
 *
 * Run 2, math (GSM8K's first problem, gold 72), algorithm dfs:
 *   0 root ─┬─ 1 "Natalia sold 48/2 = 24 clips in May." ─┬─ 3 "Altogether she sold 48+24 = 72 clips.\nThe answer is 72" (correct, score 0.9)
 *           │                                            └─ 4 "The answer is 24" (incorrect)
 *           └─ 2 "In May she sold 48*2 = 96 clips." ─────┬─ 5 "The answer is 144" (incorrect)
 *                                                        └─ 6 "So 48+96 = 144 clips." PRUNED ── 7 "The answer is 144"
 *   alice: 1 +1, 2 -1, 3 +1, 4 -1, 5 -1, 6 -1, 7 -1
 *
 * Run 3, countdown 10 from [2, 3], algorithm bfs, unlabeled and unsolved:
 *   0 root ─┬─ 1 2+3=5 (incorrect)   ├─ 2 2*3=6 (incorrect)   └─ 3 3-2=1 (incorrect)
 *
 * Every annotation of seq k is stamped 2024-05-01T10:00:0k.000Z; runs 2024-05-01T09:00:00.000Z.
 */
import type { Rating } from '../../../common/domain';
import type { NewNode } from '../../../main/engine/store/node-writer';
import { Store } from '../../../main/engine/store/store';
import { SAMPLE_STEPS } from '../../helpers/seed';

export const MATH_PROMPT =
  'Natalia sold clips to 48 of her friends in April, and then she sold half as many clips in May. ' +
  'How many clips did Natalia sell altogether in April and May?';

export const MATH_REFERENCE = 'Natalia sold 48/2 = <<48/2=24>>24 clips in May.\nNatalia sold 48+24 = <<48+24=72>>72 clips altogether in April and May.\n#### 72';

const MATH_STEPS: NewNode[] = [
  { seq: 0, parentSeq: null, depth: 0, expansion: 0, stepText: '' },
  { seq: 1, parentSeq: 0, depth: 1, expansion: 1, stepText: 'Natalia sold 48/2 = 24 clips in May.' },
  { seq: 2, parentSeq: 0, depth: 1, expansion: 1, stepText: 'In May she sold 48*2 = 96 clips.' },
  {
    seq: 3,
    parentSeq: 1,
    depth: 2,
    expansion: 2,
    stepText: 'Altogether she sold 48+24 = 72 clips.\nThe answer is 72',
    isTerminal: true,
    outcome: 'correct',
    score: 0.9,
  },
  { seq: 4, parentSeq: 1, depth: 2, expansion: 2, stepText: 'The answer is 24', isTerminal: true, outcome: 'incorrect' },
  { seq: 5, parentSeq: 2, depth: 2, expansion: 3, stepText: 'The answer is 144', isTerminal: true, outcome: 'incorrect' },
  { seq: 6, parentSeq: 2, depth: 2, expansion: 3, stepText: 'So 48+96 = 144 clips.' },
  { seq: 7, parentSeq: 6, depth: 3, expansion: 4, stepText: 'The answer is 144', isTerminal: true, outcome: 'incorrect' },
];

const UNSOLVED_STEPS: NewNode[] = [
  { seq: 0, parentSeq: null, depth: 0, expansion: 0, stepText: '', state: '10:[2, 3]' },
  { seq: 1, parentSeq: 0, depth: 1, expansion: 1, stepText: '2+3=5', state: '10:[5]', isTerminal: true, outcome: 'incorrect' },
  { seq: 2, parentSeq: 0, depth: 1, expansion: 1, stepText: '2*3=6', state: '10:[6]', isTerminal: true, outcome: 'incorrect' },
  { seq: 3, parentSeq: 0, depth: 1, expansion: 1, stepText: '3-2=1', state: '10:[1]', isTerminal: true, outcome: 'incorrect' },
];

function addRun(store: Store, problemId: number, algorithm: 'bfs' | 'dfs', steps: NewNode[]): number[] {
  const run = store.runs.create({ problemId, algorithm, policy: 'test', seed: 1 });
  const writer = store.nodeWriter(run.id);
  steps.forEach((s) => writer.add(s));
  writer.close();
  store.runs.setStatus(run.id, 'done');
  return store.nodes.forRun(run.id).map((n) => n.id);
}

export interface FixtureDb {
  store: Store;
  /** Node ids by run (1-3) and seq. */
  ids: Record<1 | 2 | 3, number[]>;
}

export function buildFixtureDb(file: string): FixtureDb {
  const store = Store.open(file);
  const countdown = store.problems.insert({
    task: 'countdown',
    prompt: '24:[4, 9, 3]',
    goldAnswer: '24',
    metadata: { numbers: [4, 9, 3], target: 24 },
  });
  const math = store.problems.insert({
    task: 'math',
    prompt: MATH_PROMPT,
    goldAnswer: '72',
    metadata: { reference: MATH_REFERENCE, source: 'GSM8K' },
  });
  const unsolved = store.problems.insert({
    task: 'countdown',
    prompt: '10:[2, 3]',
    goldAnswer: '10',
    metadata: { numbers: [2, 3], target: 10 },
  });
  const ids = {
    1: addRun(store, countdown, 'bfs', SAMPLE_STEPS),
    2: addRun(store, math, 'dfs', MATH_STEPS),
    3: addRun(store, unsolved, 'bfs', UNSOLVED_STEPS),
  };
  const label = (run: 1 | 2, who: string, ratings: Record<number, Rating>) => {
    for (const [seq, rating] of Object.entries(ratings)) store.annotations.setLabel(ids[run][Number(seq)]!, who, { rating });
  };
  label(1, 'alice', { 1: 1, 2: 1, 3: -1, 4: -1, 5: 1, 6: -1, 7: 0 });
  label(1, 'bob', { 1: -1, 2: 1, 5: 1, 7: -1 });
  label(1, 'carol', { 1: 1, 3: -1 });
  label(2, 'alice', { 1: 1, 2: -1, 3: 1, 4: -1, 5: -1, 6: -1, 7: -1 });
  store.annotations.rateBranch(ids[1][5]!, 'alice', { preferred: true, score: 5 });
  store.annotations.rateBranch(ids[1][4]!, 'alice', { score: 2 });
  store.annotations.rateBranch(ids[1][7]!, 'bob', { score: 1 });
  store.annotations.setPruned(ids[2][6]!, 'alice', true);
  store.connection.exec(`
    UPDATE annotations SET
      created_at = '2024-05-01T10:00:0' || (SELECT seq FROM nodes WHERE nodes.id = annotations.node_id) || '.000Z',
      updated_at = '2024-05-01T10:00:0' || (SELECT seq FROM nodes WHERE nodes.id = annotations.node_id) || '.000Z';
    UPDATE runs SET created_at = '2024-05-01T09:00:00.000Z';
  `);
  return { store, ids };
}
