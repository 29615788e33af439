/**
 * Math as a person sees it: a math step with \neq, \boxed, \frac and \sum rendered by the studio
 * in headless Chromium, checked by the geometry of the glyphs KaTeX drew (the slash of \neq lies
 * over its equals sign, the box has a visible border around its content, the numerator sits over
 * the fraction bar and the denominator under it, display \sum has its limits above and below).
 * A stylesheet from another KaTeX version than the renderer's breaks each of these.
 */
import { expect, test } from 'vitest';
import { Store } from '../../main/engine/store/store';
import { openPage, screenshot, signIn, useStudioInBrowser } from './harness';

const STEP = [
  'Since $a \\neq b$, the answer is $\\boxed{42}$, half of it is $\\frac{1}{2} \\cdot 42$.',
  '',
  '$$',
  '\\sum_{k=1}^{n} k = \\frac{n(n+1)}{2}',
  '$$',
].join('\n');

const ctx = useStudioInBrowser('math.db', (db) => {
  const store = Store.open(db);
  const problemId = store.problems.insert({ task: 'math', prompt: 'Show that $x^2 \\geq 0$.', goldAnswer: '42', metadata: {} });
  const run = store.runs.create({ problemId, algorithm: 'bfs', policy: 'test', seed: 1 });
  const writer = store.nodeWriter(run.id);
  writer.add({ seq: 0, parentSeq: null, depth: 0, expansion: 0, stepText: '' });
  writer.add({ seq: 1, parentSeq: 0, depth: 1, expansion: 1, stepText: STEP });
  writer.close();
  store.runs.setStatus(run.id, 'done');
  store.close();
});

// Browser globals used inside page.evaluate: tests compile without the DOM library.
interface El {
  getBoundingClientRect(): Box;
  querySelector(selector: string): El | null;
  querySelectorAll(selector: string): Iterable<El>;
  readonly children: Iterable<El>;
  readonly lastElementChild: El | null;
  readonly textContent: string | null;
}
declare const document: { fonts: { ready: Promise<unknown>; check(font: string): boolean } };
declare function getComputedStyle(el: El): { fontFamily: string; fontSize: string; borderTopWidth: string; borderBottomWidth: string };

interface Box {
  left: number;
  right: number;
  top: number;
  bottom: number;
}

test('\\neq, \\boxed, \\frac and \\sum render with their glyphs where a reader expects them', async () => {
  const { page, errors } = await openPage(ctx.browser, ctx.studio.server.url);
  page.setDefaultTimeout(30_000);
  await signIn(page);
  await page.locator('.run-row').first().click();
  const step = page.locator('.path-step.is-current');
  await step.locator('.katex-display').waitFor();
  // Glyph metrics only hold once KaTeX's own fonts are in use.
  await page.evaluate(() => document.fonts.ready);
  await expect.poll(() => page.evaluate(() => document.fonts.check('16px KaTeX_Main') && document.fonts.check('16px KaTeX_Size2'))).toBe(true);

  const m = await step.evaluate((element: unknown) => {
    const root = element as El;
    const box = (el: El | null | undefined): Box => {
      if (!el) throw new Error('missing element');
      const r = el.getBoundingClientRect();
      return { left: r.left, right: r.right, top: r.top, bottom: r.bottom };
    };
    const html = [...root.querySelectorAll('.katex-html')];
    const [neq, boxed, half] = html;
    const display = root.querySelector('.katex-display .katex-html');
    const frac = half!.querySelector('.mfrac')!;
    const [den, line, num] = [...frac.querySelectorAll(':scope .vlist > span')].map((s) => s.lastElementChild);
    const sum = display!.querySelector('.op-symbol')!;
    const limits = [...display!.querySelector('.mop.op-limits .vlist')!.children].map((s) => s.lastElementChild);
    const fbox = boxed!.querySelector('.fbox')!;
    return {
      // \neq: KaTeX draws the slash (U+E020 in KaTeX_Main) in a zero-width overlay before "=".
      slash: box(neq!.querySelector('.rlap .inner .mrel')),
      equals: box([...neq!.querySelectorAll('.mrel')].find((e) => e.textContent === '=')),
      slashFont: getComputedStyle(neq!.querySelector('.rlap .inner .mrel')!).fontFamily,
      fbox: box(fbox),
      fboxBorder: parseFloat(getComputedStyle(fbox).borderTopWidth),
      boxedContent: box(boxed!.querySelector('.boxpad')),
      fracNum: box(num),
      fracLine: box(line),
      fracDen: box(den),
      fracLineWidth: parseFloat(getComputedStyle(line!).borderBottomWidth),
      sum: box(sum),
      sumFont: getComputedStyle(sum).fontFamily,
      under: box(limits[0]),
      over: box(limits[limits.length - 1]),
      body: parseFloat(getComputedStyle(display!).fontSize),
      limitSize: parseFloat(getComputedStyle(limits[0]!.querySelector('.mord')!).fontSize),
    };
  });
  await screenshot(page, 'studio-math');

  // \neq: a visible slash, drawn across the equals sign rather than beside it ("/=").
  expect(m.slashFont).toContain('KaTeX_Main');
  expect(m.slash.right - m.slash.left).toBeGreaterThan(2);
  const overlap = Math.min(m.slash.right, m.equals.right) - Math.max(m.slash.left, m.equals.left);
  expect(overlap).toBeGreaterThan(0.5 * (m.equals.right - m.equals.left));
  // \boxed: a visible border around its content.
  expect(m.fboxBorder).toBeGreaterThan(0);
  expect(m.fbox.left).toBeLessThanOrEqual(m.boxedContent.left + 1);
  expect(m.fbox.right).toBeGreaterThanOrEqual(m.boxedContent.right - 1);
  expect(m.fbox.top).toBeLessThanOrEqual(m.boxedContent.top + 1);
  expect(m.fbox.bottom).toBeGreaterThanOrEqual(m.boxedContent.bottom - 1);
  // \frac: numerator over the bar, denominator under it (text boxes include line spacing, so
  // their middles are compared with the bar).
  const mid = (b: Box) => (b.top + b.bottom) / 2;
  expect(m.fracLineWidth).toBeGreaterThan(0);
  expect(mid(m.fracNum)).toBeLessThan(m.fracLine.top);
  expect(mid(m.fracDen)).toBeGreaterThan(m.fracLine.bottom);
  // Display \sum: the large operator glyph, n above it, k=1 below it, in a smaller size.
  expect(m.sumFont).toContain('KaTeX_Size2');
  expect(mid(m.over)).toBeLessThan(m.sum.top);
  expect(mid(m.under)).toBeGreaterThan(m.sum.bottom);
  expect(m.limitSize).toBeLessThan(m.body);
  expect(errors).toEqual([]);
});
