/**
 * The TRL export through a re-implementation of PRMTrainer.tokenize_row (trl.experimental.prm):
 * each step is tokenised on its own with the separator appended, the step's label sits on the
 * last separator token, every other position is -100, the prompt is masked and gets BOS. The test
 * checks that the labels land right after each exported step, in order, for two tokenizers.
 */
import { Tokenizer } from '@huggingface/tokenizers';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ExportRequest } from '../../../common/contract/export';
import { exportDataset } from '../../../main/engine/export/run-export';
import { buildFixtureDb, type FixtureDb } from './fixtures';

interface TrlRow {
  prompt: string;
  completions: string[];
  labels: boolean[];
  meta: { run_id: number; node_seqs: number[] };
}

/** What the row must encode, read from the tree itself: the path's step texts and alice's ratings. */
function fromTree(row: TrlRow): { steps: string[]; labels: number[] } {
  const nodes = fx.store.nodes.forRun(row.meta.run_id);
  const ratings = new Map(
    fx.store.annotations
      .forRun(row.meta.run_id)
      .annotations.filter((a) => a.annotator === 'alice')
      .map((a) => [a.nodeId, a.rating]),
  );
  const path = row.meta.node_seqs.map((seq) => nodes.find((n) => n.seq === seq)!);
  path.forEach((n, k) => expect(n.parentId).toBe(k === 0 ? nodes[0]!.id : path[k - 1]!.id));
  return { steps: path.map((n) => n.stepText), labels: path.map((n) => (ratings.get(n.id)! >= 0 ? 1 : 0)) };
}

/** GPT-2's byte ↔ printable-character table (byte-level BPE). */
function bytesToUnicode(): string[] {
  const bs: number[] = [];
  for (let b = 33; b <= 126; b++) bs.push(b);
  for (let b = 161; b <= 172; b++) bs.push(b);
  for (let b = 174; b <= 255; b++) bs.push(b);
  const table: string[] = new Array(256);
  bs.forEach((b) => (table[b] = String.fromCharCode(b)));
  let n = 0;
  for (let b = 0; b < 256; b++) if (table[b] === undefined) table[b] = String.fromCharCode(256 + n++);
  return table;
}

/** A small byte-level BPE tokenizer whose merges make multi-character tokens, `\n\n` among them. */
function byteLevelTokenizer(): Tokenizer {
  const vocab: Record<string, number> = { '<s>': 0 };
  for (const ch of bytesToUnicode()) vocab[ch] = Object.keys(vocab).length;
  const merges = ['i n', 'Ġ t', 'h e', 'Ġt he', '4 8', '2 4', 'Ċ Ċ', '= Ġ', 'Ġ =', 'T he'];
  for (const m of merges) vocab[m.replace(' ', '')] = Object.keys(vocab).length;
  return new Tokenizer(
    {
      version: '1.0',
      added_tokens: [{ id: 0, content: '<s>', single_word: false, lstrip: false, rstrip: false, normalized: false, special: true }],
      normalizer: null,
      pre_tokenizer: { type: 'ByteLevel', add_prefix_space: false, trim_offsets: true, use_regex: true },
      post_processor: null,
      decoder: { type: 'ByteLevel', add_prefix_space: false, trim_offsets: true, use_regex: true },
      model: { type: 'BPE', dropout: null, unk_token: null, continuing_subword_prefix: null, end_of_word_suffix: null, fuse_unk: false, byte_fallback: false, vocab, merges },
    },
    { bos_token: '<s>', clean_up_tokenization_spaces: false },
  );
}

/** PRMTrainer.tokenize_row, line for line (train_on_last_step_only off, no truncation). */
function tokenizeRow(tok: Tokenizer, row: TrlRow, separator: string, bosId: number | undefined) {
  const encode = (text: string) => tok.encode(text, { add_special_tokens: false }).ids;
  let promptIds = encode(row.prompt);
  const separatorIds = encode(separator);
  const completionsIds = row.completions.map((c) => [...encode(c), ...separatorIds]);
  const stepLabels = completionsIds.map((c, k) => [...new Array<number>(c.length - 1).fill(-100), Number(row.labels[k])]);
  if (bosId !== undefined) promptIds = [bosId, ...promptIds];
  return {
    inputIds: [...promptIds, ...completionsIds.flat()],
    labels: [...new Array<number>(promptIds.length).fill(-100), ...stepLabels.flat()],
    promptLength: promptIds.length,
    separatorIds,
  };
}

function checkLabelPositions(tok: Tokenizer, rows: TrlRow[], separator: string, bosId: number | undefined): number {
  let checked = 0;
  for (const row of rows) {
    const { inputIds, labels, promptLength, separatorIds } = tokenizeRow(tok, row, separator, bosId);
    expect(labels).toHaveLength(inputIds.length);
    const tree = fromTree(row);
    const positions = labels.flatMap((l, i) => (l === -100 ? [] : [i]));
    // One label per step of the tree's path, in order, with that step's rating (+1 and 0 → 1, -1 → 0).
    expect(positions).toHaveLength(tree.steps.length);
    expect(positions.map((p) => labels[p])).toEqual(tree.labels);
    positions.forEach((p, k) => {
      // The labeled token closes the separator right after step k ...
      expect(inputIds.slice(p + 1 - separatorIds.length, p + 1)).toEqual(separatorIds);
      // ... and everything up to it decodes to the problem and the tree's steps 1..k, each followed by the separator.
      const expected = row.prompt + tree.steps.slice(0, k + 1).map((c) => c + separator).join('');
      expect(tok.decode(inputIds.slice(bosId === undefined ? 0 : 1, p + 1))).toBe(expected);
      checked += 1;
    });
    // The prompt is masked, BOS included.
    expect(labels.slice(0, promptLength).every((l) => l === -100)).toBe(true);
  }
  return checked;
}

let dir: string;
let fx: FixtureDb;
let rows: TrlRow[];

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'metacot-prm-tok-'));
  fx = buildFixtureDb(path.join(dir, 'fixture.db'));
  const outDir = path.join(dir, 'trl');
  await exportDataset(fx.store.connection, ExportRequest.parse({ format: 'trl', outDir, labels: { kind: 'annotator', annotator: 'alice' } }));
  rows = fs
    .readFileSync(path.join(outDir, 'train.jsonl'), 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as TrlRow);
});
afterAll(() => {
  fx.store.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('the TRL export under PRMTrainer tokenisation', () => {
  it('puts each label on the separator after its step (byte-level BPE, separator "\\n")', () => {
    const tok = byteLevelTokenizer();
    expect(checkLabelPositions(tok, rows, '\n', tok.token_to_id('<s>'))).toBe(14);
  });

  it('does the same with a two-newline separator that is one token', () => {
    const tok = byteLevelTokenizer();
    expect(tok.encode('\n\n', { add_special_tokens: false }).ids).toHaveLength(1);
    expect(checkLabelPositions(tok, rows, '\n\n', tok.token_to_id('<s>'))).toBe(14);
  });

  it("does the same with the bundled model's word-level tokenizer (one token per number)", () => {
    const folder = path.join(__dirname, '../../fixtures/models/hf-tiny');
    const tok = new Tokenizer(
      JSON.parse(fs.readFileSync(path.join(folder, 'tokenizer.json'), 'utf8')),
      JSON.parse(fs.readFileSync(path.join(folder, 'tokenizer_config.json'), 'utf8')),
    );
    const countdown = rows.filter((r) => r.prompt.startsWith('24:'));
    expect(countdown).toHaveLength(4);
    expect(checkLabelPositions(tok, countdown, '\n', tok.token_to_id('<bos>'))).toBe(8);
  });
});
