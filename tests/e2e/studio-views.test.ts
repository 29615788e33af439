/**
 * The outline and path views, driven only by the keyboard in headless Chromium over serve: rows
 * walked with the arrows, collapsed and expanded, steps rated along a path with first-error
 * semantics until the tree is done and its finish reason given; every label checked in the
 * database. Screenshots of both views at 1600x1000 and 1280x720. Blind labeling, set in Settings
 * for the project, hides what would bias a label until the step has mine.
 */
import type { Page } from 'playwright-core';
import { expect, test } from 'vitest';
import { Store } from '../../main/engine/store/store';
import { callEngine } from '../helpers/engine-call';
import { seedSampleTree } from '../helpers/seed';
import { openPage, screenshot, signIn, useStudioInBrowser } from './harness';

let runId = 0;
const ctx = useStudioInBrowser('views.db', (db) => {
  const seeded = seedSampleTree(db);
  runId = seeded.runId;
  seeded.store.close();
});

/** Ratings by seq for one annotator, read from the database file. */
function ratingsOf(db: string, annotator: string): Record<number, number | null> {
  const store = Store.open(db);
  try {
    const seqOf = new Map(store.nodes.forRun(runId).map((n) => [n.id, n.seq]));
    const out: Record<number, number | null> = {};
    for (const a of store.annotations.forRun(runId).annotations) if (a.annotator === annotator) out[seqOf.get(a.nodeId)!] = a.rating;
    return out;
  } finally {
    store.close();
  }
}

async function openByKeyboard(page: Page, annotator: string): Promise<void> {
  await signIn(page, annotator);
  await page.locator('.run-row').first().waitFor();
  await page.keyboard.press('Control+k');
  await page.keyboard.press('Enter');
  await page.locator('.step.is-selected').waitFor();
}

const outlineSelected = (page: Page) => page.locator('.outline-row.is-selected .outline-seq').textContent();
const readerSelected = (page: Page) => page.locator('.reader-step.is-selected .muted').first().textContent();

test('the outline is walked, collapsed and labeled from the keyboard', async () => {
  const { page, errors } = await openPage(ctx.browser, ctx.studio.server.url);
  page.setDefaultTimeout(30_000);
  await openByKeyboard(page, 'ola');
  await page.keyboard.press('w');
  const outline = page.getByTestId('outline');
  await outline.waitFor();
  // Depth-first rows: 0, 1, 4, 2, 5, 6, 3, 7; the first step to label is selected.
  expect(await outline.getAttribute('data-rows')).toBe('8');
  expect(await outlineSelected(page)).toBe('#1');
  await page.keyboard.press('ArrowDown');
  expect(await outlineSelected(page)).toBe('#4');
  await page.keyboard.press('3');
  await expect.poll(() => ratingsOf(ctx.db, 'ola')).toEqual({ 4: 1 });
  // Rating moved on to the next step to label, #2.
  expect(await outlineSelected(page)).toBe('#2');
  await page.keyboard.press('ArrowUp');
  await page.keyboard.press('ArrowLeft'); // a leaf: to its parent
  expect(await outlineSelected(page)).toBe('#1');
  await page.keyboard.press('ArrowLeft'); // expanded: collapse it
  await expect.poll(() => outline.getAttribute('data-rows')).toBe('7');
  await page.keyboard.press('ArrowRight');
  await expect.poll(() => outline.getAttribute('data-rows')).toBe('8');
  await page.keyboard.press('End');
  expect(await outlineSelected(page)).toBe('#7');
  await page.keyboard.press('Home');
  expect(await outlineSelected(page)).toBe('problem');
  await page.setViewportSize({ width: 1600, height: 1000 });
  await screenshot(page, 'studio-outline-1600');
  await page.setViewportSize({ width: 1280, height: 720 });
  await screenshot(page, 'studio-outline-1280');
  expect(errors).toEqual([]);
});

