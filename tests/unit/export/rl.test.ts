/**
 * `--format rl`: each target against a golden file written by hand from the trainer's documented
 * layout, read back with the reader that trainer uses, and scored by the reward files in
 * training/rewards/ the way the studio's checkers score (run with /usr/bin/python3).
 *
 * - TRL GRPOTrainer (huggingface.co/docs/trl, "GRPO Trainer": a `prompt` column, standard or
 *   conversational; extra columns are passed to reward functions as keyword arguments). TRL loads
 *   JSONL with `datasets.load_dataset("json")`: one JSON object per line.
 * - verl (verl.readthedocs.io, "Prepare Data for Post-Training"): Parquet rows with `data_source`,
 *   `prompt` (a list of chat messages), `ability`, `reward_model` {`style`, `ground_truth`} and
 *   `extra_info`, structs not JSON text (verl indexes `row["reward_model"]["ground_truth"]`).
 *   Read here with hyparquet, an independent Parquet reader.
 * - OpenRLHF (openrlhf.readthedocs.io, "Reinforced Fine-tuning": `--input_key`, `--label_key`, and a
 *   `reward_func(queries, prompts, labels)` file passed as `--remote_rm_url`).
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ExportOptions, ExportRequest, type ExportOptionsInput } from '../../../common/contract/export';
import { exportDataset, previewExport } from '../../../main/engine/export/run-export';
import { answersEqual } from '../../../main/engine/tasks/math-answer';
import { readJsonl, readParquetRows as readParquet, useFixtureDb } from './files';

const GOLDEN = path.join(__dirname, '../../fixtures/formats');
const PYTHON = '/usr/bin/python3';
const REWARDS = path.join(__dirname, '../../../training/rewards');
const db = useFixtureDb('metacot-rl-');

async function exportTo(name: string, input: ExportOptionsInput, parquet = false): Promise<string> {
  const outDir = path.join(db.dir, name);
  await exportDataset(db.fx.store.connection, ExportRequest.parse({ ...input, outDir, parquet }));
  return path.join(outDir, `train.${parquet ? 'parquet' : 'jsonl'}`);
}

/** Runs Python with the reward files importable; prints JSON back. */
function python(code: string, input: unknown): unknown {
  const out = execFileSync(PYTHON, ['-c', code], { input: JSON.stringify(input), cwd: REWARDS, encoding: 'utf8', timeout: 120_000 });
  return JSON.parse(out);
}

describe('RL exports match their golden files', () => {
  it('TRL GRPO: conversational prompt plus ground_truth and metadata columns', async () => {
    const rows = readJsonl(await exportTo('grpo', { format: 'rl', rl: { target: 'trl-grpo' } }));
    expect(rows).toEqual(readJsonl(path.join(GOLDEN, 'rl-trl-grpo.jsonl')));
  });

  it('OpenRLHF with a text prompt: --input_key prompt --label_key label', async () => {
    const rows = readJsonl(await exportTo('openrlhf', { format: 'rl', rl: { target: 'openrlhf', chat: false } }));
    expect(rows).toEqual(readJsonl(path.join(GOLDEN, 'rl-openrlhf-text.jsonl')));
  });

  it('verl: Parquet with prompt as a list of messages and reward_model / extra_info as structs', async () => {
    const rows = await readParquet(await exportTo('verl', { format: 'rl', rl: { target: 'verl' } }, true));
    expect(rows).toEqual(readJsonl(path.join(GOLDEN, 'rl-verl.jsonl')));
  });

  it('verl without Parquet is refused with the reason', () => {
    const parsed = ExportRequest.safeParse({ format: 'rl', outDir: db.dir, rl: { target: 'verl' } });
    expect(parsed.success).toBe(false);
    expect(parsed.error!.issues[0]!.message).toMatch(/verl reads Parquet/);
  });

  it('difficulty: problems are chosen by solve rate, and one record per problem', async () => {
    const only = (min: number, max: number, includeUnmeasured = true) =>
      previewExport(db.fx.store.connection, ExportOptions.parse({ format: 'rl', rl: { minSolveRate: min, maxSolveRate: max, includeUnmeasured } }));
    expect((await only(0, 1)).records).toBe(3);
    const hard = await only(0, 0);
    expect(hard.records).toBe(1);
    expect(hard.sample).toMatchObject({ problem_id: 3, solve_rate: 0 });
    expect(hard.skipped).toEqual({ 'problem outside the solve-rate range': 2 });
    expect((await only(0.2, 0.3)).records).toBe(2);
    expect(() => ExportOptions.parse({ format: 'rl', rl: { minSolveRate: 0.5, maxSolveRate: 0.2 } })).toThrow(/minSolveRate must not exceed/);
  });

  it('the dataset card names the trainer layout, the reward file and the difficulty rule', async () => {
    const file = await exportTo('card', { format: 'rl', rl: { target: 'openrlhf', maxSolveRate: 0.5 } });
    const card = fs.readFileSync(path.join(path.dirname(file), 'README.md'), 'utf8');
    expect(card).toContain('--input_key prompt --label_key label --apply_chat_template');
    expect(card).toContain('training/rewards/openrlhf_reward.py');
    expect(card).toContain('solve rate is in [0, 0.5]');
  });
});

