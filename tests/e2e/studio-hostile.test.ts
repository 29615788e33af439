/**
 * Model text is data, never markup: step texts carrying <script>, <img onerror>, javascript:
 * links, KaTeX \href and macro bombs, and a 200,000-character line are shown inert and readable,
 * in Markdown mode and in plain mode, in the tree, the inspector and the guidelines panel.
 */
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { Store } from '../../main/engine/store/store';
import { launchBrowser, openPage, screenshot, startStudio, tempDir, type Studio } from './harness';

const HOSTILE = {
  script: '<script>window.__pwned = "script"</script> then 3 + 4 = 7',
  img: 'Look: <img src=x onerror="window.__pwned = \'img\'"> and <iframe src="javascript:parent.__pwned=1"></iframe>',
  link: 'See [the proof](javascript:window.__pwned=%22link%22) and ![chart](javascript:window.__pwned=1) and <a href="javascript:alert(1)">raw</a>',
  katex: 'So $\\href{javascript:window.__pwned=1}{x} + \\htmlClass{pwn}{y}$ and $$\\def\\a{\\a\\a}\\a$$ and $\\frac{a}{b} = \\sqrt{2}$',
  huge: `${'9'.repeat(200_000)} = nine`,
};

let studio: Studio;
let browser: Browser;
let runId = 0;

beforeAll(async () => {
  const db = path.join(tempDir(), 'hostile.db');
  const store = Store.open(db);
  const problemId = store.problems.insert({
    task: 'math',
    prompt: 'A **math** problem: compute $\\int_0^1 x^2\\,dx$. <b onmouseover="window.__pwned=1">bold?</b>',
    goldAnswer: '1/3',
    metadata: {},
  });
  const run = store.runs.create({ problemId, algorithm: 'bfs', policy: 'test', seed: 1 });
  runId = run.id;
  const writer = store.nodeWriter(run.id);
  writer.add({ seq: 0, parentSeq: null, depth: 0, expansion: 0, stepText: '' });
  Object.values(HOSTILE).forEach((stepText, i) =>
    writer.add({ seq: i + 1, parentSeq: i, depth: i + 1, expansion: i + 1, stepText }),
  );
  writer.close();
  store.runs.setStatus(run.id, 'done');
  store.setSetting('guidelines', '# Rules\n\n<script>window.__pwned="guidelines"</script>\n\n[do not click](javascript:window.__pwned=1)');
  store.close();
  studio = await startStudio(db);
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await studio?.close();
});

async function assertNothingRan(page: Page, dialogs: string[]): Promise<void> {
  expect(await page.evaluate(() => (globalThis as { __pwned?: unknown }).__pwned)).toBeUndefined();
  expect(dialogs).toEqual([]);
  // Nothing from the text became an element that can run or load anything.
  const live = await page.evaluate(() => {
    const doc = (globalThis as unknown as { document: { querySelectorAll(s: string): { length: number } } }).document;
    return {
      scripts: doc.querySelectorAll('body script').length,
      images: doc.querySelectorAll('.inspector img, .guidelines img, .react-flow img').length,
      iframes: doc.querySelectorAll('iframe').length,
      links: doc.querySelectorAll('.inspector a, .guidelines a, .react-flow__node a').length,
      handlers: doc.querySelectorAll('[onerror], [onmouseover], [onclick]').length,
      pwnClass: doc.querySelectorAll('.pwn').length,
    };
  });
  expect(live).toEqual({ scripts: 0, images: 0, iframes: 0, links: 0, handlers: 0, pwnClass: 0 });
}

test('hostile step text renders inert and readable', async () => {
  const { page, errors } = await openPage(browser, `${studio.server.url}#run=${runId}`);
  page.setDefaultTimeout(8000);
  const dialogs: string[] = [];
  page.on('dialog', (d) => {
    dialogs.push(d.message());
    void d.dismiss();
  });
  await page.getByRole('dialog').waitFor();
  await page.keyboard.type('eve');
  await page.keyboard.press('Enter');
  await page.locator('.step.is-selected').waitFor();

  // Walk to the deepest step so the inspector's path shows every hostile text.
  await page.getByRole('button', { name: 'Expand all' }).click();
  for (let i = 0; i < 6; i++) await page.keyboard.press('j');
  expect(await page.locator('.step.is-selected').getAttribute('data-seq')).toBe('5');
  const inspector = page.getByTestId('inspector');

  // Markdown mode (a math task): the markup is visible as text, the maths is typeset.
  await inspector.getByText('<script>window.__pwned = "script"</script>', { exact: false }).waitFor();
  await inspector.getByText('<img src=x onerror=', { exact: false }).waitFor();
  await inspector.locator('.md-link', { hasText: 'the proof' }).waitFor();
  expect(await inspector.locator('.md-link', { hasText: 'the proof' }).getAttribute('title')).toContain('not opened');
  await inspector.getByText('[image: chart]').waitFor();
  expect(await inspector.locator('.katex').count()).toBeGreaterThan(2);
  expect(await inspector.locator('.path-problem strong', { hasText: 'math' }).count()).toBe(1);
  // The 200k-character line is shown 20k characters a page, with a way to page on, and it wraps.
  await inspector.getByText(`page 1 of ${Math.ceil(HOSTILE.huge.length / 20_000)} · ${HOSTILE.huge.length.toLocaleString('en-US')} characters`).waitFor();
  await inspector.getByRole('button', { name: 'Next page' }).waitFor();
  const overflow = await inspector.evaluate((el) => el.scrollWidth - el.clientWidth);
  expect(overflow).toBeLessThanOrEqual(0);
  await assertNothingRan(page, dialogs);
  await screenshot(page, 'studio-hostile-markdown');

  // Plain mode: the same texts as literal characters.
  await inspector.getByRole('button', { name: 'Plain' }).click();
  await inspector.locator('pre.plain', { hasText: '[the proof](javascript:window.__pwned=%22link%22)' }).waitFor();
  await inspector.locator('pre.plain', { hasText: '\\href{javascript:window.__pwned=1}' }).waitFor();
  await assertNothingRan(page, dialogs);

  // The tree shows them as text too.
  const node1 = page.locator('.step[data-seq="1"] .step-text');
  expect(await node1.textContent()).toContain('<script>window.__pwned');

  // Guidelines panel, one key away: hostile Markdown there is inert as well.
  await page.keyboard.press('g');
  const guidelines = page.getByTestId('guidelines');
  await guidelines.getByText('<script>window.__pwned="guidelines"</script>').waitFor();
  await assertNothingRan(page, dialogs);
  await screenshot(page, 'studio-guidelines');

  // Clicking a rendered link goes nowhere.
  await guidelines.locator('.md-link').click();
  expect(page.url()).toContain(`#run=${runId}`);
  await assertNothingRan(page, dialogs);
  expect(errors).toEqual([]);
});
