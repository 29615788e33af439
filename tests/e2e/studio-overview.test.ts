/**
 * Big trees a person can read, in headless Chromium over serve: a wide 1,001-node tree (40 × 24
 * children, shaped like a Game of 24 MCTS run) and a deep 10,000-node synthetic tree. After
 * "Expand all" and fit, every node's mark lies inside the pane; wide groups open folded to their
 * best five with "+N more"; below a readable zoom nodes leave the DOM for the overview canvas.
 */
import type { Page } from 'playwright-core';
import { expect, test } from 'vitest';
import { buildSyntheticDb } from '../../main/engine/sample/synthetic';
import { Store } from '../../main/engine/store/store';
import { openPage, screenshot, signIn, useStudioInBrowser } from './harness';

const runs = { wide: 0, deep: 0 };

const ctx = useStudioInBrowser('overview.db', (db) => {
  runs.deep = buildSyntheticDb(db, { runs: 0, nodesPerRun: 0, bigRunNodes: 10_000, labeledShare: 0.05, seed: 11 }).bigRunId!;
  const store = Store.open(db);
  const problemId = store.problems.insert({ task: 'game24', prompt: '4 6 8 11', goldAnswer: null, metadata: { numbers: [4, 6, 8, 11] } });
  const run = store.runs.create({ problemId, algorithm: 'mcts', policy: 'test', seed: 1 });
  const writer = store.nodeWriter(run.id);
  writer.add({ seq: 0, parentSeq: null, depth: 0, expansion: 0, stepText: '' });
  let seq = 1;
  for (let a = 0; a < 40; a++) {
    const parentSeq = seq;
    writer.add({ seq: seq++, parentSeq: 0, depth: 1, expansion: 1, stepText: `op ${a}`, visits: (a * 7) % 13 });
    for (let b = 0; b < 24; b++) {
      writer.add({ seq: seq++, parentSeq, depth: 2, expansion: 2 + a, stepText: `op ${a}.${b}`, visits: (b * 5) % 11, isTerminal: true, outcome: b % 9 === 0 ? 'correct' : 'incorrect' });
    }
  }
  writer.close();
  store.runs.setStatus(run.id, 'done');
  store.runs.updateStats(run.id, { nodes: seq }, true);
  runs.wide = run.id;
  store.close();
});

async function openRun(page: Page, runId: number): Promise<void> {
  await page.locator(`.run-row[data-run-id="${runId}"]`).click();
  await page.locator('.react-flow__node').first().waitFor();
}

/** Every drawn mark (the canvas's box around them) lies inside the pane. */
function expectInsidePane(bounds: number[], pane: { width: number; height: number }): void {
  const [x0, y0, x1, y1] = bounds;
  expect(Math.min(x0!, y0!)).toBeGreaterThanOrEqual(0);
  expect(x1).toBeLessThanOrEqual(pane.width);
  expect(y1).toBeLessThanOrEqual(pane.height);
}

/** Expands everything, fits, and returns what the overview canvas drew against the pane's size. */
async function expandAndFit(page: Page, nodes: number) {
  await page.getByRole('button', { name: 'Expand all' }).click();
  await expect.poll(() => page.getByTestId('tree-pane').getAttribute('data-visible-nodes'), { timeout: 60_000 }).toBe(String(nodes));
  await page.keyboard.press('Shift+F');
  const canvas = page.getByTestId('overview-canvas');
  await expect.poll(() => canvas.getAttribute('data-drawn'), { timeout: 60_000 }).toBe(String(nodes));
  const pane = (await page.getByTestId('tree-pane').boundingBox())!;
  const bounds = (await canvas.getAttribute('data-bounds'))!.split(',').map(Number);
  return { pane, bounds, domNodes: await page.locator('.react-flow__node').count() };
}

