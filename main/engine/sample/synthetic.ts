/**
 * A synthetic database at the scale users reach when they grow a PRM dataset: many runs, realistic
 * branching (2-4 children, deeper on promising branches), countdown-length and word-problem-length
 * step texts, some labels. For benchmarks and scale tests; the trees are plausible, not solved.
 */
import type { Rating } from '../../../common/domain';
import { Random } from '../tasks/random';
import type { NewNode } from '../store/node-writer';
import { Store } from '../store/store';

export interface SyntheticOptions {
  runs: number;
  /** Mean nodes per ordinary run. */
  nodesPerRun: number;
  /** One extra run of exactly this many nodes (the "big tree" benchmarks open); 0 for none. */
  bigRunNodes?: number;
  /** Share of nodes with a human label. */
  labeledShare?: number;
  seed?: number;
  onProgress?: (runsDone: number, nodesDone: number) => void;
}

const WORDS = 'so the total is then we subtract from each of which leaves apples per day more than half twice'.split(' ');

function stepText(rng: Random, math: boolean): string {
  if (!math) {
    const a = rng.int(1, 100);
    const b = rng.int(1, 100);
    return `${Math.max(a, b)}-${Math.min(a, b)}=${Math.abs(a - b)}`;
  }
  const n = rng.int(12, 40);
  const words = Array.from({ length: n }, () => WORDS[rng.int(0, WORDS.length - 1)]);
  return `${words.join(' ')} ${rng.int(2, 90)} * ${rng.int(2, 12)} = ${rng.int(4, 1080)}.`;
}

/** Grows one tree of `size` nodes breadth-wise with 2-4 children per expanded node. */
function* treeNodes(rng: Random, size: number, math: boolean): Generator<NewNode> {
  yield { seq: 0, parentSeq: null, depth: 0, expansion: 0, stepText: '' };
  const frontier: { seq: number; depth: number }[] = [{ seq: 0, depth: 0 }];
  let seq = 1;
  let expansion = 0;
  while (seq < size && frontier.length > 0) {
    // Prefer recent nodes (depth-first-ish) as MCTS does on promising branches.
    const pick = rng.next() < 0.7 ? frontier.length - 1 : rng.int(0, frontier.length - 1);
    const [parent] = frontier.splice(pick, 1);
    expansion++;
    const children = Math.min(rng.int(2, 4), size - seq);
    for (let c = 0; c < children; c++) {
      const depth = parent!.depth + 1;
      const terminal = depth >= 4 && rng.next() < 0.5;
      yield {
        seq,
        parentSeq: parent!.seq,
        depth,
        expansion,
        stepText: stepText(rng, math),
        logprob: -rng.next() * 4,
        prior: rng.next(),
        visits: rng.int(0, 20),
        q: rng.next(),
        score: rng.next(),
        isTerminal: terminal,
        outcome: terminal ? (rng.next() < 0.3 ? 'correct' : 'incorrect') : null,
      };
      if (!terminal) frontier.push({ seq, depth });
      seq++;
    }
  }
}

export function buildSyntheticDb(file: string, options: SyntheticOptions): { runs: number; nodes: number; bigRunId: number | null } {
  const rng = new Random(options.seed ?? 1);
  const store = Store.open(file);
  const labeledShare = options.labeledShare ?? 0.05;
  let nodes = 0;
  let bigRunId: number | null = null;
  const grow = (size: number, math: boolean, algorithm: 'mcts' | 'bfs' | 'beam') => {
    const problemId = store.problems.insert(
      math
        ? { task: 'math', prompt: `Synthetic word problem ${rng.int(1, 1e9)}: how many apples are left?`, goldAnswer: String(rng.int(1, 500)) }
        : { task: 'countdown', prompt: `${rng.int(10, 100)}:[${[1, 2, 3, 4].map(() => rng.int(1, 50)).join(', ')}]`, goldAnswer: null },
    );
    const run = store.runs.create({ problemId, algorithm, policy: 'synthetic', seed: rng.int(0, 1e6), status: 'done' });
    const writer = store.nodeWriter(run.id, { maxBatch: 5000, flushIntervalMs: 1000 });
    let count = 0;
    for (const node of treeNodes(rng, size, math)) {
      writer.add(node);
      count++;
    }
    writer.close();
    const ratings: { seq: number; rating: Rating }[] = [];
    for (let seq = 1; seq < count; seq++) if (rng.next() < labeledShare) ratings.push({ seq, rating: rng.int(-1, 1) as Rating });
    store.seedLabels.rateBySeq(run.id, 'synthetic', ratings);
    store.runs.updateStats(run.id, { nodes: count }, rng.next() < 0.4);
    nodes += count;
    return run.id;
  };
  const algorithms = ['mcts', 'bfs', 'beam'] as const;
  for (let i = 0; i < options.runs; i++) {
    const size = Math.max(2, Math.round(options.nodesPerRun * (0.5 + rng.next())));
    grow(size, rng.next() < 0.3, algorithms[i % 3]!);
    if (i % 100 === 0) options.onProgress?.(i, nodes);
  }
  if (options.bigRunNodes) bigRunId = grow(options.bigRunNodes, false, 'mcts');
  store.runs.refreshLabeledCount();
  store.checkpointWal();
  store.close();
  return { runs: options.runs + (bigRunId ? 1 : 0), nodes, bigRunId };
}
