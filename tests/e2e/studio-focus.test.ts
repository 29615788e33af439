/**
 * Focus and keys, in headless Chromium over serve: with no run open the arrows and Enter work the
 * run list; Tab stays inside an open dialog; a choice in a
 * dropdown hands the keys back (3 rates at once); arrow keys on the replay slider move the replay,
 * not the selection; Esc on a typed note asks before throwing it away.
 */
import { expect, test } from 'vitest';
import { Store } from '../../main/engine/store/store';
import { seedSampleTree } from '../helpers/seed';
import { openPage, signIn, useStudioInBrowser } from './harness';

let runId = 0;
const ctx = useStudioInBrowser('focus.db', (db) => {
  const seeded = seedSampleTree(db);
  runId = seeded.runId;
  seeded.store.close();
});

function ratingsOf(annotator: string): number[] {
  const store = Store.open(ctx.db);
  try {
    return store.annotations.forRun(runId).annotations.filter((a) => a.annotator === annotator).map((a) => a.rating!);
  } finally {
    store.close();
  }
}

test('dialogs keep Tab inside, dropdowns give the keys back, slider keys stay on the slider, a note is not dropped unasked', async () => {
  const { page, errors } = await openPage(ctx.browser, ctx.studio.server.url);
  page.setDefaultTimeout(30_000);
  await signIn(page, 'fay');
  // No run open: the move keys and Enter work the run list without Ctrl+K first.
  await page.locator('.run-row').first().waitFor();
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('Enter');
  await page.locator('.step.is-selected').waitFor();
  const selectedSeq = () => page.locator('.step.is-selected').getAttribute('data-seq');

  // Tab and Shift+Tab cycle inside the keyboard help dialog (a few controls, a page full behind it).
  await page.keyboard.press('?');
  const dialog = page.getByRole('dialog', { name: 'Keyboard' });
  await dialog.waitFor();
  const focusInDialog = () => page.evaluate(() => Boolean((globalThis as unknown as { document: { activeElement: { closest(s: string): unknown } | null } }).document.activeElement?.closest('[role=dialog]')));
  for (let i = 0; i < 40; i++) {
    await page.keyboard.press(i % 7 === 6 ? 'Shift+Tab' : 'Tab');
    expect(await focusInDialog()).toBe(true);
  }
  await page.keyboard.press('Escape');
  await expect.poll(() => dialog.count()).toBe(0);

  // A dropdown choice, then 3 rates the selected step without a click on the tree.
  await page.getByLabel('Next step by').selectOption('order');
  await page.getByLabel('Tree layout').selectOption('compact');
  const before = await selectedSeq();
  await page.keyboard.press('3');
  await expect.poll(() => ratingsOf('fay')).toEqual([1]);

  // Arrow keys on the focused replay slider move the replay and leave the selection alone.
  const at = await selectedSeq();
  const slider = page.locator('#replay-slider');
  await slider.focus();
  await page.keyboard.press('ArrowLeft');
  await page.keyboard.press('ArrowLeft');
  await expect.poll(() => page.getByTestId('replay-status').textContent()).toMatch(/^2\/4 expansions/);
  expect(await selectedSeq()).toBe(at);
  expect(before).not.toBe(at); // rating advanced the selection, so the check above means something

  // A typed note survives one Esc (which asks), and goes on the second.
  await page.locator('.react-flow__pane').click({ position: { x: 5, y: 5 } });
  await page.keyboard.press('Enter');
  await page.keyboard.type('worth a second look');
  await page.keyboard.press('Escape');
  const note = page.locator('#note-input');
  expect(await note.inputValue()).toBe('worth a second look');
  await page.getByText('Discard this note?', { exact: false }).waitFor();
  await page.keyboard.press('Escape');
  await expect.poll(() => note.inputValue()).toBe('');
  expect(errors).toEqual([]);
});