describe('PRM training after TRL removed PRMTrainer: the OpenRLHF route', () => {
  // OpenRLHF's ProcessRewardDataset (openrlhf/datasets/process_reward_dataset.py) reads `--input_key`
  // text with a `--placeholder_token` after each step and a `--label_key` list with one reward token
  // per placeholder; it rejects a label string (the Math-Shepherd default), hence --label-list.
  it('math-shepherd --label-list: one + or - per ки placeholder, as lists', async () => {
    const rows = readJsonl(
      await exportTo('openrlhf-prm', { format: 'math-shepherd', labels: { kind: 'annotator', annotator: 'alice' }, mathShepherd: { labelStyle: 'list' } }),
    );
    expect(rows.length).toBeGreaterThan(0);
    for (const r of rows) {
      const placeholders = (r.input as string).split('ки').length - 1;
      expect(Array.isArray(r.label)).toBe(true);
      expect((r.label as string[]).length).toBe(placeholders);
      for (const l of r.label as string[]) expect(['+', '-']).toContain(l);
    }
  });
});

describe('reward files score answers like the studio', () => {
  it('each trainer adapter gives 1 to a right answer and 0 to a wrong one, on the exported rows', async () => {
    const grpo = readJsonl(path.join(GOLDEN, 'rl-trl-grpo.jsonl'));
    const truths = grpo.map((r) => r.ground_truth as string);
    // Per problem (24 from 4 9 3; GSM8K 72; 10 from 2 3, unsolvable): a right and a wrong completion.
    const right = ['9-3=6\n4*6=24', 'She sold 48 + 24 = 72 clips, so the answer is \\boxed{72}.', 'Answer: (2+3)*2'];
    const wrong = ['9*3=27\n27-4=23', 'The answer is 96.', '2*3=6\n6+4=10'];
    const code = `
import json, sys
from trl_grpo import metacot_reward
from verl_reward import compute_score
from openrlhf_reward import reward_func
d = json.load(sys.stdin)
out = {}
for name, comps in (("right", d["right"]), ("wrong", d["wrong"])):
    out[name] = {
        "trl": metacot_reward([[{"role": "assistant", "content": c}] for c in comps], ground_truth=d["truths"], task=None),
        "verl": [compute_score("metacot/x", c, t, {}) for c, t in zip(comps, d["truths"])],
        "openrlhf": reward_func(["P:" + c for c in comps], ["P:"] * len(comps), d["truths"])["rewards"].tolist(),
    }
print(json.dumps(out))`;
    let result: Record<string, Record<string, number[]>>;
    try {
      result = python(code, { right, wrong, truths }) as typeof result;
    } catch (error) {
      // OpenRLHF's adapter returns torch tensors; without torch there is nothing to run it with.
      if (String(error).includes("No module named 'torch'")) return void console.warn('skipped: /usr/bin/python3 has no torch');
      throw error;
    }
    // 10 from [2, 3] cannot be made, and "(2+3)*2" uses 2 twice: wrong too.
    for (const trainer of ['trl', 'verl', 'openrlhf']) {
      expect(result.right![trainer]).toEqual([1, 1, 0]);
      expect(result.wrong![trainer]).toEqual([0, 0, 0]);
    }
  });

  it('numbers games use the exact solver rules: legal order, exact division, fractions only in Game of 24', () => {
    const cases: [string, string, number][] = [
      ['8/3=8/3\n3-8/3=1/3\n8/(1/3)=24', JSON.stringify({ task: 'game24', target: 24, numbers: [3, 3, 8, 8] }), 1],
      ['8/3=8/3\n3-8/3=1/3\n8/(1/3)=24', JSON.stringify({ task: 'countdown', target: 24, numbers: [3, 3, 8, 8] }), 0],
      ['3-8=5', JSON.stringify({ task: 'countdown', target: 5, numbers: [3, 8] }), 0], // smaller minus larger
      ['8-3=5', JSON.stringify({ task: 'countdown', target: 5, numbers: [3, 8] }), 1],
      ['8-3=5 (left: 5)', JSON.stringify({ task: 'countdown', target: 5, numbers: [3, 8] }), 1],
      ['3/8=3/8', JSON.stringify({ task: 'countdown', target: 1, numbers: [3, 8] }), 0], // inexact in Countdown
      ['Answer: 8/(3-8/3)', JSON.stringify({ task: 'game24', target: 24, numbers: [3, 3, 8, 8] }), 1],
      ['Answer: 8/(3-8/3)', JSON.stringify({ task: 'countdown', target: 24, numbers: [3, 3, 8, 8] }), 0],
      ['First 9*3=28\n', JSON.stringify({ task: 'countdown', target: 24, numbers: [4, 9, 3] }), 0],
      ['9*3=28\n28-4=24', JSON.stringify({ task: 'countdown', target: 24, numbers: [4, 9, 3] }), 0], // miscomputed
      ['Let me try.\n9-3=6\nthen\n6*4=24', JSON.stringify({ task: 'countdown', target: 24, numbers: [4, 9, 3] }), 1],
    ];
    const code = `
import json, sys
from metacot_rewards import score
print(json.dumps([score(c, t) for c, t in json.load(sys.stdin)]))`;
    const scores = python(
      code,
      cases.map(([c, t]) => [c, t]),
    ) as number[];
    expect(scores).toEqual(cases.map(([, , want]) => want));
  });

  it("math answers: the Python port agrees with the studio's checker on its 244-pair reference table", () => {
    // tests/unit/tasks/fixtures/math-equivalence-pairs.json: each pair's verdict from PRM800K's grader or
    // Math-Verify. training/rewards/math_equivalence.py ports main/engine/tasks/math-equivalence.ts with
    // sympy for the symbolic part. Measured: it gives the studio's verdict on 243 of 244 pairs (the
    // exception: `\sqrt{-1}` for `i`, where sympy reads `i` as a variable and the reference says "not
    // equal" too) and the reference verdict on 229 (the studio: 228).
    const pairs = JSON.parse(fs.readFileSync(path.join(__dirname, '../tasks/fixtures/math-equivalence-pairs.json'), 'utf8')) as {
      gold: string;
      given: string;
      verdict: boolean;
    }[];
    const code = `
import json, sys
from metacot_rewards import answers_equal
print(json.dumps([answers_equal(p["given"], p["gold"]) for p in json.load(sys.stdin)]))`;
    const verdicts = python(code, pairs) as boolean[];
    const differ = pairs.filter((p, i) => verdicts[i] !== answersEqual(p.given, p.gold)).map((p) => `${p.given} vs ${p.gold}`);
    expect(differ).toEqual(['\\sqrt{-1} vs i']);
    expect(pairs.filter((p, i) => verdicts[i] === p.verdict).length).toBeGreaterThanOrEqual(229);
  });

  it('the PRM wrapper aggregates step scores by min, last or product', () => {
    const code = `
import json, sys
from prm_reward import PrmReward, aggregate
scorer = lambda problem, steps: [0.9, 0.5, 0.8][: len(steps)]
out = {how: PrmReward(scorer, how)(["p"], ["a\\nb\\nc"]) for how in ("min", "last", "product")}
out["empty"] = aggregate([], "min")
try:
    aggregate([1.0], "mean"); out["bad"] = None
except ValueError as e:
    out["bad"] = str(e)
print(json.dumps(out))`;
    const out = python(code, null) as Record<string, unknown>;
    expect(out.min).toEqual([0.5]);
    expect(out.last).toEqual([0.8]);
    expect((out.product as number[])[0]).toBeCloseTo(0.36, 12);
    expect(out.empty).toBe(0);
    expect(out.bad).toMatch(/aggregate must be one of min, last, product/);
  });
});
