/**
 * End-to-end harness: `metacot serve` in-process on an ephemeral loopback port over a temporary
 * database, and Debian's Chromium driven by playwright-core (never a downloaded browser).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, inject } from 'vitest';
import { Engine } from '../../main/engine/engine';
import { RENDERER_DIR } from '../../main/engine/paths';
import { startServer, type RunningServer } from '../../main/engine/serve/server';
import { Store } from '../../main/engine/store/store';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const ARTIFACTS = path.resolve('test-results');

export function tempDir(prefix = 'metacot-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

export interface Studio {
  engine: Engine;
  server: RunningServer;
  close(): Promise<void>;
}

export async function startStudio(
  dbPath: string,
  options: { host?: string; token?: string | null; switchable?: boolean } = {},
): Promise<Studio> {
  const buildError = inject('rendererBuildError');
  if (buildError) throw new Error(`The studio did not build, so end-to-end tests cannot run:\n${buildError}`);
  const { switchable, ...serveOptions } = options;
  // switchable: the engine as the desktop app runs it (serve itself never switches databases).
  const engine = new Engine(Store.open(dbPath), { switchable });
  const server = await startServer(engine, { port: 0, staticDir: RENDERER_DIR, ...serveOptions });
  return {
    engine,
    server,
    async close() {
      await server.close();
      engine.close();
    },
  };
}

export interface StudioInBrowser {
  /** The served database file, in a fresh folder of its own. */
  db: string;
  studio: Studio;
  browser: Browser;
}

/**
 * For a test file: a database that `prepare` fills, served, and a headless Chromium, started
 * before the file's tests and closed after them. Read the fields inside tests.
 */
export function useStudioInBrowser(file: string, prepare: (db: string) => unknown = () => undefined): StudioInBrowser {
  const handle = {} as StudioInBrowser;
  beforeAll(async () => {
    handle.db = path.join(tempDir(), file);
    await prepare(handle.db);
    handle.studio = await startStudio(handle.db);
    handle.browser = await launchBrowser();
  });
  afterAll(async () => {
    await handle.browser?.close();
    await handle.studio?.close();
  });
  return handle;
}

export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    headless: true,
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
    // playwright gives every launch a fresh temporary --user-data-dir of its own.
  });
}

/** Opens a page and records console errors and uncaught exceptions, which tests assert are none. */
export async function openPage(browser: Browser, url: string): Promise<{ page: Page; errors: string[] }> {
  const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
  // Waits are for what the page is expected to show; on two busy cores that can take many
  // seconds, so the limit only catches what never comes.
  page.setDefaultTimeout(60_000);
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(`console: ${m.text()}`);
  });
  await page.goto(url);
  return { page, errors };
}

export async function screenshot(page: Page, name: string): Promise<string> {
  fs.mkdirSync(ARTIFACTS, { recursive: true });
  const file = path.join(ARTIFACTS, `${name}.png`);
  await page.screenshot({ path: file });
  return file;
}

/** Answers the first-launch annotator dialog as "ada". */
export async function signIn(page: Page, annotator = 'ada'): Promise<void> {
  await page.getByRole('dialog').waitFor();
  await page.keyboard.type(annotator);
  await page.keyboard.press('Enter');
  // The dialog traps focus while it closes: keys pressed before it is gone never reach the studio.
  await page.getByRole('dialog').waitFor({ state: 'detached' });
}
