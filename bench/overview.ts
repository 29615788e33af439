/**
 * Reading big trees in the studio (headless Chromium over `serve`):
 * - time to a readable overview of a 10k-node tree: request, first painted tree, "Expand all",
 *   fit, until the overview canvas has drawn all 10,000 nodes inside the pane (compact layout);
 *   baseline: the app shell plus the run's getTree fetched and parsed, as in the ui section;
 * - opening a 5 MB step in Markdown mode: click to the step's first page painted; baseline: the
 *   same step in plain mode.
 * The trees are synthetic (seed 10000), not the ones the compact layout's constant was chosen on.
 */
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { buildSyntheticDb } from '../main/engine/sample/synthetic';
import { Store } from '../main/engine/store/store';
import { shellAndTreeMs, studioPage as newPage, withBrowser, withStudioServer } from './studio-browser';
import type { BenchRow } from './types';

const REPEATS = 3;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

export function benchOverview(): Promise<BenchRow[]> {
  return withBrowser('metacot-bench-overview-', async (browser, dir) => {
    const file = path.join(dir, 'overview.db');
    const runId = buildSyntheticDb(file, { runs: 0, nodesPerRun: 1, bigRunNodes: 10_000, seed: 10_000 }).bigRunId!;
    const store = Store.open(file);
    const bigStep = addBigStep(store);
    store.close();
    return withStudioServer(file, async (url) => [await overview(browser, url, runId), await bigStepRow(browser, url, bigStep)]);
  });
}

async function overview(browser: Browser, url: string, runId: number): Promise<BenchRow> {
  const prefs = { annotator: 'bench', layoutKind: 'compact' };
  const times: number[] = [];
  const base: number[] = [];
  let zoom = 0;
  // One untimed pass warms the browser's caches as a session would have.
  for (let r = -1; r < REPEATS; r++) {
    const baseline = await shellAndTreeMs(browser, url, runId, prefs);
    const page = await newPage(browser, prefs);
    const t0 = performance.now();
    await page.goto(`${url}#run=${runId}`);
    await page.locator('.react-flow__node').first().waitFor();
    await page.getByRole('button', { name: 'Expand all' }).click();
    await page.waitForFunction(() => (globalThis as unknown as { document: { querySelector(s: string): { getAttribute(a: string): string | null } | null } }).document.querySelector('[data-testid=tree-pane]')?.getAttribute('data-visible-nodes') === '10000');
    await page.keyboard.press('Shift+F');
    await page.waitForFunction(() => (globalThis as unknown as { document: { querySelector(s: string): { getAttribute(a: string): string | null } | null } }).document.querySelector('[data-testid=overview-canvas]')?.getAttribute('data-drawn') === '10000');
    const elapsed = performance.now() - t0;
    zoom = Number(await page.getByTestId('tree-pane').getAttribute('data-zoom'));
    await page.close();
    if (r >= 0) {
      times.push(elapsed);
      base.push(baseline);
    }
  }
  const value = median(times);
  const baseline = median(base);
  return {
    figure: 'studio: time to a readable overview of a 10k-node tree',
    value,
    unit: 'ms',
    baseline,
    ratio: baseline / value,
    note: `request, first tree, Expand all, fit: all 10,000 nodes drawn as marks inside a 1440x900 window (compact layout, fit zoom ${zoom.toFixed(4)}); median of ${REPEATS}; baseline: app shell + getTree fetched and parsed`,
  };
}

/** A math run whose one step is 5 MB of Markdown with formulas, the size issue 21 found freezing the tab. */
function addBigStep(store: Store): number {
  const problemId = store.problems.insert({ task: 'math', prompt: 'A very long step', goldAnswer: '1', metadata: {} });
  const run = store.runs.create({ problemId, algorithm: 'bfs', policy: 'bench', seed: 1 });
  const paragraph = 'Since $a_k = \\frac{k(k+1)}{2}$, we have $\\sum_{k=1}^{n} a_k \\neq 0$ for every $n \\geq 1$; so the total is $\\boxed{1}$.\n\n';
  const text = paragraph.repeat(Math.ceil((5 * 1024 * 1024) / paragraph.length));
  const writer = store.nodeWriter(run.id);
  writer.add({ seq: 0, parentSeq: null, depth: 0, expansion: 0, stepText: '' });
  writer.add({ seq: 1, parentSeq: 0, depth: 1, expansion: 1, stepText: text });
  writer.close();
  store.runs.setStatus(run.id, 'done');
  return run.id;
}

async function bigStepRow(browser: Browser, url: string, runId: number): Promise<BenchRow> {
  const open = async (textMode: 'markdown' | 'plain') => {
    const page = await newPage(browser, { annotator: 'bench', textMode });
    await page.goto(`${url}#run=${runId}`);
    const t0 = performance.now();
    await page.locator('.path-step.is-current .safe-text').first().waitFor();
    await page.locator(textMode === 'markdown' ? '.path-step.is-current .katex' : '.path-step.is-current pre').first().waitFor();
    const ms = performance.now() - t0;
    // Page on: the next page of the step renders too.
    const t1 = performance.now();
    await page.locator('.path-step.is-current').getByRole('button', { name: /Next page/ }).click();
    await page.locator('.path-step.is-current [data-page="2"]').waitFor();
    const next = performance.now() - t1;
    await page.close();
    return { ms, next };
  };
  await open('markdown');
  const md: number[] = [];
  const plain: number[] = [];
  const next: number[] = [];
  for (let r = 0; r < REPEATS; r++) {
    const m = await open('markdown');
    md.push(m.ms);
    next.push(m.next);
    plain.push((await open('plain')).ms);
  }
  return {
    figure: 'studio: a 5 MB Markdown + KaTeX step, open to first page painted',
    value: median(md),
    unit: 'ms',
    baseline: median(plain),
    ratio: median(plain) / median(md),
    note: `step rendered a page (20,000 characters) at a time; next page ${Math.round(median(next))} ms; median of ${REPEATS}; baseline: the same step in plain text`,
  };
}
