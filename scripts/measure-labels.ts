/**
 * `npm run measure:labels`: how many labels buy how much, on Countdown.
 * 1. Monte-Carlo labels at N = 4, 8, 16 rollouts against the exact solver's labels: agreement of
 *    the hard label (+1 if any rollout succeeds), Cohen's kappa, and ROC AUC of the soft label.
 * 2. With --prm: PRMs trained by training/train_prm.py on 1k, 5k and 20k exported steps (exact
 *    labels, TRL format), each scored by ROC AUC on the same held-out steps (slow: minutes each).
 * Prints a Markdown table; writes nothing into the repository.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ExportRequest } from '../common/contract/export';
import { exportDataset } from '../main/engine/export/run-export';
import { monteCarloLabels } from '../main/engine/labels/auto-labels';
import { cohensKappa } from '../main/engine/labels/agreement';
import { EnumeratorPolicy } from '../main/engine/search/stand-ins/enumerator';
import { runSearch } from '../main/engine/search/run-service';
import { Store } from '../main/engine/store/store';
import { generateCountdownProblems } from '../main/engine/tasks/countdown';

const PROBLEMS = 40;
/** Trees grown for the PRM part: enough distinct labeled steps that 20k never repeats a record. */
const PRM_PROBLEMS = 240;
const PYTHON = process.env.METACOT_PYTHON ?? '/usr/bin/python3';

/** ROC AUC by ranking (ties count half). */
function rocAuc(scores: number[], positive: boolean[]): number | null {
  const pairs = scores.map((s, i) => [s, positive[i]] as const).sort((a, b) => a[0] - b[0]);
  let rankSum = 0;
  let pos = 0;
  for (let i = 0; i < pairs.length; ) {
    let j = i;
    while (j < pairs.length && pairs[j]![0] === pairs[i]![0]) j++;
    const avgRank = (i + j + 1) / 2;
    for (let k = i; k < j; k++) if (pairs[k]![1]) ((rankSum += avgRank), pos++);
    i = j;
  }
  const neg = pairs.length - pos;
  return pos && neg ? (rankSum - (pos * (pos + 1)) / 2) / (pos * neg) : null;
}

async function main(): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'metacot-measure-'));
  const store = Store.open(path.join(dir, 'm.db'));
  const ids = store.problems.insertMany(generateCountdownProblems(PROBLEMS, { seed: 99_001, numbers: 4 }));
  const runIds: number[] = [];
  for (const problemId of ids) {
    const run = await runSearch(store, { problemId, algorithm: 'mcts', config: { k: 8 }, policy: 'enumerator', scorer: 'exact', seed: 3, budget: { maxExpansions: 30 } });
    runIds.push(run.id);
  }
  const exactBySeq = new Map<number, number>();
  for (const runId of runIds) for (const n of store.nodes.forRun(runId)) if (n.parentId !== null && n.exactLabel !== null) exactBySeq.set(n.id, n.exactLabel);
  const lines = ['| rollouts N | steps | hard label = exact | Cohen\'s kappa | soft label ROC AUC |', '|---|---|---|---|---|'];
  for (const n of [4, 8, 16]) {
    const hard: [number, number][] = [];
    const soft: number[] = [];
    const truth: boolean[] = [];
    for (const runId of runIds) {
      const run = store.runs.get(runId);
      for (const l of await monteCarloLabels(store, runId, new EnumeratorPolicy(run.seed), n)) {
        const exact = exactBySeq.get(l.nodeId);
        if (exact === undefined) continue;
        hard.push([l.label!, exact]);
        soft.push(l.value!);
        truth.push(exact === 1);
      }
    }
    const agree = hard.filter(([a, b]) => a === b).length / hard.length;
    lines.push(`| ${n} | ${hard.length} | ${(agree * 100).toFixed(1)}% | ${cohensKappa(hard)?.toFixed(3)} | ${rocAuc(soft, truth)?.toFixed(3)} |`);
  }
  process.stdout.write(`Monte-Carlo labels (enumerating policy) vs exact labels, ${PROBLEMS} countdown trees:\n\n${lines.join('\n')}\n`);

  if (process.argv.includes('--prm')) {
    // More trees, so the largest budget still uses each record once.
    const more = store.problems.insertMany(generateCountdownProblems(PRM_PROBLEMS - PROBLEMS, { seed: 99_002, numbers: 4 }));
    for (const problemId of more) {
      await runSearch(store, { problemId, algorithm: 'mcts', config: { k: 8 }, policy: 'enumerator', scorer: 'exact', seed: 3, budget: { maxExpansions: 30 } });
    }
    const out = path.join(dir, 'trl');
    await exportDataset(store.connection, ExportRequest.parse({ format: 'trl', outDir: out, labels: { kind: 'exact' }, split: { testFraction: 0.2, seed: 1 } }));
    const train = fs.readFileSync(path.join(out, 'train.jsonl'), 'utf8').trim().split('\n');
    const prm = ['| exported steps | held-out ROC AUC |', '|---|---|'];
    for (const steps of [1000, 5000, 20000]) {
      // Records in order until they hold `steps` labeled steps; never a record twice.
      const picked: string[] = [];
      let count = 0;
      for (let i = 0; count < steps; i++) {
        if (i >= train.length) throw new Error(`only ${count} exported steps; grow more trees for ${steps}`);
        const line = train[i]!;
        picked.push(line);
        count += (JSON.parse(line) as { labels: unknown[] }).labels.length;
      }
      const data = path.join(dir, `train-${steps}.jsonl`);
      fs.writeFileSync(data, `${picked.join('\n')}\n`);
      const log = execFileSync(PYTHON, ['training/train_prm.py', '--data', data, '--out', path.join(dir, `prm-${steps}`), '--eval-share', '0.1'], { encoding: 'utf8' });
      prm.push(`| ${count} | ${/held-out ROC AUC ([\d.]+)/.exec(log)?.[1] ?? '—'} |`);
    }
    process.stdout.write(`\nPRMs trained on exported exact labels (training/train_prm.py):\n\n${prm.join('\n')}\n`);
  }
  store.close();
  fs.rmSync(dir, { recursive: true, force: true });
}

await main();
