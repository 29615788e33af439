/**
 * From nothing to training data in the browser: start a search from the New search dialog, watch
 * the tree arrive live, label a step, then preview and write a TRL export from the Export dialog.
 */
import fs from 'node:fs';
import path from 'node:path';
import { expect, onTestFailed, test } from 'vitest';
import { openPage, screenshot, useStudioInBrowser } from './harness';

const env = useStudioInBrowser('search.db');

test('new search runs live in the tree; its labels export', async () => {
  const { page, errors } = await openPage(env.browser, env.studio.server.url);
  page.setDefaultTimeout(60_000);
  onTestFailed(async () => {
    await screenshot(page, 'studio-failed-search').catch(() => undefined);
    console.error('page errors:', errors, 'runs:', env.studio.engine.store.runs.list({ limit: 5, offset: 0 }).runs.map((r) => [r.id, r.status, r.error, r.nodeCount]));
  });
  await page.getByRole('dialog').waitFor();
  await page.keyboard.type('ada');
  await page.keyboard.press('Enter');

  await page.keyboard.press('Shift+S');
  const dialog = page.getByRole('dialog', { name: 'New search' });
  await dialog.waitFor();
  await dialog.getByLabel('Puzzles').fill('2');
  await dialog.getByLabel('Algorithm').selectOption('bfs');
  // The parameters box follows the algorithm's defaults.
  await expect.poll(() => dialog.locator('textarea.code').inputValue()).toContain('"batchSize"');
  await dialog.getByLabel('Expansions').fill('30');
  await screenshot(page, 'studio-new-search');
  await dialog.getByRole('button', { name: 'Start search' }).click();
  await dialog.waitFor({ state: 'detached' });

  // The first run opens and fills in as the search writes nodes.
  await page.getByTestId('run-title').waitFor();
  await expect.poll(() => page.locator('.step').count(), { timeout: 60_000 }).toBeGreaterThan(3);
  await expect.poll(() => page.getByTestId('run-title').textContent(), { timeout: 30_000 }).toContain('done');
  await expect.poll(() => page.getByTestId('run-total').textContent()).toBe('2');
  const runs = env.studio.engine.store.runs.list({ limit: 10, offset: 0 }).runs;
  expect(runs.map((r) => r.algorithm)).toEqual(['bfs', 'bfs']);
  // Left at "Task default", the dialog's searches run the bundled models.
  expect(runs.map((r) => [r.policy, r.scorer, r.config.k])).toEqual([
    ['countdown-policy', 'countdown-prm', 32],
    ['countdown-policy', 'countdown-prm', 32],
  ]);
  const opened = Number((await page.getByTestId('run-title').textContent())!.match(/#(\d+)/)![1]);
  const nodes = env.studio.engine.store.nodes.forRun(opened).length;
  expect(nodes).toBeGreaterThan(3);
  await expect.poll(() => page.getByTestId('tree-status').textContent()).toContain(`of ${nodes.toLocaleString('en-US')} shown`);

  // Label two steps (from the first child down when the run opened on its root), then export this run's labels.
  const inspector = page.getByTestId('inspector');
  await inspector.getByRole('heading', { name: /^(Step #|Problem)/ }).waitFor();
  if (await inspector.getByRole('heading', { name: 'Problem' }).isVisible()) await page.keyboard.press('ArrowDown');
  await inspector.getByRole('heading', { name: /^Step #/ }).waitFor();
  await page.keyboard.press('3');
  await page.keyboard.press('1');
  await expect.poll(() => env.studio.engine.store.annotations.forRun(opened).annotations.length).toBe(2);
  await screenshot(page, 'studio-live-run');

  await page.keyboard.press('Shift+X');
  const exp = page.getByRole('dialog', { name: 'Export' });
  await exp.waitFor();
  await exp.getByRole('radio', { name: 'trl' }).click();
  await exp.getByRole('button', { name: 'Preview' }).click();
  await exp.getByTestId('export-summary').getByText(/Would write \d+ records?/).waitFor();
  const out = path.join(path.dirname(env.db), 'export-trl');
  await exp.getByLabel(/Output folder/).fill(out);
  await exp.getByRole('button', { name: 'Export', exact: true }).click();
  await exp.getByTestId('export-summary').getByText(/Wrote \d+ records?/).waitFor();
  await screenshot(page, 'studio-export');
  const files = fs.readdirSync(out);
  expect(files.some((f) => f.endsWith('.jsonl'))).toBe(true);
  const jsonl = files.find((f) => f.endsWith('.jsonl'))!;
  const records = fs.readFileSync(path.join(out, jsonl), 'utf8').trim().split('\n').filter(Boolean);
  expect(records.length).toBeGreaterThan(0);

  expect(errors).toEqual([]);

  // A folder inside a file is refused with the engine's own message, shown in the dialog.
  await exp.getByLabel(/Output folder/).fill(path.join(out, jsonl, 'inside-a-file'));
  await exp.getByRole('button', { name: 'Export', exact: true }).click();
  const alert = exp.getByRole('alert');
  await alert.waitFor();
  expect((await alert.textContent())!.length).toBeGreaterThan(10);
  expect(await exp.getByTestId('export-summary').count()).toBe(0);
}, 90_000);
