/**
 * The transcript view in headless Chromium against `serve`: an R1-style transcript imported as a
 * tree shows beside it with its tags; clicking a step selects its node; splitting at the cursor
 * and changing a tag land in the database, undo takes the split back, and a second browser sees
 * the edits live.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { expect, onTestFailed, test } from 'vitest';
import { ImportRequest } from '../../common/contract/export';
import { importFile } from '../../main/engine/import/run-import';
import { loadTranscript } from '../../main/engine/longcot/store';
import { Store } from '../../main/engine/store/store';
import { FIXTURE, FIXTURE_PATH, SHAPES } from '../unit/longcot/fixture';
import { openPage, screenshot, useStudioInBrowser } from './harness';

const WAIT = 30_000;
const env = useStudioInBrowser('transcript.db', async (db) => {
  const store = Store.open(db);
  await importFile(store, ImportRequest.parse({ format: 'long-cot', path: FIXTURE_PATH, longCot: { segment: 'paragraph' } }));
  store.close();
});

const transcript = () => {
  const db = env.studio.engine.store.connection;
  const runId = (db.prepare('SELECT run_id FROM transcripts').get() as { run_id: number }).run_id;
  return loadTranscript(db, runId)!;
};

const countRuns = () => (env.studio.engine.store.connection.prepare('SELECT count(*) AS n FROM runs').get() as { n: number }).n;

let pages = 0;
const pageErrors: string[] = [];
async function openAs(annotator: string): Promise<Page> {
  const { page, errors } = await openPage(env.browser, env.studio.server.url);
  page.on('pageerror', (e) => pageErrors.push(`${annotator}: ${e.message}`));
  page.setDefaultTimeout(WAIT);
  const name = `transcript-failed-${++pages}`;
  onTestFailed(async () => {
    await screenshot(page, name).catch(() => undefined);
    console.error(`${name}.png; page errors:`, errors);
  });
  await page.getByRole('dialog', { name: 'Welcome to Meta-CoT Studio' }).waitFor();
  await page.keyboard.type(annotator);
  await page.keyboard.press('Enter');
  await page.locator('.run-row').first().waitFor();
  await page.keyboard.press('Control+k');
  await page.keyboard.press('Enter');
  await page.getByTestId('transcript-panel').waitFor();
  return page;
}

/** Puts the caret `offset` characters into a step's text, as a click there would. */
async function placeCaret(page: Page, nodeId: number, offset: number): Promise<void> {
  // Runs in the page (a string: this file is compiled without the DOM types).
  await page.evaluate(`(() => {
    const el = document.querySelector('.ts-step[data-node-id="${nodeId}"] .ts-text');
    const range = document.createRange();
    range.setStart(el.firstChild, ${offset});
    range.collapse(true);
    const sel = window.getSelection();
    sel.removeAllRanges();
    sel.addRange(range);
    el.dispatchEvent(new KeyboardEvent('keyup', { bubbles: true }));
  })()`);
}

