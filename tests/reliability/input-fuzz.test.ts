/**
 * Garbage in, clear errors out: random files through every importer, random text through every
 * task's step parser, and damaged model folders through the model loader. Never a crash, never
 * a partial write.
 */
import fc from 'fast-check';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { IMPORT_FORMATS } from '../../common/contract/export';
import { Engine } from '../../main/engine/engine';
import { ModelError } from '../../main/engine/models/errors';
import { loadAnyModel } from '../../main/engine/models/inspect';
import { getTask } from '../../main/engine/tasks/registry';
import { seedSampleTree } from '../helpers/seed';

let dir: string;
let engine: Engine;
let cases = 0;
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'metacot-input-fuzz-'));
  engine = new Engine(seedSampleTree(path.join(dir, 'f.db')).store);
});
afterAll(() => {
  engine.close();
  console.log(`reliability: ${cases} fuzzed inputs (importers, step parsers, model folders); clear errors, no crash, no partial write`);
});

function fingerprint(): string {
  const db = engine.store.connection;
  return ['problems', 'runs', 'nodes', 'annotations', 'auto_labels', 'history']
    .map((t) => `${t}:${db.prepare(`SELECT count(*) FROM ${t}`).pluck().get() as number}`)
    .join(',');
}

/** Lines that look like each format's records, with fields missing, mistyped or out of range. */
const field = fc.oneof(fc.string({ maxLength: 30 }), fc.integer(), fc.double(), fc.boolean(), fc.constant(null), fc.array(fc.string({ maxLength: 10 }), { maxLength: 4 }));
const recordish = fc.dictionary(
  fc.constantFrom('question', 'answer', 'problem', 'solution', 'prompt', 'completions', 'labels', 'input', 'label', 'task', 'Puzzles', 'label.steps', 'meta'),
  field,
);
const line = fc.oneof(
  recordish.map((r) => JSON.stringify(r)),
  fc.string({ maxLength: 80 }),
  fc.constant('{"prompt": "p", "completions": ["a", "b"], "labels": [true]}'),
  fc.constant('{"input": "Q Step 1: a ки", "label": "Q Step 1: a +"}'),
);

test('every importer answers random files with line errors or a whole import, never half of one', async () => {
  for (const format of IMPORT_FORMATS) {
    await fc.assert(
      fc.asyncProperty(fc.array(line, { minLength: 1, maxLength: 12 }), async (lines) => {
        const file = path.join(dir, `fuzz-${format}.jsonl`);
        fs.writeFileSync(file, lines.join('\n'));
        const before = fingerprint();
        const result = await engine.call('importData', { format, path: file });
        cases++;
        if (!result.ok) {
          expect(result.error.code, result.error.message).not.toBe('internal');
          expect(fingerprint()).toBe(before);
          return;
        }
        const summary = result.value as { committed: boolean; errors: { line: number; reason: string }[] };
        if (!summary.committed) {
          expect(fingerprint()).toBe(before);
          expect(summary.errors.length).toBeGreaterThan(0);
          for (const e of summary.errors) {
            expect(e.line).toBeGreaterThanOrEqual(1);
            expect(e.reason.length).toBeGreaterThan(0);
          }
        }
      }),
      { numRuns: 40, seed: 11 },
    );
  }
});

test("every task's step parser turns any text into a valid step or a reason, never a throw", () => {
  const problems = {
    countdown: { id: 1, task: 'countdown', prompt: '24:[4, 9, 3]', goldAnswer: '24', metadata: { numbers: [4, 9, 3], target: 24 }, createdAt: '' },
    game24: { id: 2, task: 'game24', prompt: '24:[4, 5, 6, 10]', goldAnswer: '24', metadata: { numbers: [4, 5, 6, 10], target: 24 }, createdAt: '' },
    math: { id: 3, task: 'math', prompt: 'What is 2 + 3?', goldAnswer: '5', metadata: {}, createdAt: '' },
  } as const;
  const stepText = fc.oneof(
    fc.string({ maxLength: 60 }),
    fc.tuple(fc.integer({ min: -1e6, max: 1e6 }), fc.constantFrom('+', '-', '*', '/', '^', ''), fc.integer({ min: -1e6, max: 1e6 }), fc.integer()).map(([a, op, b, c]) => `${a}${op}${b}=${c}`),
    fc.tuple(fc.integer({ min: 0, max: 20 }), fc.integer({ min: 0, max: 20 })).map(([a, b]) => `${a} - ${b} = ${a - b} (left: ${a} ${b})`),
    fc.constantFrom('1e308*1e308=Infinity', '9/0=0', '4*6=24 extra', 'The answer is \\boxed{5}', '#### 5', ''),
  );
  for (const [name, problem] of Object.entries(problems)) {
    const task = getTask(name);
    const state = task.initialState(problem as never);
    fc.assert(
      fc.property(stepText, (text) => {
        cases++;
        const result = task.applyStep(state, text);
        if (!result.valid) expect(result.reason.length).toBeGreaterThan(0);
        else task.describe(result.state);
      }),
      { numRuns: 300, seed: 5 },
    );
  }
});

test('damaged model folders fail with a ModelError naming the file, never a crash', async () => {
  const source = path.resolve('tests/fixtures/models');
  const damages: [string, string, (folder: string) => void][] = [
    ['hf-tiny', 'truncated graph', (f) => fs.truncateSync(path.join(f, 'onnx', fs.readdirSync(path.join(f, 'onnx')).find((x) => x.endsWith('.onnx'))!), 2000)],
    ['hf-tiny', 'graph replaced by noise', (f) => fs.writeFileSync(path.join(f, 'onnx', fs.readdirSync(path.join(f, 'onnx')).find((x) => x.endsWith('.onnx'))!), Buffer.alloc(5000, 7))],
    ['hf-tiny', 'tokenizer is not JSON', (f) => fs.writeFileSync(path.join(f, 'tokenizer.json'), '{"model": ')],
    ['hf-tiny', 'tokenizer of another kind', (f) => fs.writeFileSync(path.join(f, 'tokenizer.json'), JSON.stringify({ model: { type: 'Nonsense' } }))],
    ['hf-tiny', 'no tokenizer', (f) => fs.rmSync(path.join(f, 'tokenizer.json'))],
    ['hf-tiny', 'config not JSON', (f) => fs.writeFileSync(path.join(f, 'config.json'), 'not json')],
    ['hf-tiny', 'no graph', (f) => fs.rmSync(path.join(f, 'onnx'), { recursive: true })],
    ['prm-tiny', 'truncated PRM graph', (f) => fs.truncateSync(path.join(f, 'model.onnx'), 1500)],
    ['genai-tiny', 'genai config names a missing file', (f) => {
      const cfg = JSON.parse(fs.readFileSync(path.join(f, 'genai_config.json'), 'utf8'));
      cfg.model.decoder.filename = 'missing.onnx';
      fs.writeFileSync(path.join(f, 'genai_config.json'), JSON.stringify(cfg));
    }],
  ];
  for (const [fixture, what, damage] of damages) {
    const folder = path.join(dir, `${fixture}-${what.replace(/\W+/g, '-')}`);
    fs.cpSync(path.join(source, fixture), folder, { recursive: true });
    damage(folder);
    cases++;
    const error = await loadAnyModel(folder).then(
      () => null,
      (e: unknown) => e,
    );
    expect(error, what).toBeInstanceOf(ModelError);
    expect((error as Error).message.length, what).toBeGreaterThan(10);
    expect((error as Error).message, what).toMatch(new RegExp(`${path.basename(folder)}|\\.json|\\.onnx|tokenizer|graph|model`, 'i'));
  }
});
