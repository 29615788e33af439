/** The workspace dialog under serve: it names the open database and explains why it cannot switch. */
import { expect, test } from 'vitest';
import path from 'node:path';
import { seedSampleTree } from '../helpers/seed';
import { openPage, screenshot, signIn, startStudio, tempDir, useStudioInBrowser } from './harness';

const env = useStudioInBrowser('workspace.db', (db) => seedSampleTree(db).store.close());

test('the database chip opens the workspace, which shows the served database', async () => {
  const { page, errors } = await openPage(env.browser, env.studio.server.url);
  await signIn(page);
  await page.getByTestId('db-chip').click();
  const workspace = page.getByTestId('workspace');
  await workspace.waitFor();
  await expect.poll(() => workspace.textContent()).toContain(env.db);
  expect(await workspace.textContent()).toContain('metacot serve');
  await screenshot(page, 'workspace-serve');
  expect(errors).toEqual([]);
});

test('as the desktop app runs it, the workspace creates a database, and every window reloads onto it', async () => {
  const dir = tempDir();
  const first = path.join(dir, 'first.db');
  seedSampleTree(first).store.close();
  const home = process.env.METACOT_HOME;
  process.env.METACOT_HOME = path.join(dir, 'home');
  const desktop = await startStudio(first, { switchable: true });
  try {
    const { page, errors } = await openPage(env.browser, desktop.server.url);
    await signIn(page);
    const other = await env.browser.newPage();
    await other.goto(desktop.server.url);
    await page.getByTestId('db-chip').click();
    const created = path.join(dir, 'second.db');
    await page.getByPlaceholder('/path/to/trees.db').fill(created);
    await page.getByRole('button', { name: 'Create new' }).click();
    for (const p of [page, other]) await expect.poll(() => p.getByTestId('db-chip').textContent()).toContain('second.db · 0 runs');
    await page.getByTestId('db-chip').click();
    await page.getByTestId('workspace').getByRole('button', { name: first }).click();
    await expect.poll(() => page.getByTestId('db-chip').textContent()).toContain('first.db · 1 runs');
    await page.getByTestId('db-chip').click();
    await screenshot(page, 'workspace-desktop');
    expect(errors).toEqual([]);
  } finally {
    await desktop.close();
    if (home === undefined) delete process.env.METACOT_HOME;
    else process.env.METACOT_HOME = home;
  }
});
