/**
 * The studio in headless Chromium over `serve`: request to first painted tree for 1k, 5k and
 * 10k-node runs, and frame time while panning the 5k tree.
 *
 * Baselines, measured in the same browser: for opening, loading the app shell plus fetching and
 * parsing the run's getTree JSON (what any viewer must do before drawing); for panning, the
 * frame interval of the same page sitting idle (the display's own pace).
 */
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { buildSyntheticDb } from '../main/engine/sample/synthetic';
import { painted, shellAndTreeMs, studioPage, withBrowser, withStudioServer } from './studio-browser';
import type { BenchRow } from './types';

const SIZES = [1000, 5000, 10_000];
const REPEATS = 3;

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;


const newPage = (browser: Browser) => studioPage(browser);

/** Frame intervals (ms) while `during` runs. */
async function frameIntervals(page: Page, during: () => Promise<void>): Promise<number[]> {
  // A string, not a function: tsx's name helper (__name) does not exist inside the page.
  await page.evaluate(`(() => {
    window.__frames = [];
    window.__stop = false;
    let last = performance.now();
    const tick = (t) => {
      window.__frames.push(t - last);
      last = t;
      if (!window.__stop) requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
  })()`);
  await during();
  return page.evaluate(() => {
    const g = globalThis as unknown as { __frames: number[]; __stop: boolean };
    g.__stop = true;
    return g.__frames.slice(2);
  });
}

export function benchUi(): Promise<BenchRow[]> {
  return withBrowser('metacot-bench-ui-', async (browser, dir) => {
    const rows: BenchRow[] = [];
    for (const size of SIZES) {
      // One database per size: the synthetic builder makes one big run per database.
      const file = path.join(dir, `ui-${size}.db`);
      const runId = buildSyntheticDb(file, { runs: 0, nodesPerRun: 1, bigRunNodes: size, seed: size }).bigRunId!;
      await withStudioServer(file, async (url) => {
        const open: number[] = [];
        const base: number[] = [];
        // One untimed load first: the browser's caches and compiler warm up as they would after launch.
        const warm = await newPage(browser);
        await warm.goto(`${url}#run=${runId}`);
        await warm.locator('.react-flow__node').first().waitFor();
        await warm.close();
        for (let r = 0; r < REPEATS; r++) {
          // Baseline: the shell, then the tree's data fetched and parsed, nothing drawn.
          base.push(await shellAndTreeMs(browser, url, runId));

          // The studio: request to first painted tree.
          const page = await newPage(browser);
          const t0 = performance.now();
          await page.goto(`${url}#run=${runId}`);
          await page.locator('.react-flow__node').first().waitFor();
          await painted(page);
          open.push(performance.now() - t0);
          await page.close();
        }
        const value = median(open);
        const baseline = median(base);
        rows.push({
          figure: `studio: request to first painted tree, ${size.toLocaleString('en')}-node run`,
          value,
          unit: 'ms',
          baseline,
          ratio: baseline / value,
          note: `headless Chromium over serve, median of ${REPEATS}; baseline: app shell + getTree fetched and parsed; ratio = baseline/value`,
        });
        if (size === 5000) rows.push(await benchPan(browser, `${url}#run=${runId}`));
      });
    }
    return rows;
  });
}

/** Panning the 5k tree by dragging the canvas, against the same page's idle frame pace. */
async function benchPan(browser: Browser, url: string): Promise<BenchRow> {
  const page = await newPage(browser);
  await page.goto(url);
  await page.locator('.react-flow__node').first().waitFor();
  await painted(page);
  // The hard case: every node expanded (5,000 in React Flow's store) and zoomed out so that
  // a few hundred of them are on screen at once.
  await page.getByRole('button', { name: 'Expand all' }).click();
  await page.waitForFunction(() => (globalThis as unknown as { document: { querySelector(s: string): { getAttribute(a: string): string | null } | null } }).document.querySelector('[data-testid=tree-pane]')?.getAttribute('data-visible-nodes') === '5000');
  for (let i = 0; i < 7; i++) await page.locator('.react-flow__controls-zoomout').click();
  await page.waitForTimeout(400);
  const idle = await frameIntervals(page, () => page.waitForTimeout(1000));
  const box = (await page.getByTestId('tree-pane').boundingBox())!;
  const pan = await frameIntervals(page, async () => {
    await page.mouse.move(box.x + box.width / 2, box.y + 200);
    await page.mouse.down();
    for (let i = 1; i <= 120; i++) await page.mouse.move(box.x + box.width / 2 - i * 8, box.y + 200 + (i % 40) * 3);
    await page.mouse.up();
  });
  const p95 = [...pan].sort((a, b) => a - b)[Math.floor(pan.length * 0.95)]!;
  const domNodes = await page.locator('.react-flow__node').count();
  await page.close();
  return {
    figure: 'studio: frame time while panning the 5k-node tree',
    value: median(pan),
    unit: 'ms',
    baseline: median(idle),
    ratio: median(idle) / median(pan),
    note: `all 5,000 nodes expanded, ${domNodes} of them on screen; median of ${pan.length} frames, p95 ${p95.toFixed(1)} ms; baseline: the same page idle`,
  };
}
