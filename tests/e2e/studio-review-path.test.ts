/**
 * Review as the guidelines want it, in headless Chromium over serve: a disagreement is shown with
 * the whole path down to it, numbered as the tree numbers steps (#seq); an annotator who rated
 * the step cannot adjudicate it (the project's default), another reviewer can.
 */
import type { Page } from 'playwright-core';
import { expect, test } from 'vitest';
import { callEngine } from '../helpers/engine-call';
import { seedSampleTree } from '../helpers/seed';
import { openPage, signIn, screenshot, useStudioInBrowser } from './harness';

let ids: number[] = [];
const ctx = useStudioInBrowser('review-path.db', (db) => {
  const seeded = seedSampleTree(db);
  ids = seeded.ids;
  seeded.store.close();
});

const adjudications = () => ctx.studio.engine.store.connection.prepare('SELECT reviewer, rating FROM adjudications').all();

async function disagreements(page: Page, annotator: string): Promise<void> {
  await signIn(page, annotator);
  await page.locator('.run-row').first().click();
  await page.locator('.step.is-selected').waitFor();
  await page.keyboard.press('r');
  await page.getByTestId('review-screen').waitFor();
  await page.keyboard.press('ArrowRight');
  await page.getByTestId('disagreements').waitFor();
}

test('a disagreement shows its whole path by step number, and its own raters cannot adjudicate it', async () => {
  // Step #5 (under #2): ada says +1, bob says -1.
  await callEngine(ctx.studio.engine, 'setLabel', { nodeId: ids[5], annotator: 'ada', rating: 1 });
  await callEngine(ctx.studio.engine, 'setLabel', { nodeId: ids[5], annotator: 'bob', rating: -1 });

  const ada = await openPage(ctx.browser, ctx.studio.server.url);
  ada.page.setDefaultTimeout(30_000);
  await disagreements(ada.page, 'ada');
  const detail = ada.page.getByLabel('Selected disagreement');
  await detail.getByRole('heading', { name: 'Run #1 · step #5' }).waitFor();
  await expect.poll(() => detail.getByTestId('adj-path').textContent()).toBe('#2 9-3=6');
  expect(await ada.page.locator('.adj-row .adj-where').first().textContent()).toBe('#1 · #5');
  await detail.getByTestId('own-dispute').waitFor();
  await screenshot(ada.page, 'studio-review-path');
  await ada.page.keyboard.press('3');
  await ada.page.getByText('ada rated this step, so another reviewer adjudicates it', { exact: false }).waitFor();
  expect(adjudications()).toEqual([]);

  const lead = await openPage(ctx.browser, ctx.studio.server.url);
  lead.page.setDefaultTimeout(30_000);
  await disagreements(lead.page, 'lead');
  await lead.page.getByLabel('Selected disagreement').getByRole('heading', { name: 'Run #1 · step #5' }).waitFor();
  await lead.page.keyboard.press('1');
  await expect.poll(adjudications).toEqual([{ reviewer: 'lead', rating: -1 }]);
  // The error above is the one expected message; nothing else went wrong.
  expect(ada.errors.filter((e) => !e.includes('409') && !e.includes('Conflict'))).toEqual([]);
  expect(lead.errors).toEqual([]);
});
