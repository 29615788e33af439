/**
 * The Math-Shepherd dataset card says how to train on what was written: OpenRLHF needs the label
 * as a list (`--label-list`, or soft floats) with `--input_key input --label_key label`; the default
 * text labels (the published Math-Shepherd layout) are not something OpenRLHF reads, and the card
 * says so instead of promising it.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { ExportRequest, type ExportRequestInput } from '../../../common/contract/export';
import { exportDataset } from '../../../main/engine/export/run-export';
import { buildFixtureDb, type FixtureDb } from './fixtures';

let dir: string;
let fx: FixtureDb;
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'metacot-ms-card-'));
  fx = buildFixtureDb(path.join(dir, 'f.db'));
});
afterAll(() => {
  fx.store.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

async function card(name: string, mathShepherd: Record<string, unknown>): Promise<string> {
  const outDir = path.join(dir, name);
  const input = { format: 'math-shepherd', outDir, labels: { kind: 'annotator', annotator: 'alice' }, mathShepherd } as ExportRequestInput;
  await exportDataset(fx.store.connection, ExportRequest.parse(input));
  return fs.readFileSync(path.join(outDir, 'README.md'), 'utf8');
}

const OPENRLHF = /openrlhf\.cli\.train_prm --dataset <this folder> --input_key input --label_key label --placeholder_token ки --reward_tokens \+ -/;

test('text labels: the card sends OpenRLHF users to --label-list', async () => {
  const text = await card('text', {});
  expect(text).toMatch(/OpenRLHF cannot train on this text form \(its labels must be a list\): export again with `--label-list`/);
  expect(text).not.toMatch(/Train with OpenRLHF/);
});

test('list and soft labels: the card gives the OpenRLHF command with the input and label keys', async () => {
  expect(await card('list', { labelStyle: 'list' })).toMatch(new RegExp(`Train with OpenRLHF: \`${OPENRLHF.source}`));
  expect(await card('soft', { variant: 'soft' })).toMatch(new RegExp(`soft labels over its two reward tokens: \`${OPENRLHF.source}`));
});
