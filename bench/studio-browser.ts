/** Headless Chromium for the studio benches (Debian's, never a downloaded one), and pages with prefs preset. */
import { chromium, type Browser, type Page } from 'playwright-core';

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    headless: true,
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--no-first-run'],
  });
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
