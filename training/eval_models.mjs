#!/usr/bin/env node
// Measures the shipped ONNX models through onnxruntime-node and the studio's own task code
// (main/engine/tasks), so the numbers describe exactly what the app runs:
//  1. policy: KV-cached logits equal full recomputation (max abs difference);
//  2. policy: share of sampled steps (temperature 1.0, no constrained decoding) that the game24
//     task accepts as valid, on held-out Game of 24 states (Tree of Thoughts' 100 hard games: the
//     start states and every integer state on a solution path), plus on-policy rollouts;
//  3. PRM: ROC AUC of its step scores against the exact solver's labels (task.exactLabel) on
//     steps of held-out problems (the never-seen countdown set, the 100 hard games and the 100
//     countdown evaluation problems);
//  4. search: MCTS with the bundled policy and PRM as `metacot search` runs them by default, at
//     most 200 expansions per problem: solve rate, and mean expansions to the first solution
//     against uniform BFS on the same problems (training/eval_search.ts).
// Sets (training/config.json, eval_sets): `countdown_fresh` was never used for training or for
// choosing any setting (a reserved seed; reported first); `game24_hard` and `countdown` were kept
// out of training but used while the MCTS settings were chosen, so their figures are labelled
// "used while tuning". No never-seen Game of 24 set exists: every puzzle with numbers 1-13 that
// integer steps solve is training data or the hard set.
// Usage: node training/eval_models.mjs [--quick] [--json out.json] [--policy DIR] [--prm DIR] [--no-search]
// (without --quick the results go to training/reports/eval.json unless --json names another file)
// (--policy / --prm change sections 1-3 only; the search uses the installed bundled models.)
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as ort from 'onnxruntime-node';
import { Tokenizer } from '@huggingface/tokenizers';
import { register } from 'tsx/esm/api';

register();
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const { game24Task, parseTot24Csv } = await import('../main/engine/tasks/game24.ts');
const { countdownTask, countdownProblem } = await import('../main/engine/tasks/countdown.ts');
const { Random } = await import('../main/engine/tasks/random.ts');
const { evalSearch } = await import('./eval_search.ts');

const args = process.argv.slice(2);
const quick = args.includes('--quick');
// The full run is the record (training/reports/eval.json); a --quick run writes only where asked.
const jsonOut = args.includes('--json') ? args[args.indexOf('--json') + 1] : quick ? null : path.join(root, 'training/reports/eval.json');
const config = JSON.parse(fs.readFileSync(path.join(root, 'training/config.json'), 'utf8'));

function loadTokenizer(dir) {
  const tj = JSON.parse(fs.readFileSync(path.join(dir, 'tokenizer.json'), 'utf8'));
  const tc = JSON.parse(fs.readFileSync(path.join(dir, 'tokenizer_config.json'), 'utf8'));
  return new Tokenizer(tj, tc);
}

