#!/usr/bin/env node
// Writes the countdown evaluation set named in training/config.json with the studio's own
// generator (main/engine/tasks/countdown.ts), so the search evaluation and the training-data
// filter read the very same 100 problems: tests/fixtures/countdown-eval.jsonl.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { register } from 'tsx/esm/api';

register();
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const config = JSON.parse(fs.readFileSync(path.join(root, 'training/config.json'), 'utf8'));
const spec = config.eval_sets.countdown;
const { generateCountdownProblems } = await import('../main/engine/tasks/countdown.ts');
const problems = generateCountdownProblems(spec.count, spec.options);
const lines = problems.map((p) => JSON.stringify({ numbers: p.metadata.numbers, target: p.metadata.target }));
fs.writeFileSync(path.join(root, spec.file), lines.join('\n') + '\n');
console.log(`wrote ${problems.length} problems to ${spec.file}`);
