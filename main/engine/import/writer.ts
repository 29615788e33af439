/**
 * Writes imported problems and trees. Problems already in the database (same task and prompt)
 * are reused, so a dataset with many solutions per problem gives one problem with many runs, and
 * the train/test split keeps them together. Node states, validity and outcomes are replayed with
 * the task's rules where the file does not say. Labels go in as annotations with a history row
 * each (who labeled what, for audit and agreement) but on nobody's undo stack.
 */
import { createHash } from 'node:crypto';
import type { NewProblem, Problem } from '../../../common/domain';
import type { ImportedLabel } from '../store/annotations';
import type { AutoLabel } from '../store/auto-labels';
import type { NewNode } from '../store/node-writer';
import type { Store } from '../store/store';
import { getTask } from '../tasks/registry';
import type { ImportTree } from './types';

function problemKey(task: string, prompt: string): string {
  return createHash('sha1').update(`${task}\u0000${prompt}`).digest('base64');
}

export interface WriteCounts {
  problems: number;
  existingProblems: number;
  runs: number;
  nodes: number;
  labels: number;
}

export class ImportWriter {
  readonly counts: WriteCounts = { problems: 0, existingProblems: 0, runs: 0, nodes: 0, labels: 0 };
  private known: Map<string, number> | null = null;
  private readonly reused = new Set<number>();

  /** `onCreated` hears of every run and problem this writer inserts (an import batch records them). */
  constructor(
    private readonly store: Store,
    private readonly onCreated: (kind: 'run' | 'problem', id: number) => void = () => undefined,
  ) {}

  /** The id of this problem in the database, inserting it when new. */
  problemId(problem: NewProblem): number {
    if (!this.known) {
      this.known = new Map();
      for (const row of this.store.problems.identities()) this.known.set(problemKey(row.task, row.prompt), row.id);
    }
    const key = problemKey(problem.task, problem.prompt);
    const found = this.known.get(key);
    if (found !== undefined) {
      if (!this.reused.has(found)) {
        this.reused.add(found);
        this.counts.existingProblems += 1;
      }
      return found;
    }
    const id = this.store.problems.insert(problem);
    this.onCreated('problem', id);
    this.known.set(key, id);
    this.reused.add(id);
    this.counts.problems += 1;
    return id;
  }

  writeTree(tree: ImportTree): number {
    const problemId = this.problemId(tree.problem);
    const problem = this.store.problems.get(problemId);
    const run = this.store.runs.create({
      problemId,
      algorithm: tree.algorithm,
      policy: tree.policy,
      config: tree.config,
      status: 'done',
    });
    this.onCreated('run', run.id);
    // A record's finish reason is its labeler's (PRM800K keeps one per labeler).
    const labeler = tree.nodes.find((n) => n.labels?.length)?.labels![0]!.annotator;
    if (tree.finishReason) this.store.runs.setFinishReason(run.id, tree.finishReason, labeler);
    if (tree.qualityControl) this.store.runs.markQualityControl(run.id);

    const nodes = replay(tree, problem);
    const writer = this.store.nodeWriter(run.id, { maxBatch: 5000, flushIntervalMs: 60_000 });
    nodes.forEach((n) => writer.add(n));
    writer.close();
    const idBySeq = this.store.nodes.idsBySeq(run.id);

    const labels: ImportedLabel[] = [];
    const auto: AutoLabel[] = [];
    tree.nodes.forEach((n, seq) => {
      const nodeId = idBySeq.get(seq)!;
      for (const label of n.labels ?? []) {
        labels.push({ nodeId, annotator: label.annotator, rating: label.rating, flagged: label.flagged ?? false, note: label.note ?? '' });
      }
      // Imported automatic labels (Math-Shepherd's +/-, soft estimates) are suggestions under
      // source `import`, never a person's label; exports name them `auto:import`.
      if (n.auto) auto.push({ nodeId, source: 'import', label: n.auto.label, value: n.auto.value, rollouts: null, model: n.auto.model });
    });
    // Labels go in with their history (who labeled what) but on nobody's undo stack; this also
    // derives the run's labeled_count.
    this.store.annotations.importLabels(run.id, labels);
    if (auto.length) this.store.autoLabels.save(run.id, auto);
    this.counts.labels += labels.length + auto.length;
    const solved = nodes.some((n) => n.isTerminal && n.outcome === 'correct');
    this.store.runs.updateStats(run.id, { nodes: nodes.length, imported: true }, solved);
    tree.onWritten?.(this.store, run.id, tree.nodes.map((_, seq) => idBySeq.get(seq)!));
    this.counts.runs += 1;
    this.counts.nodes += nodes.length;
    return run.id;
  }
}

/**
 * The nodes to store: seq is the position in the file's order; depth and expansion follow from
 * the parents; what the file leaves out (state, validity, terminal, outcome) comes from the task.
 */
function replay(tree: ImportTree, problem: Problem): NewNode[] {
  let task: ReturnType<typeof getTask> | null = null;
  const states: unknown[] = [];
  try {
    if (tree.replayTask !== false) {
      task = getTask(problem.task);
      states[0] = task.initialState(problem);
    }
  } catch {
    task = null; // a problem this task cannot read: keep what the file says
  }
  const depth: number[] = [];
  const expansionOf = new Map<number, number>();
  let expansions = 0;
  return tree.nodes.map((n, seq): NewNode => {
    const parent = n.parent;
    depth[seq] = parent === null ? 0 : depth[parent]! + 1;
    let expansion = n.expansion;
    if (expansion === undefined) {
      if (parent === null) expansion = 0;
      else {
        if (!expansionOf.has(parent)) expansionOf.set(parent, ++expansions);
        expansion = expansionOf.get(parent)!;
      }
    }
    const node: NewNode = {
      seq,
      parentSeq: parent,
      depth: depth[seq]!,
      expansion,
      stepText: n.stepText,
      state: n.state ?? null,
      isTerminal: n.isTerminal ?? false,
      valid: n.valid ?? true,
      outcome: n.outcome ?? null,
      score: n.score ?? null,
    };
    if (!task) return node;
    const before = parent === null ? undefined : states[parent];
    const state = parent === null ? states[0] : before === undefined ? undefined : task.applyStep(before, n.stepText);
    let current: unknown;
    if (parent === null) current = state;
    else if (state && typeof state === 'object' && 'valid' in state) {
      const result = state as { valid: boolean; state?: unknown };
      if (result.valid) current = result.state;
      else if (n.valid === undefined) node.valid = false;
    }
    if (current === undefined) return node;
    states[seq] = current;
    node.state = n.state ?? task.describe(current);
    if (n.isTerminal === undefined) node.isTerminal = task.isTerminal(current);
    if (n.outcome === undefined && node.isTerminal) node.outcome = task.outcome(current, problem);
    if (parent !== null) node.exactLabel = task.exactLabel?.(current, problem) ?? null;
    return node;
  });
}
