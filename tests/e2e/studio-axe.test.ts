/**
 * Accessibility: axe-core (from node_modules, injected by playwright) on every screen of the
 * studio in headless Chromium: first launch, the workbench in its three views, the review
 * screen's two views, and each dialog. No critical or serious violation may remain.
 */
import { createRequire } from 'node:module';
import type { Page } from 'playwright-core';
import { expect, test } from 'vitest';
import { callEngine } from '../helpers/engine-call';
import { seedSampleTree } from '../helpers/seed';
import { screenshot, signIn, useStudioInBrowser } from './harness';

const AXE = createRequire(import.meta.url).resolve('axe-core/axe.min.js');

let ids: number[] = [];
const ctx = useStudioInBrowser('axe.db', (db) => {
  const seeded = seedSampleTree(db);
  ids = seeded.ids;
  seeded.store.close();
});

interface Violation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: string[]; failureSummary?: string }[];
}

/** Critical and serious violations on the page as it is now, one line each. */
async function violations(page: Page, screen: string): Promise<string[]> {
  if (!(await page.evaluate(() => 'axe' in globalThis))) await page.addScriptTag({ path: AXE });
  const found = await page.evaluate(async () => {
    const axe = (globalThis as unknown as { axe: { run(options: object): Promise<{ violations: Violation[] }> } }).axe;
    const r = await axe.run({ resultTypes: ['violations'] });
    return r.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map((n) => ({ target: n.target, failureSummary: n.failureSummary })) }));
  });
  return found
    .filter((v) => v.impact === 'critical' || v.impact === 'serious')
    .map((v) => `${screen}: ${v.impact} ${v.id} (${v.help}) at ${v.nodes.slice(0, 3).map((n) => `${n.target.join(' ')} [${n.failureSummary?.split('\n').slice(1).join(' ').trim()}]`).join(' | ')}${v.nodes.length > 3 ? ` and ${v.nodes.length - 3} more` : ''}`);
}

test('no critical or serious axe violations on any screen', async () => {
  // Two annotators disagree on a step, so the review screen has something to show.
  await callEngine(ctx.studio.engine, 'setLabel', { nodeId: ids[2], annotator: 'bob', rating: 1 });
  await callEngine(ctx.studio.engine, 'setLabel', { nodeId: ids[2], annotator: 'cy', rating: -1 });
  // The page's CSP admits only its own scripts; axe is injected by the test, so the test bypasses it.
  const context = await ctx.browser.newContext({ bypassCSP: true, viewport: { width: 1440, height: 900 } });
  const page = await context.newPage();
  page.setDefaultTimeout(30_000);
  await page.goto(ctx.studio.server.url);
  const found: string[] = [];
  const check = async (screen: string) => found.push(...(await violations(page, screen)));

  await page.getByRole('dialog').waitFor();
  await check('first launch');
  await signIn(page, 'ada');
  await page.locator('.run-row').first().click();
  await page.locator('.step.is-selected').waitFor();
  await check('workbench: tree');
  await page.keyboard.press('w');
  await page.getByTestId('outline').waitFor();
  await check('workbench: outline');
  await page.keyboard.press('w');
  await page.getByTestId('path-reader').waitFor();
  await check('workbench: path');
  await page.keyboard.press('w');

  const dialogs: [string, string][] = [
    ['?', 'Keyboard'],
    ['Shift+S', 'New search'],
    ['Shift+X', 'Export'],
    ['Control+o', 'Workspace'],
  ];
  for (const [key, name] of dialogs) {
    await page.keyboard.press(key);
    await page.getByRole('dialog', { name: new RegExp(name, 'i') }).waitFor();
    await check(`dialog: ${name}`);
    await screenshot(page, `dialog-${name.toLowerCase().replace(/\W+/g, '-')}`);
    await page.keyboard.press('Escape');
    await expect.poll(() => page.getByRole('dialog').count()).toBe(0);
  }
  await page.getByRole('button', { name: 'Settings' }).click();
  await page.getByRole('dialog', { name: 'Settings' }).waitFor();
  await check('dialog: Settings');
  await page.keyboard.press('Escape');
  await page.keyboard.press('Shift+A');
  await page.getByRole('dialog').waitFor();
  await check('dialog: Auto-label');
  await page.keyboard.press('Escape');
  await page.keyboard.press('g');
  await page.locator('.guidelines').first().waitFor();
  await check('guidelines');
  await page.keyboard.press('g');

  await page.keyboard.press('r');
  await page.getByTestId('review-screen').waitFor();
  await check('review: agreement');
  await page.keyboard.press('ArrowRight');
  await check('review: disagreements');
  await page.keyboard.press('ArrowRight');
  await page.getByTestId('eval-panel').waitFor();
  await check('review: PRM evaluation');
  await context.close();
  expect(found).toEqual([]);
});
