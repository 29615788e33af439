/**
 * Review in headless Chromium against `serve`: labels from several annotators seeded through the
 * engine; the agreement dashboard shows exactly what `agreement` computes (overall, per task, per
 * run); disagreements are adjudicated by keyboard into the adjudications table and open in their
 * tree; `n` with the uncertainty rule lands on the step the engine ranks first (in another run),
 * and an empty rule falls back with a message; exact auto-labels are computed from the dialog,
 * accepted along a path with one key and taken back with one undo.
 */
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, onTestFailed, test } from 'vitest';
import type { AgreementReport } from '../../common/contract/review';
import { seedSampleTree } from '../helpers/seed';
import { launchBrowser, openPage, screenshot, startStudio, tempDir, type Studio } from './harness';

let studio: Studio;
let browser: Browser;
/** Two runs of the same countdown tree; node ids by seq for each. */
let runA: { runId: number; ids: number[] };
let runB: { runId: number; ids: number[] };

type R = -1 | 0 | 1;

beforeAll(async () => {
  const db = path.join(tempDir('metacot-review-'), 'review.db');
  for (const which of ['A', 'B'] as const) {
    const s = seedSampleTree(db);
    if (which === 'A') runA = { runId: s.runId, ids: s.ids };
    else runB = { runId: s.runId, ids: s.ids };
    s.store.close();
  }
  studio = await startStudio(db);
  // Three annotators on run A (seq 1..7), two on run B; exact labels of run A are its gold.
  const labels: [typeof runA, string, (R | null)[]][] = [
    [runA, 'ann', [-1, 1, -1, -1, 1, -1, -1]],
    [runA, 'bob', [-1, 1, -1, 0, 1, -1, 1]],
    [runA, 'cy', [1, 1, -1, -1, 0, -1, null]],
    [runB, 'ann', [-1, 1, -1]],
    [runB, 'bob', [1, 1, -1]],
  ];
  for (const [run, annotator, ratings] of labels) {
    for (const [i, rating] of ratings.entries()) {
      if (rating !== null) await call('setLabel', { nodeId: run.ids[i + 1], annotator, rating });
    }
  }
  await call('goldFromExactLabels', { runId: runA.runId });
  await call('addTimeSpent', { runId: runA.runId, annotator: 'ann', seconds: 120 });
  await call('addTimeSpent', { runId: runA.runId, annotator: 'bob', seconds: 45 });
  // Scorer suggestions from Monte-Carlo rollouts of the enumerator, for the uncertainty queue.
  for (const run of [runA, runB]) await call('autolabel', { runId: run.runId, method: 'scorer', scorer: 'rollout:4', policy: 'enumerator' });
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await studio?.close();
});

async function call<T = any>(method: string, input: unknown): Promise<T> {
  const r = await studio.engine.call(method, input);
  if (!r.ok) throw new Error(`${method}: ${r.error.message}`);
  return r.value as T;
}

/** The dashboard's number format, written out independently of the renderer's. */
const three = (v: number | null) => (v === null ? '—' : `${v < 0 && v.toFixed(3) !== '-0.000' ? '−' : ''}${Math.abs(v).toFixed(3)}`);
const pace = (s: number | null) => (s === null ? '—' : s < 90 ? `${s.toFixed(1)} s` : `${(s / 60).toFixed(1)} min`);
const selectedSeq = async (page: Page) => Number(await page.locator('.step.is-selected').getAttribute('data-seq'));

async function openAs(annotator: string, runId: number): Promise<{ page: Page; errors: string[] }> {
  const opened = await openPage(browser, new URL(`#run=${runId}`, studio.server.url).href);
  const { page, errors } = opened;
  page.setDefaultTimeout(10_000);
  onTestFailed(async () => {
    await screenshot(page, `review-failed-${annotator}`).catch(() => undefined);
    console.error('page errors:', errors);
  });
  await page.getByRole('dialog', { name: 'Welcome to Meta-CoT Studio' }).waitFor();
  await page.keyboard.type(annotator);
  await page.keyboard.press('Enter');
  await page.locator('.step.is-selected').waitFor();
  return opened;
}