test('the path view labels down a path to the first error, then the tree is done and asks how it finished', async () => {
  const { page, errors } = await openPage(ctx.browser, ctx.studio.server.url);
  page.setDefaultTimeout(30_000);
  await openByKeyboard(page, 'pia');
  await page.keyboard.press('w');
  await page.keyboard.press('w');
  await page.getByTestId('path-reader').waitFor();
  expect(await readerSelected(page)).toBe('#1');
  // -1 on #1: its child #4 lies after the error and is skipped; on to #2.
  await page.keyboard.press('1');
  await expect.poll(() => readerSelected(page)).toBe('#2');
  // Down the shown path (the golden path goes through #5), rate it, then the rest in order.
  await page.keyboard.press('ArrowDown');
  expect(await readerSelected(page)).toBe('#5');
  await page.keyboard.press('3');
  await expect.poll(() => readerSelected(page)).toBe('#6');
  await page.keyboard.press('1');
  await expect.poll(() => readerSelected(page)).toBe('#3');
  await page.keyboard.press('1');
  // #7 is after #3's error; #2 is still to label.
  await expect.poll(() => readerSelected(page)).toBe('#2');
  await page.setViewportSize({ width: 1600, height: 1000 });
  await screenshot(page, 'studio-path-1600');
  await page.keyboard.press('3');
  await page.getByTestId('tree-done').waitFor();
  await expect.poll(() => page.getByTestId('tree-status').textContent()).toContain('labeled 5/5');
  await page.keyboard.press('Alt+e');
  await expect.poll(() => page.getByTestId('tree-done').textContent()).toContain('Finished as Found error');
  expect(ratingsOf(ctx.db, 'pia')).toEqual({ 1: -1, 2: 1, 3: -1, 5: 1, 6: -1 });
  await page.setViewportSize({ width: 1280, height: 720 });
  await screenshot(page, 'studio-path-1280');
  expect(errors).toEqual([]);
});

test('blind labeling hides the outcome, exact label, suggestions and other labels of a step until I rate it', async () => {
  const store = Store.open(ctx.db);
  const idOf = new Map(store.nodes.forRun(runId).map((n) => [n.seq, n.id]));
  store.close();
  await callEngine(ctx.studio.engine, 'setLabel', { nodeId: idOf.get(5), annotator: 'bob', rating: 1 });
  const { page, errors } = await openPage(ctx.browser, ctx.studio.server.url);
  page.setDefaultTimeout(30_000);
  await openByKeyboard(page, 'cai');
  // Turned on in Settings, for the whole project.
  await page.getByRole('button', { name: 'Settings' }).click();
  await page.getByLabel(/Blind labeling/).check();
  await expect.poll(async () => (await callEngine(ctx.studio.engine, 'getProjectSettings', {})).blindLabeling).toBe(true);
  await page.keyboard.press('Escape');

  // The library's progress is mine: others' labels do not fill cai's bar.
  await expect.poll(() => page.locator('.run-row .progress-num').first().textContent()).toBe('0%');
  // pia's finish reason is hers: cai's title says nothing of it.
  expect(await page.getByTestId('run-title').textContent()).not.toContain('finished');
  const node = page.locator('.step[data-seq="5"]');
  await expect.poll(() => node.locator('.outcome, .chip.others').count()).toBe(0);
  await node.click();
  const inspector = page.getByTestId('inspector');
  await inspector.getByTestId('blind-note').waitFor();
  expect(await inspector.getByText('✓ correct').count()).toBe(0);
  expect(await inspector.getByText('bob', { exact: true }).count()).toBe(0);
  await screenshot(page, 'studio-blind');

  // Rated: everything shows.
  await node.click();
  await page.keyboard.press('3');
  await expect.poll(() => node.locator('.outcome.correct').count()).toBe(1);
  await expect.poll(() => page.locator('.run-row .progress-num').first().textContent()).toBe('14%');
  expect(await node.locator('.chip.others').count()).toBe(1);
  await page.locator('.step[data-seq="5"]').click();
  await inspector.getByText('bob', { exact: true }).waitFor();
  expect(await inspector.getByTestId('blind-note').count()).toBe(0);
  await callEngine(ctx.studio.engine, 'setProjectSettings', { annotator: 'cai', blindLabeling: false });
  expect(errors).toEqual([]);
});
