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
if (why) console.log(`skipping the PRM training test: ${why} (apt-get install python3-torch python3-onnx)`);

test.skipIf(why !== null)('a PRM trained on the TRL export loads as a scorer and scores every step', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'metacot-train-prm-'));
  const { store } = seedSampleTree(path.join(dir, 't.db'));
  await exportDataset(store.db, ExportRequest.parse({ format: 'trl', outDir: path.join(dir, 'trl'), labels: { kind: 'exact' } }));
  store.close();
  const out = path.join(dir, 'prm');
  const log = execFileSync(PYTHON, ['training/train_prm.py', '--data', path.join(dir, 'trl', 'train.jsonl'), '--out', out, '--epochs', '2', '--eval-share', '0'], {
    encoding: 'utf8',
    timeout: 240_000,
  });
  expect(log).toMatch(/exported to/);
  const scorer = await OnnxScorer.load(out);
  const [scores] = await scorer.score([{ prompt: '24:[4, 9, 3]', steps: ['9-3=6', '4*6=24'] }]);
  await scorer.release();
  expect(scores!.stepScores).toHaveLength(2);
  for (const s of scores!.stepScores) expect(s >= 0 && s <= 1).toBe(true);
}, 300_000);