/** Every number the dashboard shows for the scope in view equals the engine's report. */
async function expectDashboardShows(page: Page, report: AgreementReport, scopeKey: string) {
  const detail = page.getByTestId('agreement-detail');
  await expect.poll(() => detail.getAttribute('data-scope')).toBe(scopeKey);
  const text = (id: string) => detail.getByTestId(id).textContent();
  expect(await text('stat-fleiss')).toBe(three(report.fleissKappa));
  expect(await text('stat-alpha-nominal')).toBe(three(report.krippendorffAlphaNominal));
  expect(await text('stat-alpha-interval')).toBe(three(report.krippendorffAlphaInterval));
  expect(await text('stat-items')).toBe(String(report.items));
  expect(await text('stat-multiply')).toBe(String(report.multiplyLabeled));
  for (const p of report.pairwiseCohen) {
    for (const [a, b] of [[p.a, p.b], [p.b, p.a]]) {
      expect((await text(`kappa-${a}-${b}`))!.replace(/n=\d+$/, '')).toBe(three(p.kappa));
    }
  }
  for (const r of ['-1', '0', '1'] as const) {
    expect(await detail.getByTestId(`balance-${r}`).getAttribute('data-count')).toBe(String(report.labelCounts[r]));
  }
  for (const a of report.perAnnotator) {
    expect(await text(`annot-${a.annotator}-labeled`)).toBe(String(a.labeled));
    expect(await text(`annot-${a.annotator}-gold-items`)).toBe(String(a.goldItems));
    expect(await text(`annot-${a.annotator}-gold`)).toBe(three(a.goldAccuracy));
    expect(await text(`annot-${a.annotator}-pace`)).toBe(pace(a.secondsPerStep));
  }
  expect(await detail.getByTestId('annotator-table').locator('tbody tr').count()).toBe(report.perAnnotator.length);
}

test('the agreement dashboard shows what the engine computes: overall, per task, per run', async () => {
  const { page, errors } = await openAs('lead', runA.runId);
  const all = await call<{ overall: AgreementReport; byTask: AgreementReport[] }>('agreement', {});
  const run = (await call<{ overall: AgreementReport }>('agreement', { runId: runA.runId })).overall;
  // The seeded labels really disagree (else the test would prove little).
  expect(all.overall.fleissKappa).not.toBeNull();
  expect(all.overall.fleissKappa!).toBeLessThan(1);
  expect(all.overall.perAnnotator.find((p) => p.annotator === 'cy')!.goldAccuracy).toBeLessThan(1);

  await page.keyboard.press('r');
  await page.getByTestId('review-screen').waitFor();
  await expectDashboardShows(page, all.overall, 'all');
  await screenshot(page, 'review-agreement');

  // ↓ walks the scopes: the task, then the open run (whose progress is "of" its labelable steps).
  expect(all.byTask.map((r) => r.scope.task)).toEqual(['countdown']);
  await page.keyboard.press('ArrowDown');
  await expectDashboardShows(page, all.byTask[0]!, 'task-countdown');
  await page.keyboard.press('j');
  await expectDashboardShows(page, run, `run-${runA.runId}`);
  await page.getByTestId('annotator-table').getByText('Labeled (of 7)').waitFor();
  await screenshot(page, 'review-agreement-run');

  // Live: a new label elsewhere recomputes the numbers without a reload.
  await call('setLabel', { nodeId: runA.ids[7], annotator: 'cy', rating: 1 });
  const after = (await call<{ overall: AgreementReport }>('agreement', { runId: runA.runId })).overall;
  await expect.poll(() => page.getByTestId('annot-cy-labeled').textContent()).toBe('7');
  await expectDashboardShows(page, after, `run-${runA.runId}`);

  // The review key closes it again; it is listed in the keyboard overlay.
  await page.keyboard.press('r');
  await page.getByTestId('review-screen').waitFor({ state: 'detached' });
  await page.keyboard.press('?');
  await page.getByRole('dialog', { name: 'Keyboard' }).getByText('Review: agreement and adjudication').waitFor();
  await page.keyboard.press('Escape');
  expect(errors).toEqual([]);
});