test('fit shows every node of a wide 1,001-node tree inside the pane; groups open folded to their best five', async () => {
  const { page, errors } = await openPage(ctx.browser, ctx.studio.server.url);
  page.setDefaultTimeout(30_000);
  await signIn(page);
  await openRun(page, runs.wide);
  // Folded: the root shows its 5 best children and the selected first step (pinned), each of
  // those its 5 best of 24 (the first step also the golden path's correct end, kept), beside
  // "+N more" placeholders: 1 + 6 + 6 × 5 + 1 = 38 nodes.
  const status = page.getByTestId('tree-status');
  await expect.poll(() => status.textContent()).toMatch(/^38 of 1,001 shown/);
  // o opens the selected step's own folded group: its other 18 children.
  await page.keyboard.press('o');
  await expect.poll(() => status.textContent()).toMatch(/^56 of 1,001 shown/);
  for (const [width, height] of [[1600, 1000], [1280, 720]] as const) {
    await page.setViewportSize({ width, height });
    await page.keyboard.press('.');
    await screenshot(page, `studio-overview-folded-${width}`);
  }
  await page.setViewportSize({ width: 1440, height: 900 });

  const { pane, bounds, domNodes } = await expandAndFit(page, 1001);
  expectInsidePane(bounds, pane);
  // The fit uses the pane: the tree spans most of its width.
  expect(bounds[2]! - bounds[0]!).toBeGreaterThan(pane.width * 0.7);
  expect(domNodes).toBe(0);
  await screenshot(page, 'studio-overview-1k-fit');
  expect(errors).toEqual([]);
});

test('fit shows every node of a 10,000-node tree inside the pane, drawn on the overview canvas', async () => {
  const { page, errors } = await openPage(ctx.browser, ctx.studio.server.url);
  page.setDefaultTimeout(30_000);
  await signIn(page);
  await openRun(page, runs.deep);
  const { pane, bounds, domNodes } = await expandAndFit(page, 10_000);
  expectInsidePane(bounds, pane);
  expect(domNodes).toBe(0);
  await screenshot(page, 'studio-overview-10k-fit');

  // A click on a mark selects its node and zooms in to read it: nodes are DOM again.
  const [sx, sy, sw, sh] = (await page.getByTestId('overview-canvas').getAttribute('data-selected'))!.split(',').map(Number);
  await page.mouse.click(pane.x + sx! + sw! / 2, pane.y + sy! + sh! / 2);
  await expect.poll(() => page.getByTestId('tree-pane').getAttribute('data-overview')).toBe('false');
  await page.locator('.react-flow__node .step.is-selected').waitFor();
  expect(errors).toEqual([]);
});

test('the compact layout fits the 10,000-node tree at a zoom several times the tidy one', async () => {
  const { page, errors } = await openPage(ctx.browser, ctx.studio.server.url);
  page.setDefaultTimeout(30_000);
  await page.setViewportSize({ width: 1600, height: 1000 });
  await signIn(page);
  await openRun(page, runs.deep);
  const pane = page.getByTestId('tree-pane');
  await expandAndFit(page, 10_000);
  const tidyZoom = Number(await pane.getAttribute('data-zoom'));
  await page.getByLabel('Tree layout').selectOption('compact');
  await expect.poll(() => pane.getAttribute('data-layout'), { timeout: 60_000 }).toBe('compact');
  await page.keyboard.press('Shift+F');
  await expect.poll(async () => Number(await pane.getAttribute('data-zoom')), { timeout: 60_000 }).toBeGreaterThan(tidyZoom * 3);
  const canvas = page.getByTestId('overview-canvas');
  await expect.poll(() => canvas.getAttribute('data-drawn')).toBe('10000');
  expectInsidePane((await canvas.getAttribute('data-bounds'))!.split(',').map(Number), (await pane.boundingBox())!);
  await screenshot(page, 'studio-overview-10k-compact-1600');
  await page.setViewportSize({ width: 1280, height: 720 });
  await page.keyboard.press('Shift+F');
  await page.waitForTimeout(500);
  await screenshot(page, 'studio-overview-10k-compact-1280');
  expect(errors).toEqual([]);
});

test('fast key presses keep the zoom the tree opened at', async () => {
  const { page, errors } = await openPage(ctx.browser, ctx.studio.server.url);
  page.setDefaultTimeout(30_000);
  await signIn(page);
  await openRun(page, runs.wide);
  const zoom = async () => Number(await page.getByTestId('tree-pane').getAttribute('data-zoom'));
  await expect.poll(zoom).toBe(1);
  // Each press re-centres with a 160 ms animation; these come faster than that.
  for (const key of ['l', 'l', 'k', 'j', 'n', 'l', 'k', 'n', 'l', 'l']) await page.keyboard.press(key, { delay: 10 });
  // Settled: two reads a frame apart agree (the last re-centring has ended), and it is the same zoom.
  let last = -1;
  await expect.poll(async () => {
    const [a, b] = [await zoom(), await zoom()];
    const settled = a === b && a === last;
    last = a;
    return settled;
  }).toBe(true);
  expect(last).toBe(1);
  expect(errors).toEqual([]);
});