const asProblem = (p, id) => ({ id, createdAt: '', goldAnswer: p.goldAnswer ?? null, ...p });
const hard = parseTot24Csv(fs.readFileSync(path.join(root, config.eval_sets.game24_hard.file), 'utf8')).map(asProblem);
const readCountdown = (file, firstId) =>
  fs
    .readFileSync(path.join(root, file), 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .map((l, i) => {
      const r = JSON.parse(l);
      return asProblem(countdownProblem(r.numbers, r.target), firstId + i);
    });
const countdownEval = readCountdown(config.eval_sets.countdown.file, 1000);
const countdownFresh = readCountdown(config.eval_sets.countdown_fresh.file, 2000);

/** The evaluation sets, never-seen first; `tuned`: used while the search settings were chosen. */
const SETS = [
  { name: 'countdown_fresh', label: `countdown, never seen (seed ${config.eval_sets.countdown_fresh.options.seed})`, task: countdownTask, problems: countdownFresh, tuned: false },
  { name: 'game24_hard', label: 'Game of 24 hard set (used while tuning)', task: game24Task, problems: hard, tuned: true },
  { name: 'countdown', label: `countdown, seed ${config.eval_sets.countdown.options.seed} (used while tuning)`, task: countdownTask, problems: countdownEval, tuned: true },
];

// ------------------------------------------------------------------ policy

class Policy {
  static async load(dir) {
    const p = new Policy();
    p.cfg = JSON.parse(fs.readFileSync(path.join(dir, 'config.json'), 'utf8'));
    p.tok = loadTokenizer(dir);
    p.session = await ort.InferenceSession.create(path.join(dir, 'model.onnx'), { intraOpNumThreads: 1 });
    p.newline = p.tok.token_to_id('\n');
    p.pieces = [];
    for (const [t, id] of p.tok.get_vocab(true)) p.pieces[id] = t;
    return p;
  }

  emptyPast(batch) {
    const { num_hidden_layers: L, num_attention_heads: H, head_dim: D } = this.cfg;
    const feeds = {};
    for (let i = 0; i < L; i++) {
      for (const kind of ['key', 'value']) feeds[`past_key_values.${i}.${kind}`] = new ort.Tensor('float32', new Float32Array(0), [batch, H, 0, D]);
    }
    return feeds;
  }

  /** One forward pass over `ids` after `past` (length pastLen); returns last logits and presents. */
  async step(ids, pastFeeds, pastLen) {
    const n = ids.length;
    const feeds = {
      input_ids: new ort.Tensor('int64', BigInt64Array.from(ids.map(BigInt)), [1, n]),
      attention_mask: new ort.Tensor('int64', new BigInt64Array(pastLen + n).fill(1n), [1, pastLen + n]),
      position_ids: new ort.Tensor('int64', BigInt64Array.from(ids.map((_, i) => BigInt(pastLen + i))), [1, n]),
      ...pastFeeds,
    };
    const out = await this.session.run(feeds);
    const next = {};
    for (let i = 0; i < this.cfg.num_hidden_layers; i++) {
      next[`past_key_values.${i}.key`] = out[`present.${i}.key`];
      next[`past_key_values.${i}.value`] = out[`present.${i}.value`];
    }
    const V = this.cfg.vocab_size;
    return { all: out.logits.data, last: out.logits.data.slice((n - 1) * V, n * V), past: next };
  }

  encodePrompt(text) {
    return [this.cfg.bos_token_id, ...this.tok.encode(text, { add_special_tokens: false }).ids];
  }

  /** Samples one step (stops at newline or EOS) at temperature 1. */
  async sampleStep(text, random, maxTokens = 16) {
    const ids = this.encodePrompt(text);
    let { last, past } = await this.step(ids, this.emptyPast(1), 0);
    let len = ids.length;
    const out = [];
    for (let k = 0; k < maxTokens; k++) {
      const t = sample(last, random);
      if (t === this.cfg.eos_token_id || t === this.newline) break;
      out.push(t);
      ({ last, past } = await this.step([t], past, len));
      len += 1;
    }
    return out.map((t) => this.pieces[t]).join('');
  }
}

function sample(logits, random) {
  let max = -Infinity;
  for (const v of logits) max = Math.max(max, v);
  let sum = 0;
  const p = new Float64Array(logits.length);
  for (let i = 0; i < logits.length; i++) sum += p[i] = Math.exp(logits[i] - max);
  let r = random.next() * sum;
  for (let i = 0; i < p.length; i++) if ((r -= p[i]) <= 0) return i;
  return p.length - 1;
}

async function cacheAgreement(policy) {
  const text = '24:[4, 9, 3, 2]\n9*3=27\n27-4=23\n';
  const ids = policy.encodePrompt(text);
  const full = await policy.step(ids, policy.emptyPast(1), 0);
  const V = policy.cfg.vocab_size;
  // Incremental: the first 5 tokens at once, then one token at a time through the cache.
  let { past } = await policy.step(ids.slice(0, 5), policy.emptyPast(1), 0);
  let maxDiff = 0;
  for (let i = 5; i < ids.length; i++) {
    const r = await policy.step([ids[i]], past, i);
    past = r.past;
    for (let v = 0; v < V; v++) maxDiff = Math.max(maxDiff, Math.abs(r.last[v] - full.all[i * V + v]));
  }
  return maxDiff;
}

/** Integer-valued states on some solution path of each problem (including the start state). */
function solutionStates(task, problem) {
  const out = [];
  const seen = new Set();
  const walk = (state, text, depth) => {
    if (task.isTerminal(state)) return;
    if (state.numbers.some((n) => n.d !== 1)) return;
    if (!seen.has(text)) {
      seen.add(text);
      out.push({ state, text, depth });
    }
    for (const step of task.legalSteps(state)) {
      const r = task.applyStep(state, step);
      if (r.valid && task.exactLabel(r.state, problem) === 1) walk(r.state, text + step + '\n', depth + 1);
    }
  };
  const start = task.initialState(problem);
  walk(start, task.prompt(problem), 0);
  return out;
}

async function policyValidity(policy, samplesPerState, maxStatesPerProblem) {
  const random = new Random(config.policy.seed + 1000);
  const byDepth = {};
  let valid = 0;
  let total = 0;
  for (const problem of hard) {
    const states = random.shuffle(solutionStates(game24Task, problem)).slice(0, maxStatesPerProblem);
    for (const { state, text, depth } of states) {
      for (let k = 0; k < samplesPerState; k++) {
        const step = await policy.sampleStep(text, random);
        const ok = game24Task.applyStep(state, step).valid;
        const d = (byDepth[depth] ??= { valid: 0, total: 0 });
        d.total++;
        total++;
        if (ok) d.valid++, valid++;
      }
    }
  }
  return { rate: valid / total, valid, total, byDepth };
}

async function onPolicyRollouts(policy, rolloutsPerProblem) {
  const random = new Random(config.policy.seed + 2000);
  let valid = 0;
  let total = 0;
  let solved = 0;
  let rollouts = 0;
  for (const problem of hard) {
    for (let k = 0; k < rolloutsPerProblem; k++) {
      let state = game24Task.initialState(problem);
      let text = game24Task.prompt(problem);
      rollouts++;
      while (!game24Task.isTerminal(state)) {
        const step = await policy.sampleStep(text, random);
        const r = game24Task.applyStep(state, step);
        total++;
        if (!r.valid) break;
        valid++;
        state = r.state;
        text += step + '\n';
      }
      if (game24Task.isTerminal(state) && game24Task.outcome(state, problem) === 'correct') solved++;
    }
  }
  return { rate: valid / total, valid, total, solvedShare: solved / rollouts, rollouts };
}

// ------------------------------------------------------------------ PRM

async function loadPrm(dir) {
  const cfg = JSON.parse(fs.readFileSync(path.join(dir, 'config.json'), 'utf8'));
  return { cfg, tok: loadTokenizer(dir), session: await ort.InferenceSession.create(path.join(dir, 'model.onnx'), { intraOpNumThreads: 1 }) };
}

/** Positive-class probability after each step, with the input built as TRL / the studio's scorer do. */
async function prmScores(prm, prompt, steps) {
  const enc = (t) => prm.tok.encode(t, { add_special_tokens: false }).ids;
  const ids = [prm.cfg.bos_token_id, ...enc(prompt)];
  const sep = enc(prm.cfg.step_separator);
  const ends = [];
  for (const s of steps) {
    ids.push(...enc(s), ...sep);
    ends.push(ids.length - 1);
  }
  const n = ids.length;
  const out = await prm.session.run({
    input_ids: new ort.Tensor('int64', BigInt64Array.from(ids.map(BigInt)), [1, n]),
    attention_mask: new ort.Tensor('int64', new BigInt64Array(n).fill(1n), [1, n]),
  });
  const d = out.logits.data;
  return ends.map((e) => {
    const a = d[e * 2];
    const b = d[e * 2 + 1];
    return 1 / (1 + Math.exp(a - b));
  });
}

function rocAuc(scores, labels) {
  const pairs = scores.map((s, i) => [s, labels[i]]).sort((x, y) => x[0] - y[0]);
  const nPos = labels.filter((l) => l === 1).length;
  const nNeg = labels.length - nPos;
  let rankSum = 0;
  for (let i = 0; i < pairs.length; ) {
    let j = i;
    while (j < pairs.length && pairs[j][0] === pairs[i][0]) j++;
    const avg = (i + 1 + j) / 2;
    for (let k = i; k < j; k++) if (pairs[k][1] === 1) rankSum += avg;
    i = j;
  }
  return (rankSum - (nPos * (nPos + 1)) / 2) / (nPos * nNeg);
}

/** Held-out paths: per problem, random legal paths and one solver solution; every prefix labelled. */
async function prmAuc(prm, pathsPerProblem) {
  const random = new Random(config.prm.seed + 1000);
  const scores = [];
  const labels = [];
  const perSet = {};
  for (const { name, task, problems } of SETS) {
    const s0 = scores.length;
    for (const problem of problems) {
      const start = task.initialState(problem);
      const solution = task.solver(start.target).solve(start.numbers);
      const paths = [solution];
      for (let k = 0; k < pathsPerProblem; k++) {
        const steps = [];
        let state = start;
        while (!task.isTerminal(state)) {
          // Only steps the task itself accepts (a legal-step text it cannot re-read is skipped).
          const options = task.legalSteps(state).map((step) => ({ step, r: task.applyStep(state, step) })).filter((o) => o.r.valid);
          if (options.length === 0) break;
          const { step, r } = random.pick(options);
          steps.push(step);
          state = r.state;
        }
        paths.push(steps);
      }
      for (const path of paths) {
        // Keep the prefix the task accepts (see above), then label every step of it.
        const states = [];
        let state = start;
        for (const step of path ?? []) {
          const r = task.applyStep(state, step);
          if (!r.valid) break;
          states.push((state = r.state));
        }
        if (states.length === 0) continue;
        const s = await prmScores(prm, task.prompt(problem), path.slice(0, states.length));
        states.forEach((st, i) => {
          scores.push(s[i]);
          labels.push(task.exactLabel(st, problem) === 1 ? 1 : 0);
        });
      }
    }
    const l = labels.slice(s0);
    perSet[name] = { auc: rocAuc(scores.slice(s0), l), steps: l.length, positives: l.filter((x) => x === 1).length };
  }
  return { auc: rocAuc(scores, labels), steps: labels.length, positives: labels.filter((l) => l === 1).length, perSet };
}

// ------------------------------------------------------------------ main

const argDir = (flag, fallback) => (args.includes(flag) ? path.resolve(args[args.indexOf(flag) + 1]) : path.join(root, fallback));
const policyDir = argDir('--policy', 'resources/models/countdown-policy');
const prmDir = argDir('--prm', 'resources/models/countdown-prm');
const results = {};
const t0 = Date.now();
if (fs.existsSync(path.join(policyDir, 'model.onnx'))) {
  const policy = await Policy.load(policyDir);
  results.cacheMaxAbsDiff = await cacheAgreement(policy);
  console.log(`policy: KV-cached vs recomputed logits, max abs difference ${results.cacheMaxAbsDiff.toExponential(2)}`);
  results.validity = await policyValidity(policy, quick ? 1 : 4, quick ? 3 : 12);
  console.log(
    `policy: valid steps at temperature 1.0 (unconstrained) on held-out Game of 24 solution-path states: ` +
      `${(100 * results.validity.rate).toFixed(1)}% of ${results.validity.total} ` +
      `(by depth: ${Object.entries(results.validity.byDepth).map(([d, v]) => `${d}: ${((100 * v.valid) / v.total).toFixed(1)}%`).join(', ')})`,
  );
  results.rollouts = await onPolicyRollouts(policy, quick ? 1 : 5);
  console.log(
    `policy: on-policy rollouts from the 100 hard games: ${(100 * results.rollouts.rate).toFixed(1)}% of ${results.rollouts.total} sampled steps valid; ` +
      `${(100 * results.rollouts.solvedShare).toFixed(1)}% of ${results.rollouts.rollouts} single rollouts reach 24`,
  );
}
if (fs.existsSync(path.join(prmDir, 'model.onnx'))) {
  const prm = await loadPrm(prmDir);
  results.prm = await prmAuc(prm, quick ? 2 : 6);
  console.log(`prm: ROC AUC vs exact labels on ${results.prm.steps} held-out steps (${results.prm.positives} solvable): ${results.prm.auc.toFixed(4)}`);
  for (const set of SETS) {
    const r = results.prm.perSet[set.name];
    console.log(`  ${set.label}: ${r.auc.toFixed(4)} over ${r.steps} steps (${r.positives} solvable)`);
  }
}
if (!args.includes('--no-search')) {
  results.search = {};
  for (const { name, label, task, problems, tuned } of SETS) {
    const subset = quick ? problems.slice(0, 10) : problems;
    const r = await evalSearch(task, subset, {
      maxExpansions: 200,
      seed: 1,
      onProblem: (done, total) => process.stderr.write(`\rsearch ${name}: ${done}/${total}`),
    });
    process.stderr.write('\n');
    results.search[name] = { ...r, usedWhileTuning: tuned };
    console.log(
      `search, ${label}: MCTS (bundled policy + PRM, <= 200 expansions) solved ${r.solved}/${r.problems} (${(100 * r.solveRate).toFixed(1)}%); ` +
        `mean expansions to the first solution ${r.mctsMeanExpansionsToSolution.toFixed(1)} vs uniform BFS ${r.bfsMeanExpansionsToSolution.toFixed(1)} ` +
        `(BFS / MCTS = ${r.bfsOverMcts.toFixed(2)}x) in ${r.seconds.toFixed(0)} s`,
    );
  }
}
results.seconds = Math.round((Date.now() - t0) / 1000);
if (jsonOut) fs.writeFileSync(jsonOut, JSON.stringify(results, null, 2) + '\n');