test('disagreements are adjudicated by keyboard into the adjudications table and open in their tree', async () => {
  const { page, errors } = await openAs('lead', runB.runId);
  const listed = (await call<{ items: { nodeId: number; runId: number; adjudicated: R | null }[] }>('listDisagreements', {})).items;
  expect(listed.length).toBeGreaterThanOrEqual(4);
  const before = await selectedSeq(page);

  await page.keyboard.press('r');
  await page.getByTestId('review-screen').waitFor();
  await page.keyboard.press('ArrowRight'); // to the disagreements
  const rows = page.getByTestId('disagreements').locator('.adj-row');
  await expect.poll(() => rows.count()).toBe(listed.length);
  expect(await rows.evaluateAll((els) => els.map((e) => Number(e.getAttribute('data-node'))))).toEqual(listed.map((i) => i.nodeId));
  // Each row shows every annotator's rating.
  expect(await rows.first().locator('.vote').count()).toBe(3);
  // Tree keys do nothing underneath while the screen is open.
  await page.keyboard.press('p');

  await page.keyboard.press('1'); // first row: final −1
  await expect.poll(() => rows.nth(1).getAttribute('aria-selected')).toBe('true');
  await page.keyboard.press('2'); // second row: final 0
  await expect.poll(() => rows.nth(2).getAttribute('aria-selected')).toBe('true');
  const adjudications = () =>
    studio.engine.store.connection.prepare('SELECT node_id AS nodeId, rating, reviewer FROM adjudications ORDER BY node_id').all();
  await expect.poll(adjudications).toEqual([
    { nodeId: listed[0]!.nodeId, rating: -1, reviewer: 'lead' },
    { nodeId: listed[1]!.nodeId, rating: 0, reviewer: 'lead' },
  ]);
  await expect.poll(() => page.getByTestId('disagreement-count').textContent()).toContain('2 decided');
  // 0 clears a final label; ↑ goes back to it first.
  await page.keyboard.press('ArrowUp');
  await page.keyboard.press('0');
  await expect.poll(() => adjudications().length).toBe(1);
  await page.keyboard.press('2');
  await expect.poll(() => adjudications().length).toBe(2);
  await screenshot(page, 'review-disagreements');
  expect(studio.engine.store.nodes.get(runB.ids[before]!).pruned).toBe(false);

  // Enter opens the row under the cursor in its tree (run A), with that step selected.
  const target = listed[2]!;
  await page.keyboard.press('Enter');
  await page.getByTestId('review-screen').waitFor({ state: 'detached' });
  await expect.poll(() => page.url()).toContain(`#run=${target.runId}`);
  const seq = runA.ids.indexOf(target.nodeId);
  await expect.poll(() => selectedSeq(page)).toBe(seq);
  // The inspector shows the final labels and the gold label of the step.
  await page.getByTestId('quality').getByText(`not a gold step`).or(page.getByTestId('quality').getByText('set by exact-solver')).first().waitFor();
  expect(errors).toEqual([]);
});

test('`n` with the uncertainty rule goes where the engine ranks first (another run); an empty rule falls back and says so', async () => {
  const queue = (await call<{ items: { nodeId: number; runId: number; priority: number }[] }>('nextToLabel', { annotator: 'nia', rule: 'uncertainty', limit: 10 })).items;
  expect(queue.length).toBeGreaterThan(1);
  const first = queue[0]!;
  const other = first.runId === runA.runId ? runB : runA;
  const home = first.runId === runA.runId ? runA : runB;
  const { page, errors } = await openAs('nia', other.runId);

  // q cycles the rule (order → uncertainty); the footer's picker follows, and it is kept.
  await page.keyboard.press('q');
  await expect.poll(() => page.getByLabel('Next step by').inputValue()).toBe('uncertainty');
  await page.keyboard.press('n');
  await expect.poll(() => page.url()).toContain(`#run=${first.runId}`);
  await expect.poll(() => selectedSeq(page)).toBe(home.ids.indexOf(first.nodeId));
  await screenshot(page, 'review-queue');

  // Rating it moves on along the same queue: to the engine's next step for nia.
  await page.keyboard.press('3');
  await expect.poll(() => studio.engine.store.annotations.forRun(first.runId).annotations.some((a) => a.annotator === 'nia')).toBe(true);
  const next = (await call<{ items: { nodeId: number; runId: number }[] }>('nextToLabel', { annotator: 'nia', rule: 'uncertainty', limit: 1 })).items[0]!;
  await expect.poll(() => page.url()).toContain(`#run=${next.runId}`);
  await expect.poll(() => selectedSeq(page)).toBe((next.runId === runA.runId ? runA : runB).ids.indexOf(next.nodeId));

  // No Monte-Carlo labels: scorer-vs-MC has nothing, so n takes the next unlabeled step and says why.
  await page.getByLabel('Next step by').selectOption('scorer-vs-mc');
  const from = await selectedSeq(page);
  await page.keyboard.press('n');
  await page.getByText(/Nothing queued by scorer vs MC/).waitFor();
  await expect.poll(() => selectedSeq(page)).not.toBe(from);
  await page.reload();
  await expect.poll(() => page.getByLabel('Next step by').inputValue()).toBe('scorer-vs-mc');
  expect(errors).toEqual([]);
});

