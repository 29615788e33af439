import { expect, test } from 'vitest';
import { seedSampleTree } from '../helpers/seed';
import { openPage, screenshot, useStudioInBrowser } from './harness';

const env = useStudioInBrowser('studio.db', (db) => seedSampleTree(db).store.close());

test('serve mode shows the sample run in Chromium', async () => {
  const { page, errors } = await openPage(env.browser, env.studio.server.url);
  await page.getByText('24:[4, 9, 3]').first().waitFor({ timeout: 60_000 });
  await screenshot(page, 'smoke-library');
  expect(errors).toEqual([]);
});
