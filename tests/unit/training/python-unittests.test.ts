/**
 * The Python side of the project (training helpers, RL reward files, the Python math checker)
 * has its own unittest suite under training/tests; run it here so `npm test` covers it.
 * Skipped, with the reason printed, where Debian's PyTorch is not installed (CI installs it).
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { expect, test } from 'vitest';

const PYTHON = process.env.METACOT_PYTHON ?? '/usr/bin/python3';
const probe = fs.existsSync(PYTHON) ? spawnSync(PYTHON, ['-c', 'import torch, onnx'], { encoding: 'utf8' }) : null;
const why = !probe ? `${PYTHON} not found` : probe.status !== 0 ? `PyTorch/onnx not importable by ${PYTHON}` : null;
if (why) console.log(`skipping training/tests: ${why} (apt-get install python3-torch python3-onnx)`);

test.skipIf(why !== null)('training/tests: the Python unittest suite passes', () => {
  const r = spawnSync(PYTHON, ['-m', 'unittest', 'discover', '-s', 'training/tests'], { encoding: 'utf8' });
  // unittest reports on stderr; show it whole when something fails.
  expect(r.stderr, r.stderr).toMatch(/\nOK/);
  expect(r.status).toBe(0);
}, 300_000);