test('exact auto-labels from the dialog, accepted along a path with one key, and one undo takes them back', async () => {
  const { page, errors } = await openAs('olga', runB.runId);
  const mine = () =>
    new Map(
      studio.engine.store.annotations
        .forRun(runB.runId)
        .annotations.filter((a) => a.annotator === 'olga' && a.rating !== null)
        .map((a) => [runB.ids.indexOf(a.nodeId), a.rating]),
    );

  // The request is held for a moment so the running state can be seen.
  await page.route('**/api/autolabel', async (route) => {
    await new Promise((r) => setTimeout(r, 1500));
    await route.continue();
  });
  await page.keyboard.press('Shift+A');
  const dialog = page.getByRole('dialog', { name: `Auto-label run #${runB.runId}` });
  await dialog.waitFor();
  await page.keyboard.press('Enter'); // "Run" has focus; exact is the default method
  await dialog.getByTestId('autolabel-running').waitFor();
  await screenshot(page, 'review-autolabel-dialog');
  // Closing the dialog leaves the job running: the inspector shows it until the count arrives.
  await page.keyboard.press('Escape');
  await dialog.waitFor({ state: 'detached' });
  await page.getByTestId('autolabel-chip').waitFor();
  await page.getByText(`Auto-labeled run #${runB.runId} (exact): 7 steps`).waitFor();
  await page.getByTestId('autolabel-chip').waitFor({ state: 'detached' });
  await page.unroute('**/api/autolabel');

  // The leaf 4*6=24 (seq 5): its path is seq 2 → seq 5, both with exact suggestions.
  await page.locator('.step[data-seq="5"]').click();
  await page.getByTestId('accept-path').getByText('2 to accept').waitFor();
  await page.keyboard.press('a');
  await expect.poll(mine).toEqual(new Map([[2, 1], [5, 1]]));
  await page.getByText(/Accepted 2 exact suggestions on this path/).waitFor();
  await page.locator('.step[data-seq="2"] .chip.rating').waitFor();
  await screenshot(page, 'review-accept-path');

  // One undo takes the whole batch back.
  await page.keyboard.press('Control+z');
  await expect.poll(() => mine().size).toBe(0);
  await page.getByText(/Undid 2 labels/).waitFor();
  await expect.poll(() => page.locator('.step[data-seq="2"] .chip.rating').count()).toBe(0);

  // Gold: the selected step (the undo selected the step it undid) as a quality-control question,
  // then the run's exact labels.
  const gold = () => studio.engine.store.connection.prepare('SELECT node_id AS nodeId, rating, set_by AS setBy FROM gold_labels WHERE run_id = ?').all(runB.runId);
  const quality = page.getByTestId('quality');
  await quality.scrollIntoViewIfNeeded();
  await quality.getByRole('button', { name: '0', exact: true }).click();
  await expect.poll(gold).toEqual([{ nodeId: runB.ids[await selectedSeq(page)], rating: 0, setBy: 'olga' }]);
  await quality.getByText('set by olga').waitFor();
  await expect.poll(() => quality.getByRole('button', { name: '0', exact: true }).getAttribute('aria-pressed')).toBe('true');
  await quality.getByRole('button', { name: 'Exact labels → gold' }).click();
  await expect.poll(() => gold().length).toBe(7);
  await quality.getByText('7 gold steps in this run').waitFor();
  await quality.getByText('set by exact-solver').waitFor();
  await screenshot(page, 'review-quality');

  // A failing method reaches the user as an error message.
  await page.keyboard.press('Shift+A');
  await dialog.getByRole('radio', { name: 'scorer' }).click();
  await dialog.getByPlaceholder(/this run has no scorer/).fill('no-such-scorer');
  await dialog.getByPlaceholder(/this run's/).fill('enumerator');
  await dialog.getByRole('button', { name: 'Run' }).click();
  const alert = page.getByRole('alert').filter({ hasText: 'Auto-labeling run' });
  await alert.waitFor();
  expect(await alert.textContent()).toContain('no-such-scorer');
  await screenshot(page, 'review-autolabel-error');
  // The browser logs the refused request itself; nothing else went wrong.
  expect(errors.filter((e) => !e.includes('status of 400'))).toEqual([]);
});
