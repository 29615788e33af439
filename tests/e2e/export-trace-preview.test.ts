/**
 * The Export dialog's trace choices: pick a backtrack style and a loss mask, preview, and see the
 * first record with the characters the loss trains on highlighted; RL to verl forces Parquet.
 */
import { expect, onTestFailed, test } from 'vitest';
import { buildFixtureDb } from '../unit/export/fixtures';
import { openPage, screenshot, signIn, useStudioInBrowser } from './harness';

const env = useStudioInBrowser('export-trace.db', (db) => buildFixtureDb(db).store.close());

test('trace linearisation choices preview the first record with its loss spans', async () => {
  const { page, errors } = await openPage(env.browser, env.studio.server.url);
  page.setDefaultTimeout(60_000);
  onTestFailed(async () => {
    await screenshot(page, 'export-trace-failed').catch(() => undefined);
    console.error('page errors:', errors);
  });
  await signIn(page);
  await page.keyboard.press('Shift+X');
  const exp = page.getByRole('dialog', { name: 'Export' });
  await exp.waitFor();
  await exp.getByRole('radio', { name: 'trace' }).click();
  await exp.getByRole('combobox', { name: /^Trees/ }).selectOption('all');
  await exp.getByRole('combobox', { name: /^Labeled/ }).selectOption('any');
  await exp.getByRole('combobox', { name: /^Backtracks/ }).selectOption('token');
  await exp.getByRole('combobox', { name: /^Loss mask/ }).selectOption('correct');
  await exp.getByRole('button', { name: 'Preview' }).click();
  const sample = exp.getByTestId('export-sample');
  await sample.waitFor();
  await expect.poll(() => sample.textContent()).toContain('[BACK]');
  // Trained characters are marked; the dead end "27-4=23" of the countdown tree is not among them.
  const marked = await sample.locator('mark').allTextContents();
  expect(marked.join('')).toContain('4*6=24');
  expect(marked.join('')).not.toContain('27-4=23');
  await screenshot(page, 'export-trace-preview');

  await exp.getByRole('radio', { name: 'rl', exact: true }).click();
  await exp.getByRole('combobox', { name: /^Trainer/ }).selectOption('verl');
  await expect.poll(() => exp.getByRole('checkbox', { name: /^Parquet/ }).isChecked()).toBe(true);
  await exp.getByRole('button', { name: 'Preview' }).click();
  await expect.poll(() => exp.getByTestId('export-sample').textContent()).toContain('reward_model');
  await screenshot(page, 'export-rl-preview');
  expect(errors).toEqual([]);
}, 90_000);
