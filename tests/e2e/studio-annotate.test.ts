/**
 * Labeling end to end, keyboard only, in headless Chromium against `serve`: pick an annotator,
 * open a run, rate three steps, prune a subtree, flag and note a step, undo and redo; then read
 * the database to prove every action landed, and watch a second browser receive the labels live.
 */
import type { Page } from 'playwright-core';
import { expect, onTestFailed, test } from 'vitest';
import { seedSampleTree, type SeededTree } from '../helpers/seed';
import { openPage, screenshot, useStudioInBrowser } from './harness';

let seeded: Pick<SeededTree, 'runId' | 'ids'>;
const env = useStudioInBrowser('annotate.db', (db) => {
  const s = seedSampleTree(db);
  seeded = { runId: s.runId, ids: s.ids };
  s.store.close();
});

/** The database as the engine sees it, by seq (the sample tree's seq n is ids[n]). */
const store = () => env.studio.engine.store;
const idOf = (seq: number) => seeded.ids[seq]!;
const labelsBy = (annotator: string) =>
  new Map(
    store()
      .annotations.forRun(seeded.runId)
      .annotations.filter((a) => a.annotator === annotator)
      .map((a) => [seeded.ids.indexOf(a.nodeId), a]),
  );
const selectedSeq = (page: Page) => page.locator('.step.is-selected').getAttribute('data-seq');

let pages = 0;

/** Opens the studio with short waits, so a failure names what it waited for. */
async function open(): Promise<{ page: Page; errors: string[] }> {
  const opened = await openPage(env.browser, env.studio.server.url);
  opened.page.setDefaultTimeout(8000);
  const name = `studio-failed-${++pages}`;
  onTestFailed(async () => {
    await screenshot(opened.page, name).catch(() => undefined);
    console.error(`${name}.png; page errors:`, opened.errors);
  });
  return opened;
}

async function openAs(annotator: string): Promise<{ page: Page; errors: string[] }> {
  const opened = await open();
  const { page } = opened;
  // First launch: the annotator dialog has focus.
  await page.getByRole('dialog', { name: 'Welcome to Meta-CoT Studio' }).waitFor();
  await page.keyboard.type(annotator);
  await page.keyboard.press('Enter');
  await page.getByTestId('annotator').filter({ hasText: annotator }).waitFor();
  // Ctrl+K focuses the run list; Enter opens the run under the cursor.
  await page.locator('.run-row').first().waitFor();
  await page.keyboard.press('Control+k');
  await page.keyboard.press('Enter');
  await page.locator('.step.is-selected').waitFor();
  return opened;
}

test('keyboard-only labeling, pruning, undo and redo land in the database; a second browser sees them live', async () => {
  const ada = await openAs('ada');
  const bob = await openAs('bob');
  const page = ada.page;
  await page.bringToFront();

  // The first unlabeled step is selected on open: seq 1 (depth-first order 1, 4, 2, 5, 6, 3, 7).
  expect(await selectedSeq(page)).toBe('1');
  await page.keyboard.press('3'); // seq 1 -> +1, moves on to seq 4
  expect(await selectedSeq(page)).toBe('4');
  await page.keyboard.press('1'); // seq 4 -> -1, moves on to seq 2
  expect(await selectedSeq(page)).toBe('2');
  await page.keyboard.press('2'); // seq 2 -> 0, moves on to seq 5
  expect(await selectedSeq(page)).toBe('5');

  await expect
    .poll(() => [...labelsBy('ada')].map(([seq, a]) => [seq, a.rating]).sort())
    .toEqual([
      [1, 1],
      [2, 0],
      [4, -1],
    ]);

  // Move with the keyboard to seq 3 (up to seq 2, right to its sibling) and prune it.
  await page.keyboard.press('ArrowUp');
  expect(await selectedSeq(page)).toBe('2');
  await page.keyboard.press('l');
  expect(await selectedSeq(page)).toBe('3');
  await page.keyboard.press('p');
  await expect.poll(() => store().nodes.get(idOf(3)).pruned).toBe(true);
  await expect.poll(() => page.locator('.step[data-seq="7"]').getAttribute('class')).toContain('is-pruned');

  // Flag it and write a note, still by keyboard.
  await page.keyboard.press('f');
  await page.keyboard.press('Enter');
  await page.keyboard.type('duplicate of 9+3; see guidelines');
  await page.keyboard.press('Control+Enter');
  await expect.poll(() => labelsBy('ada').get(3)?.note).toBe('duplicate of 9+3; see guidelines');
  expect(labelsBy('ada').get(3)?.flagged).toBe(true);
  await screenshot(page, 'studio-labeled');

  // Undo the note, the flag and the prune; redo the prune.
  await page.keyboard.press('Control+z');
  await expect.poll(() => labelsBy('ada').get(3)?.note).toBe('');
  await page.keyboard.press('Control+z');
  await expect.poll(() => labelsBy('ada').has(3)).toBe(false);
  await page.keyboard.press('Control+z');
  await expect.poll(() => store().nodes.get(idOf(3)).pruned).toBe(false);
  await expect.poll(() => page.locator('.step[data-seq="7"]').getAttribute('class')).not.toContain('is-pruned');
  await page.keyboard.press('Control+Shift+z');
  await expect.poll(() => store().nodes.get(idOf(3)).pruned).toBe(true);
  await page.getByText(/Redid prune/).waitFor();

  // The history records each action, its undo and its redo, newest first.
  const history = store().annotations.history(seeded.runId, 20).map((h) => `${h.action}:${h.entity}`);
  expect(history.slice(0, 4)).toEqual(['redo:prune', 'undo:prune', 'undo:annotation', 'undo:annotation']);
  expect(history.filter((h) => h === 'do:annotation')).toHaveLength(5);

  // The ratings survived all of that untouched.
  expect([...labelsBy('ada')].map(([seq, a]) => [seq, a.rating]).sort()).toEqual([
    [1, 1],
    [2, 0],
    [4, -1],
  ]);

  // Bob's window got ada's labels and the prune through events, without a reload.
  await expect.poll(() => bob.page.locator('.step[data-seq="1"] .chip.others').count()).toBe(1);
  await expect.poll(() => bob.page.locator('.step[data-seq="3"]').getAttribute('class')).toContain('is-pruned');
  await bob.page.locator('.step[data-seq="4"]').click();
  await bob.page.getByTestId('inspector').getByText('ada', { exact: true }).waitFor();
  await screenshot(bob.page, 'studio-second-window');

  // The keyboard overlay lists the actions; the settings dialog remaps them.
  await page.keyboard.press('?');
  await page.getByRole('dialog', { name: 'Keyboard' }).waitFor();
  await screenshot(page, 'studio-help');
  await page.keyboard.press('Escape');
  expect(await page.getByRole('dialog').count()).toBe(0);

  expect(ada.errors).toEqual([]);
  expect(bob.errors).toEqual([]);
});

