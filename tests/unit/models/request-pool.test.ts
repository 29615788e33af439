import { expect, test } from 'vitest';
import { RequestPool } from '../../../main/engine/providers/request-pool';

const later = () => new Promise((r) => setImmediate(r));

test('never holds more slots than its limit, and serves waiters first come, first served', async () => {
  const pool = new RequestPool(3);
  const order: number[] = [];
  const releases: (() => void)[] = [];
  const jobs = Array.from({ length: 8 }, (_, i) =>
    pool.run(
      () =>
        new Promise<void>((resolve) => {
          order.push(i);
          releases.push(resolve);
        }),
    ),
  );
  await later();
  expect(order).toEqual([0, 1, 2]);
  expect(pool.inFlight).toBe(3);
  while (releases.length > 0) {
    releases.shift()!();
    await later();
    await later();
    expect(pool.inFlight).toBeLessThanOrEqual(3);
  }
  await Promise.all(jobs);
  expect(order).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
  expect(pool.peak).toBe(3);
  expect(pool.inFlight).toBe(0);
});

test('a waiter whose signal aborts leaves the queue and rejects; the slot goes to the next', async () => {
  const pool = new RequestPool(1);
  await pool.acquire();
  const controller = new AbortController();
  const cancelled = pool.acquire(controller.signal);
  const next = pool.acquire();
  controller.abort(new Error('run cancelled'));
  await expect(cancelled).rejects.toThrow('run cancelled');
  pool.release();
  await next;
  expect(pool.inFlight).toBe(1);
  pool.release();
  expect(pool.inFlight).toBe(0);
});

test('two views on one shared buffer (as two threads have) share the limit', async () => {
  const here = new RequestPool(2);
  const there = new RequestPool(here.shared);
  await here.acquire();
  await there.acquire();
  let granted = false;
  const waiting = there.acquire().then(() => (granted = true));
  await new Promise((r) => setTimeout(r, 30));
  expect(granted).toBe(false);
  here.release(); // wakes the other view through the shared count
  await waiting;
  expect(there.inFlight).toBe(2);
  expect(here.peak).toBe(2);
});

test('refuses a limit that is not a positive whole number', () => {
  expect(() => new RequestPool(0)).toThrow(/concurrency must be a whole number from 1/);
  expect(() => (new RequestPool(2).limit = 1.5)).toThrow(/got 1.5/);
});
