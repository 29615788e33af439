/**
 * The review screen's PRM tab in headless Chromium against `serve`: stored evaluations listed side
 * by side with the engine's figures, one chosen to read in detail, and a new evaluation run from
 * the form, stored, and shown.
 */
import { expect, onTestFailed, test } from 'vitest';
import { seedSampleTree } from '../helpers/seed';
import { openPage, screenshot, signIn, useStudioInBrowser } from './harness';

const env = useStudioInBrowser('eval-panel.db', (db) => seedSampleTree(db).store.close());

async function call(method: string, input: unknown): Promise<any> {
  const r = await env.studio.engine.call(method, input);
  if (!r.ok) throw new Error(r.error.message);
  return r.value;
}

test('stored PRM evaluations compare side by side; a new one runs from the form', async () => {
  const prm = await call('evaluatePrm', { scorer: 'countdown-prm' });
  await call('evaluatePrm', { scorer: 'countdown-prm', threshold: 0.3 });
  const { page, errors } = await openPage(env.browser, env.studio.server.url);
  page.setDefaultTimeout(20_000);
  onTestFailed(async () => {
    await screenshot(page, 'eval-panel-failed').catch(() => undefined);
    console.error('page errors:', errors);
  });
  await signIn(page);
  await page.keyboard.press('r');
  await page.getByTestId('review-screen').waitFor();
  await page.getByRole('tab', { name: 'PRM evaluation' }).click();
  const panel = page.getByTestId('eval-panel');
  await panel.waitFor();
  const rows = panel.getByTestId('eval-compare').locator('tbody tr');
  await expect.poll(() => rows.count()).toBe(2);
  // The older evaluation, picked from the list, shows the engine's figures.
  await rows.nth(1).click();
  const detail = panel.getByTestId('eval-detail');
  await expect.poll(() => detail.textContent()).toContain('threshold 0.5');
  const f1 = prm.metrics.processBench.f1 === null ? '–' : `${(prm.metrics.processBench.f1 * 100).toFixed(1)}%`;
  expect(await detail.locator('.agr-tile').first().textContent()).toContain(f1);
  await screenshot(page, 'eval-panel');

  await panel.getByRole('textbox', { name: 'Scorer' }).fill('exact');
  await panel.getByRole('combobox', { name: 'Against' }).selectOption('exact');
  await panel.getByRole('button', { name: 'Evaluate' }).click();
  await expect.poll(() => rows.count()).toBe(3);
  await expect.poll(() => detail.locator('h2').textContent()).toBe('exact');
  // The exact solver is a perfect PRM on its own labels.
  expect(await detail.locator('.agr-tile').first().textContent()).toContain('100.0%');
  await screenshot(page, 'eval-panel-exact');
  expect(errors).toEqual([]);
}, 120_000);
