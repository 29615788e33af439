import { afterAll, beforeAll, expect, test } from 'vitest';
import type { Browser } from 'playwright-core';
import path from 'node:path';
import { seedSampleTree } from '../helpers/seed';
import { launchBrowser, openPage, screenshot, startStudio, tempDir, type Studio } from './harness';

let studio: Studio;
let browser: Browser;

beforeAll(async () => {
  const db = path.join(tempDir(), 'studio.db');
  seedSampleTree(db).store.close();
  studio = await startStudio(db);
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await studio?.close();
});

test('serve mode shows the sample run in Chromium', async () => {
  const { page, errors } = await openPage(browser, studio.server.url);
  await page.getByText('24:[4, 9, 3]').first().waitFor({ timeout: 15_000 });
  await screenshot(page, 'smoke-library');
  expect(errors).toEqual([]);
});
