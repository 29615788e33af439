#!/usr/bin/env node
// Writes the countdown evaluation sets named in training/config.json with the studio's own
// generator (main/engine/tasks/countdown.ts), so the search evaluation and the training-data
// filter read the very same problems:
//  - eval_sets.countdown (tests/fixtures/countdown-eval.jsonl): excluded from training, but used
//    while the MCTS settings were chosen;
//  - eval_sets.countdown_fresh (tests/fixtures/countdown-fresh.jsonl): a seed reserved for
//    evaluation, never used by training or a setting search; problems that also appear in the
//    training manifest or the set above are dropped (and counted), so it is never-seen by
//    construction.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { register } from 'tsx/esm/api';

register();
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const config = JSON.parse(fs.readFileSync(path.join(root, 'training/config.json'), 'utf8'));
const { generateCountdownProblems } = await import('../main/engine/tasks/countdown.ts');

const key = (r) => `${r.target}:${[...r.numbers].sort((a, b) => a - b).join(',')}`;
const records = (spec) => generateCountdownProblems(spec.count, spec.options).map((p) => ({ numbers: p.metadata.numbers, target: p.metadata.target }));
const write = (spec, rows) => fs.writeFileSync(path.join(root, spec.file), rows.map((r) => JSON.stringify(r)).join('\n') + '\n');

const tuning = records(config.eval_sets.countdown);
write(config.eval_sets.countdown, tuning);
console.log(`wrote ${tuning.length} problems to ${config.eval_sets.countdown.file}`);

const manifestFile = path.join(root, 'training/data/manifest.json');
const trained = new Set(fs.existsSync(manifestFile) ? Object.values(JSON.parse(fs.readFileSync(manifestFile, 'utf8'))).filter(Array.isArray).flat() : []);
const seen = new Set([...trained, ...tuning.map(key)]);
const fresh = records(config.eval_sets.countdown_fresh);
const kept = fresh.filter((r) => !seen.has(key(r)));
write(config.eval_sets.countdown_fresh, kept);
console.log(`wrote ${kept.length} problems to ${config.eval_sets.countdown_fresh.file} (${fresh.length - kept.length} dropped: in the training manifest or the tuning set)`);