test('a remapped key rates, the old one no longer does, and the map survives a reload', async () => {
  const { page, errors } = await open();
  await page.getByRole('dialog').waitFor();
  await page.keyboard.type('cleo');
  await page.keyboard.press('Enter');
  await page.getByRole('button', { name: 'Settings' }).click();
  const row = page.locator('.keymap-table tr', { hasText: 'Rate step +1 (good)' });
  await row.getByRole('button', { name: 'Change' }).click();
  await page.keyboard.press('u');
  await expect.poll(() => row.locator('kbd').allTextContents()).toEqual(['U']);
  await screenshot(page, 'studio-settings');
  await page.keyboard.press('Escape');
  await page.reload();
  await page.locator('.run-row').first().click();
  await page.locator('.step.is-selected').waitFor();
  const first = Number(await selectedSeq(page));
  await page.keyboard.press('3');
  await page.keyboard.press('u');
  await expect.poll(() => labelsBy('cleo').get(first)?.rating).toBe(1);
  expect(labelsBy('cleo').size).toBe(1);
  // The rate button shows the new key.
  await page.getByRole('button', { name: /^\+1/ }).getByText('U').waitFor();
  expect(errors).toEqual([]);
});

test('API errors reach the user and roll the label back', async () => {
  const { page } = await open();
  await page.getByRole('dialog').waitFor();
  await page.keyboard.type('dora');
  await page.keyboard.press('Enter');
  await page.locator('.run-row').first().click();
  await page.locator('.step.is-selected').waitFor();
  // The database refuses: the rating fails, the reason is shown, and it does not stay on screen as saved.
  await page.route('**/api/setLabel', (route) =>
    route.fulfill({ status: 503, contentType: 'application/json', body: JSON.stringify({ ok: false, error: { code: 'unavailable', message: 'The database is locked by another process; try again.' } }) }),
  );
  const seq = await selectedSeq(page);
  await page.keyboard.press('3');
  const alert = page.getByRole('alert').filter({ hasText: 'Could not save the rating' });
  await alert.waitFor();
  expect(await alert.textContent()).toContain('locked by another process');
  await expect.poll(() => page.locator(`.step[data-seq="${seq}"] .chip.rating`).count()).toBe(0);
  await screenshot(page, 'studio-error');
});

test('automatic labels show as suggestions and one key-free click accepts one as mine', async () => {
  const computed = await env.studio.engine.call('autolabel', { runId: seeded.runId, method: 'exact' });
  expect(computed).toMatchObject({ ok: true });
  const { page, errors } = await open();
  await page.getByRole('dialog').waitFor();
  await page.keyboard.type('erin');
  await page.keyboard.press('Enter');
  await page.locator('.run-row').first().click();
  await page.locator('.step.is-selected').waitFor();
  const seq = Number(await selectedSeq(page));
  const suggestions = page.getByTestId('auto-labels');
  await suggestions.getByText('exact').waitFor();
  await screenshot(page, 'studio-suggestions');
  await suggestions.getByRole('button', { name: 'Accept' }).click();
  const exact = store().nodes.get(idOf(seq)).exactLabel;
  await expect.poll(() => labelsBy('erin').get(seq)?.rating).toBe(exact);
  // Accepted like any label: the chip appears on the node, and it can be undone.
  await page.locator(`.step[data-seq="${seq}"] .chip.rating`).waitFor();
  await page.keyboard.press('Control+z');
  await expect.poll(() => labelsBy('erin').has(seq)).toBe(false);
  expect(errors).toEqual([]);
});
