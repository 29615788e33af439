/**
 * The README's loop, run as printed: the commands are read from README.md's "The loop" section,
 * so the test breaks when the README and the code drift apart. Only the sizes shrink (--count,
 * --budget, --rollouts), `serve` gets a free port and is stopped once it answers, and the lines
 * run in a scratch folder with `npx metacot` as `node bin/metacot.js` and `training/` as this
 * repository's. Training the PRM (and the two lines after it) needs PyTorch in /usr/bin/python3;
 * without it that part is skipped, with the reason printed.
 */
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { beforeAll, expect, test } from 'vitest';
import { Store } from '../../main/engine/store/store';

const ROOT = path.resolve(__dirname, '../..');
const PYTHON = process.env.METACOT_PYTHON ?? '/usr/bin/python3';
const SMALLER: Record<string, string> = { '--count': '3', '--budget': '12', '--rollouts': '2' };

/** The command lines of the first bash block under "## The loop", comments dropped. */
function loopCommands(): string[][] {
  const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');
  const section = readme.slice(readme.indexOf('## The loop'));
  const block = /```bash\n([\s\S]*?)```/.exec(section);
  if (!block) throw new Error('README.md: no bash block under "## The loop"');
  return block[1]!
    .split('\n')
    .map((line) => line.replace(/\s+#.*$/, '').trim())
    .filter(Boolean)
    .map((line) => line.split(/\s+/));
}

/** The command as this test runs it: smaller sizes, the repository's CLI and training scripts. */
function runnable(words: string[]): { file: string; args: string[] } {
  const sized = words.map((w, i) => (i > 0 && SMALLER[words[i - 1]!] ? SMALLER[words[i - 1]!]! : w));
  const [first, second, ...rest] = sized;
  if (first === 'npx' && second === 'metacot') return { file: process.execPath, args: [path.join(ROOT, 'bin/metacot.js'), ...rest] };
  if (first === PYTHON || first === '/usr/bin/python3') {
    return { file: PYTHON, args: [second, ...rest].map((a) => (a!.startsWith('training/') ? path.join(ROOT, a!) : a!)) };
  }
  throw new Error(`README loop line not understood: ${words.join(' ')}`);
}

let cwd: string;
const ran: { line: string; out: string }[] = [];

function run(words: string[]): string {
  const { file, args } = runnable(words);
  const r = spawnSync(file, args, { cwd, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  const out = `${r.stdout}${r.stderr}`;
  expect(r.status, `${words.join(' ')}\n${out}`).toBe(0);
  ran.push({ line: words.join(' '), out });
  return out;
}

/** `serve` runs until stopped: start it on a free port, check it answers, stop it. */
async function runServe(words: string[]): Promise<void> {
  const { file, args } = runnable(words);
  const child = spawn(file, [...args, '--port', '0'], { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stderr.on('data', (d) => (out += String(d)));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const url = await new Promise<string>((resolve, reject) => {
    child.stdout.on('data', (d) => {
      out += String(d);
      const m = /(http:\/\/[^\s]+\/)/.exec(out);
      if (m) resolve(m[1]!);
    });
    child.once('exit', () => reject(new Error(`serve ended before it printed its URL:\n${out}`)));
  });
  const info = await fetch(`${url}api/info`, { method: 'POST', body: '{}', headers: { 'content-type': 'application/json' } });
  expect(info.status).toBe(200);
  child.kill('SIGTERM');
  await exited;
  ran.push({ line: words.join(' '), out });
}

const commands = loopCommands();
const trainAt = commands.findIndex((c) => c.includes('training/train_prm.py'));
const probe = fs.existsSync(PYTHON) ? spawnSync(PYTHON, ['-c', 'import torch, onnx'], { encoding: 'utf8' }) : null;
const noTorch = !probe ? `${PYTHON} not found` : probe.status !== 0 ? `PyTorch/onnx not importable by ${PYTHON}` : null;
if (noTorch) console.log(`README loop: skipping train_prm.py and the lines after it: ${noTorch} (apt-get install python3-torch python3-onnx)`);

beforeAll(() => {
  cwd = fs.mkdtempSync(path.join(os.tmpdir(), 'metacot-readme-loop-'));
});

test('the README loop names the steps it promises', () => {
  const verbs = commands.map((c) => (c[0] === 'npx' ? c[2] : path.basename(c[1]!)));
  expect(verbs).toEqual(['search', 'serve', 'autolabel', 'agreement', 'export', 'train_prm.py', 'model', 'search']);
});

test('grow, serve, autolabel, agreement, export: each line as printed exits 0 and the export has records', async () => {
  for (const words of commands.slice(0, trainAt)) {
    if (words[2] === 'serve') await runServe(words);
    else run(words);
  }
  const exported = ran.find((r) => r.line.includes(' export '))!.out;
  expect(exported).toMatch(/wrote [1-9]\d* trl records/);
  expect(fs.existsSync(path.join(cwd, 'prm-data', 'train.jsonl'))).toBe(true);
}, 1_200_000);

test.skipIf(noTorch !== null)('train_prm.py on the export, model check, and the search with that PRM', () => {
  const train = run(commands[trainAt]!);
  expect(train).toMatch(/training steps: \d+ positive, \d+ negative/);
  expect(train).toMatch(/exported to/);
  expect(run(commands[trainAt + 1]!)).toMatch(/process reward model/);
  run(commands[trainAt + 2]!);
  const store = Store.open(path.join(cwd, 'trees.db'), { create: false });
  try {
    const runs = store.runs.list({ limit: 100, offset: 0 }).runs;
    // The second search reuses the problems of the first and stores the PRM's absolute folder.
    expect(store.problems.count()).toBe(Number(SMALLER['--count']));
    expect(runs.filter((r) => r.scorer === `onnx:${path.join(cwd, 'my-prm')}`)).toHaveLength(Number(SMALLER['--count']));
  } finally {
    store.close();
  }
}, 1_800_000);
