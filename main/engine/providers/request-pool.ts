/**
 * How many requests to model servers may be in flight at once, for the whole process: every run
 * of a batch, every policy, every worker thread draws from one pool (`--concurrency N`, default
 * 64). The count lives in a SharedArrayBuffer, so worker threads handed the buffer share the limit
 * with the thread that made it. Waiters in one thread are served first come, first served; a
 * thread with waiters and no free slot sleeps on the shared count until another thread releases.
 */
import { setMaxListeners } from 'node:events';

/** Atomics.waitAsync (ES2024; Node has it, the ES2023 lib types do not). */
const waitAsync = (Atomics as unknown as {
  waitAsync(a: Int32Array, index: number, value: number, timeoutMs: number): { async: boolean; value: Promise<string> | string };
}).waitAsync;

export const DEFAULT_CONCURRENCY = 64;
const LIMIT = 0;
const IN_FLIGHT = 1;
const PEAK = 2;
/** A sleeping thread re-checks at least this often (a notify can race a waiter's sleep). */
const WAIT_SLICE_MS = 20;

export class RequestPool {
  readonly shared: SharedArrayBuffer;
  private readonly cells: Int32Array;
  private readonly waiters: { grant: () => void }[] = [];
  private sleeping = false;

  /** A new pool of `limit` slots, or a view on another thread's pool (`shared`). */
  constructor(limit: number | SharedArrayBuffer = DEFAULT_CONCURRENCY) {
    if (typeof limit === 'number') {
      checkLimit(limit);
      this.shared = new SharedArrayBuffer(3 * Int32Array.BYTES_PER_ELEMENT);
      this.cells = new Int32Array(this.shared);
      this.cells[LIMIT] = limit;
    } else {
      this.shared = limit;
      this.cells = new Int32Array(limit);
    }
  }

  get limit(): number {
    return Atomics.load(this.cells, LIMIT);
  }

  /** Changes the limit; requests already in flight finish, new ones wait for room. */
  set limit(value: number) {
    checkLimit(value);
    Atomics.store(this.cells, LIMIT, value);
    Atomics.notify(this.cells, IN_FLIGHT);
    this.serve();
  }

  get inFlight(): number {
    return Atomics.load(this.cells, IN_FLIGHT);
  }

  /** Most requests in flight at once since the pool was made or resetPeak was called. */
  get peak(): number {
    return Atomics.load(this.cells, PEAK);
  }

  resetPeak(): void {
    Atomics.store(this.cells, PEAK, this.inFlight);
  }

  /** Runs `work` once a slot is free, holding the slot until it settles. */
  async run<T>(work: () => Promise<T>, signal?: AbortSignal): Promise<T> {
    await this.acquire(signal);
    try {
      return await work();
    } finally {
      this.release();
    }
  }

  /** Waits for a free slot (rejects if `signal` aborts first); pair with release(). */
  acquire(signal?: AbortSignal): Promise<void> {
    signal?.throwIfAborted();
    // One run's (or batch's) signal is watched by each of its requests waiting or in flight: many
    // listeners at once are expected, not a leak (each is removed when its request settles).
    if (signal) setMaxListeners(0, signal);
    if (this.waiters.length === 0 && this.tryTake()) return Promise.resolve();
    return new Promise<void>((resolve, reject) => {
      const onAbort = () => {
        const at = this.waiters.indexOf(waiter);
        if (at >= 0) this.waiters.splice(at, 1);
        reject(signal!.reason);
      };
      const waiter = {
        grant: () => {
          signal?.removeEventListener('abort', onAbort);
          resolve();
        },
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.waiters.push(waiter);
      this.serve();
    });
  }

  release(): void {
    Atomics.sub(this.cells, IN_FLIGHT, 1);
    Atomics.notify(this.cells, IN_FLIGHT);
    this.serve();
  }

  /** Hands free slots to this thread's waiters in order; sleeps on the shared count when none is free. */
  private serve(): void {
    while (this.waiters.length > 0 && this.tryTake()) this.waiters.shift()!.grant();
    if (this.waiters.length === 0 || this.sleeping) return;
    this.sleeping = true;
    const seen = Atomics.load(this.cells, IN_FLIGHT);
    const wait = waitAsync(this.cells, IN_FLIGHT, seen, WAIT_SLICE_MS);
    void Promise.resolve(wait.value).then(() => {
      this.sleeping = false;
      this.serve();
    });
  }

  private tryTake(): boolean {
    for (;;) {
      const current = Atomics.load(this.cells, IN_FLIGHT);
      if (current >= Atomics.load(this.cells, LIMIT)) return false;
      if (Atomics.compareExchange(this.cells, IN_FLIGHT, current, current + 1) !== current) continue;
      for (let peak = Atomics.load(this.cells, PEAK); current + 1 > peak; peak = Atomics.load(this.cells, PEAK)) {
        if (Atomics.compareExchange(this.cells, PEAK, peak, current + 1) === peak) break;
      }
      return true;
    }
  }
}

function checkLimit(limit: number): void {
  if (!Number.isInteger(limit) || limit < 1 || limit > 100_000) throw new RangeError(`concurrency must be a whole number from 1 to 100000, got ${limit}`);
}

let processPool: RequestPool | null = null;

/** The pool every model-server request of this process goes through. */
export function requestPool(): RequestPool {
  return (processPool ??= new RequestPool(DEFAULT_CONCURRENCY));
}

/** A worker thread joins the pool of the thread that started it (the buffer from requestPool().shared). */
export function adoptRequestPool(shared: SharedArrayBuffer): void {
  processPool = new RequestPool(shared);
}