test('transcript beside the tree: select, split at the cursor, retag, merge, undo; a second browser follows live', async () => {
  const page = await openAs('ada');
  const before = transcript();
  const steps = page.getByTestId('transcript-step');
  await expect.poll(() => steps.count(), { timeout: WAIT }).toBe(before.steps.length);
  // Tags and relations are visible on the steps.
  await page.locator('.ts-tag', { hasText: 'setup' }).first().waitFor();
  await page.locator('.ts-relation', { hasText: 'backtracks' }).first().waitFor();
  await page.locator('.ts-relation', { hasText: 'new approach' }).first().waitFor();

  // Clicking a step selects its node in the tree.
  const backtrack = before.steps.find((s) => s.relation === 'backtrack')!;
  await page.locator(`[data-node-id="${backtrack.nodeId}"] .ts-chips`).click();
  // Its node is selected: the inspector shows it (seq follows reading order).
  const seq = env.studio.engine.store.nodes.get(backtrack.nodeId).seq;
  await page.locator('.inspector').getByText(`Step #${seq}`, { exact: true }).waitFor();
  await expect.poll(() => page.locator('.ts-step.is-selected').getAttribute('data-node-id')).toBe(String(backtrack.nodeId));
  // Zoom the tree in far enough that its nodes show their text beside the transcript.
  for (let i = 0; i < 3; i++) await page.locator('.react-flow__controls-zoomin').click();
  await screenshot(page, 'transcript-view');

  const other = await openAs('bob');
  await expect.poll(() => other.getByTestId('transcript-step').count(), { timeout: WAIT }).toBe(before.steps.length);

  // Split the backtrack step after its first sentence.
  const cut = backtrack.text.indexOf('$19^2$');
  await placeCaret(page, backtrack.nodeId, cut);
  await page.getByTestId('transcript-split').filter({ hasText: `(${cut})` }).click();
  await expect.poll(() => transcript().steps.length, { timeout: WAIT }).toBe(before.steps.length + 1);
  const split = transcript();
  const at = split.steps.findIndex((s) => s.nodeId === backtrack.nodeId);
  expect(split.steps[at]!.text + split.steps[at + 1]!.text).toBe(backtrack.text);
  await expect.poll(() => steps.count(), { timeout: WAIT }).toBe(before.steps.length + 1);
  // Bob's browser receives the new tree and transcript without reloading.
  await expect.poll(() => other.getByTestId('transcript-step').count(), { timeout: WAIT }).toBe(before.steps.length + 1);

  // Retag the new second part.
  const second = split.steps[at + 1]!;
  await page.locator(`[data-node-id="${second.nodeId}"] .ts-chips`).click();
  expect(second.tag).not.toBe('fact_retrieval');
  await expect.poll(() => page.locator('.ts-step.is-selected').getAttribute('data-node-id')).toBe(String(second.nodeId));
  await page.getByTestId('transcript-tag').selectOption('fact_retrieval');
  await expect.poll(() => transcript().steps.find((s) => s.nodeId === second.nodeId)?.tag, { timeout: WAIT }).toBe('fact_retrieval');
  // The edited step stays selected once the tree is reloaded (the tree shows the new part).
  const seq2 = env.studio.engine.store.nodes.get(second.nodeId).seq;
  await page.locator('.inspector').getByText(`Step #${seq2}`, { exact: true }).waitFor();
  await page.locator('.ts-step.is-selected .ts-tag', { hasText: 'fact' }).waitFor();
  await screenshot(page, 'transcript-after-split');

  // Undo twice (the tag, then the split): the tree and the text are as imported.
  await page.keyboard.press('Control+z');
  await expect.poll(() => transcript().steps.find((s) => s.nodeId === second.nodeId)?.tag, { timeout: WAIT }).toBe(second.tag);
  await page.keyboard.press('Control+z');
  await expect.poll(() => transcript().steps.length, { timeout: WAIT }).toBe(before.steps.length);
  await expect.poll(() => other.getByTestId('transcript-step').count(), { timeout: WAIT }).toBe(before.steps.length);
  const after = transcript();
  expect(after.steps.map((s) => [s.nodeId, s.parent, s.tag])).toEqual(before.steps.map((s) => [s.nodeId, s.parent, s.tag]));

  // Merge a step with the next one while Bob has that next one selected: his studio drops it
  // without an error, and the merge undoes.
  const [first, next] = [before.steps[1]!, before.steps[2]!];
  await other.locator(`.ts-step[data-node-id="${next.nodeId}"] .ts-chips`).click();
  await page.locator(`.ts-step[data-node-id="${first.nodeId}"] .ts-chips`).click();
  await page.getByTestId('transcript-merge').click();
  await expect.poll(() => transcript().steps.length, { timeout: WAIT }).toBe(before.steps.length - 1);
  await expect.poll(() => other.getByTestId('transcript-step').count(), { timeout: WAIT }).toBe(before.steps.length - 1);
  expect(transcript().steps[1]!.text).toBe(first.text + next.text);
  await page.keyboard.press('Control+z');
  await expect.poll(() => other.getByTestId('transcript-step').count(), { timeout: WAIT }).toBe(before.steps.length);
  expect(pageErrors).toEqual([]);
  expect(after.prefix + after.steps.filter((s) => s.section === 'reasoning').map((s) => s.text).join('') + after.middle + after.steps.filter((s) => s.section === 'answer').map((s) => s.text).join('')).toBe(FIXTURE);
});

test('the import screen reads long-CoT JSONL with a chosen segmenter, and names bad records by line', async () => {
  const page = await openAs('cy');
  const dir = path.dirname(env.db);
  const bad = path.join(dir, 'bad.jsonl');
  fs.writeFileSync(bad, `${JSON.stringify(SHAPES.s1k)}\n{"messages": []}\n`);
  await page.getByTestId('import-transcripts-open').click();
  const dialog = page.getByRole('dialog', { name: 'Import long chains of thought' });
  await dialog.getByPlaceholder(/traces\.jsonl/).fill(bad);
  await dialog.getByRole('radio', { name: 'sentence' }).click();
  await dialog.getByRole('button', { name: 'Import', exact: true }).click();
  await dialog.getByText('line 2: messages has no user message with the problem').waitFor();
  await dialog.getByText('Nothing was imported: 1 bad record.').waitFor();
  expect(countRuns()).toBe(1);

  const good = path.join(dir, 'good.jsonl');
  fs.writeFileSync(good, `${JSON.stringify(SHAPES.openR1)}\n`);
  await dialog.getByPlaceholder(/traces\.jsonl/).fill(good);
  await dialog.getByRole('button', { name: 'Import', exact: true }).click();
  await dialog.getByText(/Imported 2 trees/).waitFor();
  await screenshot(page, 'transcript-import');
  expect(countRuns()).toBe(3);
  const segmenters = env.studio.engine.store.connection.prepare('SELECT segmenter FROM transcripts ORDER BY run_id').all() as { segmenter: string }[];
  expect(segmenters.map((s) => s.segmenter)).toEqual(['paragraph', 'sentence', 'sentence']);
  // The library lists the new runs.
  await dialog.getByRole('button', { name: 'Close', exact: true }).filter({ hasText: 'Close' }).click();
  await expect.poll(() => page.locator('.run-row').count(), { timeout: WAIT }).toBe(3);
  // The corpus view reads every transcript's statistics.
  await page.getByRole('button', { name: 'Corpus' }).click();
  await page.getByTestId('corpus-stats').getByText('3', { exact: true }).first().waitFor();
  await screenshot(page, 'transcript-corpus');
});
