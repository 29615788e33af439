/**
 * The loop closes: the studio's TRL export trains a PRM with training/train_prm.py, and the ONNX
 * folder it writes loads back as a scorer. Skipped, with the reason printed, where Debian's
 * PyTorch is not installed (CI installs it).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect, test } from 'vitest';
import { ExportRequest } from '../../../common/contract/export';
import { exportDataset } from '../../../main/engine/export/run-export';
import { OnnxScorer } from '../../../main/engine/models/scorer';
import { seedSampleTree } from '../../helpers/seed';

const PYTHON = process.env.METACOT_PYTHON ?? '/usr/bin/python3';
const probe = fs.existsSync(PYTHON) ? spawnSync(PYTHON, ['-c', 'import torch, onnx'], { encoding: 'utf8' }) : null;
const why = !probe ? `${PYTHON} not found` : probe.status !== 0 ? `PyTorch/onnx not importable by ${PYTHON}` : null;
if (why) console.log(`skipping the PRM training tests: ${why} (apt-get install python3-torch python3-onnx)`);

test.skipIf(!probe)('without PyTorch the script names the apt packages and exits 2', () => {
  // A module named torch that fails to import stands in for a python without PyTorch.
  const blocked = fs.mkdtempSync(path.join(os.tmpdir(), 'metacot-no-torch-'));
  fs.writeFileSync(path.join(blocked, 'torch.py'), 'raise ImportError("No module named torch")\n');
  const r = spawnSync(PYTHON, ['training/train_prm.py', '--data', 'x.jsonl', '--out', 'y'], {
    encoding: 'utf8',
    env: { ...process.env, PYTHONPATH: blocked },
  });
  expect(r.status).toBe(2);
  expect(r.stderr).toMatch(/cannot import torch\.\n\s+Install them: sudo apt-get install python3-torch\n/);
  expect(r.stderr).not.toMatch(/Traceback/);
});

test.skipIf(why !== null)('a rare label: warned about, weighted, and the AUC comes with its interval and class counts', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'metacot-rare-'));
  // 1 in 25 steps is correct: a plain loss would learn to score every step low.
  const lines = Array.from({ length: 300 }, (_, i) => {
    const [a, b] = [(i % 17) + 2, (i % 13) + 3];
    const good = i % 25 === 0;
    return JSON.stringify({ prompt: `${a + b}:[${a}, ${b}]`, completions: [good ? `${a}+${b}=${a + b}` : `${a}*${b}=${a * b}`], labels: [good] });
  });
  fs.writeFileSync(path.join(dir, 'rare.jsonl'), `${lines.join('\n')}\n`);
  const log = execFileSync(PYTHON, ['training/train_prm.py', '--data', path.join(dir, 'rare.jsonl'), '--out', path.join(dir, 'prm'), '--epochs', '2', '--eval-share', '0.3'], {
    encoding: 'utf8',
    timeout: 900_000,
  });
  expect(log).toMatch(/training steps: \d+ positive, \d+ negative/);
  expect(log).toMatch(/warning: only \d+ of 210 labelled training steps are positive \(\d\.\d%\)/);
  expect(log).toMatch(/weighting the loss by class: negative 0\.\d\d, positive \d+\.\d\d \(--class-weight auto\)/);
  expect(log).toMatch(/step \d+\/\d+ loss [\d.]+ \d+s, about \d+s left/);
  expect(log).toMatch(/held-out ROC AUC [\d.]+ \(95% CI [\d.]+-[\d.]+, bootstrap over 90 records\) over 90 steps: \d positive, \d+ negative/);
  expect(log).toMatch(/warning: only \d held-out steps are positive/);
}, 1_000_000);

test.skipIf(why !== null)('a PRM trained on the TRL export loads as a scorer and scores every step', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'metacot-train-prm-'));
  const { store } = seedSampleTree(path.join(dir, 't.db'));
  await exportDataset(store.connection, ExportRequest.parse({ format: 'trl', outDir: path.join(dir, 'trl'), labels: { kind: 'exact' } }));
  store.close();
  const out = path.join(dir, 'prm');
  const log = execFileSync(PYTHON, ['training/train_prm.py', '--data', path.join(dir, 'trl', 'train.jsonl'), '--out', out, '--epochs', '2', '--eval-share', '0'], {
    encoding: 'utf8',
    timeout: 900_000,
  });
  expect(log).toMatch(/exported to/);
  const scorer = await OnnxScorer.load(out);
  const [scores] = await scorer.score([{ prompt: '24:[4, 9, 3]', steps: ['9-3=6', '4*6=24'] }]);
  await scorer.release();
  expect(scores!.stepScores).toHaveLength(2);
  for (const s of scores!.stepScores) expect(s >= 0 && s <= 1).toBe(true);
}, 1_000_000);
