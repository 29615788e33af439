/**
 * Headless Chromium for the studio benches (Debian's, never a downloaded one), the studio served
 * over a database, pages with prefs preset, and the baseline every studio figure is compared with.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { Engine } from '../main/engine/engine';
import { RENDERER_DIR } from '../main/engine/paths';
import { startServer } from '../main/engine/serve/server';
import { Store } from '../main/engine/store/store';
import { ensureRendererBuilt } from '../scripts/ensure-build.mjs';

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    headless: true,
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--no-first-run'],
  });
}

/**
 * Runs `body` with headless Chromium and a fresh temp folder named by `prefix`, the renderer built
 * first; the browser is closed and the folder removed however `body` ends.
 */
export async function withBrowser<T>(prefix: string, body: (browser: Browser, dir: string) => Promise<T>): Promise<T> {
  await ensureRendererBuilt();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  const browser = await launchChromium();
  try {
    return await body(browser, dir);
  } finally {
    await browser.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** Runs `body` with an engine and `serve` (any free port) over the database `file`; both closed however it ends. */
export async function withStudioServer<T>(file: string, body: (url: string) => Promise<T>): Promise<T> {
  const engine = new Engine(Store.open(file));
  const server = await startServer(engine, { port: 0, staticDir: RENDERER_DIR });
  try {
    return await body(server.url);
  } finally {
    await server.close();
    engine.close();
  }
}

/** A 1440x900 page whose studio prefs start as `prefs` (an annotator at least, so no sign-in dialog). */
export async function studioPage(browser: Browser, prefs: object = { annotator: 'bench' }): Promise<Page> {
  const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
  await page.addInitScript((p) => {
    const g = globalThis as unknown as { localStorage: { getItem(k: string): string | null; setItem(k: string, v: string): void } };
    if (!g.localStorage.getItem('metacot.prefs.v1')) g.localStorage.setItem('metacot.prefs.v1', JSON.stringify(p));
  }, prefs);
  page.setDefaultTimeout(120_000);
  return page;
}

type Raf = { requestAnimationFrame(cb: (t: number) => void): number };

/** Two animation frames: what was rendered has been painted. */
export const painted = (page: Page) =>
  page.evaluate(() => {
    const g = globalThis as unknown as Raf;
    return new Promise<void>((r) => g.requestAnimationFrame(() => g.requestAnimationFrame(() => r())));
  });

/**
 * The baseline of the studio figures: the app shell loaded and painted, then the run's tree
 * fetched and parsed (what any viewer must do before drawing it), in ms.
 */
export async function shellAndTreeMs(browser: Browser, url: string, runId: number, prefs?: object): Promise<number> {
  const page = await studioPage(browser, prefs);
  try {
    const t0 = performance.now();
    await page.goto(url);
    await page.locator('.run-row[data-run-id]').first().waitFor();
    await painted(page);
    const shell = performance.now() - t0;
    const fetchMs = await page.evaluate(async (id) => {
      const t = performance.now();
      const res = await fetch('/api/getTree', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ runId: id }) });
      await res.json();
      return performance.now() - t;
    }, runId);
    return shell + fetchMs;
  } finally {
    await page.close();
  }
}
