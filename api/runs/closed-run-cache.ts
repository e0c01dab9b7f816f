import { CLOSED_RUN_STATUSES } from '../../common/run-statuses';

/**
 * A small LRU of what the API answers about CLOSED runs. A closed run's description, result,
 * input and history never change, so GET /api/runs/:id and /history of a finished run need not
 * re-read them from Temporal and the database on every request (BENCHMARKS.md, P4). Keys carry
 * the run ID: a new run under the same workflow ID (a re-opened batch, a retried item) is a new
 * key, and the caller always learns the current run ID from a live describe first.
 *
 * Entries also expire after `ttlMs`, which bounds how long a late audit row (an LLM attempt that
 * finishes on a worker after its run has closed, e.g. a timed-out attempt) can be missing from
 * the cached totals. `maxEntries` 0 turns the cache off.
 *
 * Concurrent misses for one key share one computation (the promise is cached); a rejected one
 * is dropped at once so the next request tries again.
 */
export class ClosedRunCache {
  private readonly entries = new Map<
    string,
    { value: Promise<unknown>; expiresAt: number; storedAt: number }
  >();

  constructor(
    readonly maxEntries: number,
    readonly ttlMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  get enabled(): boolean {
    return this.maxEntries > 0 && this.ttlMs > 0;
  }

  get size(): number {
    return this.entries.size;
  }

  /** The cached value for `key`, or `compute()`'s (then cached). */
  getOrCompute<T>(key: string, compute: () => Promise<T>): Promise<T> {
    if (!this.enabled) return compute();
    const now = this.now();
    const hit = this.entries.get(key);
    if (hit && hit.expiresAt > now) {
      // Most recently used last: Map keeps insertion order.
      this.entries.delete(key);
      this.entries.set(key, hit);
      return hit.value as Promise<T>;
    }
    if (hit) this.entries.delete(key);
    const value = compute();
    const entry = { value: value as Promise<unknown>, expiresAt: now + this.ttlMs, storedAt: now };
    this.entries.set(key, entry);
    value.catch(() => {
      if (this.entries.get(key) === entry) this.entries.delete(key);
    });
    this.evictBeyondMax();
    return value;
  }

  private evictBeyondMax(): void {
    while (this.entries.size > this.maxEntries) {
      const oldest = this.entries.keys().next().value;
      if (oldest === undefined) return;
      this.entries.delete(oldest);
    }
  }

  /** The cached, unexpired value for `key` and its age, if any (without computing it). */
  peek<T>(key: string): { value: Promise<T>; ageMs: number } | undefined {
    if (!this.enabled) return undefined;
    const hit = this.entries.get(key);
    const now = this.now();
    if (!hit || hit.expiresAt <= now) return undefined;
    return { value: hit.value as Promise<T>, ageMs: now - hit.storedAt };
  }

  /** Caches a value computed elsewhere (one that is known to be worth caching). */
  put<T>(key: string, value: T): void {
    if (!this.enabled) return;
    const now = this.now();
    this.entries.delete(key);
    this.entries.set(key, {
      value: Promise.resolve(value),
      expiresAt: now + this.ttlMs,
      storedAt: now,
    });
    this.evictBeyondMax();
  }

  delete(key: string): void {
    this.entries.delete(key);
  }

  clear(): void {
    this.entries.clear();
  }
}

const CLOSED = new Set<string>(CLOSED_RUN_STATUSES);

/** A run that can still change: anything not closed (RUNNING, PAUSED, and statuses unknown to us). */
export function isOpenStatus(status: string): boolean {
  return !CLOSED.has(status);
}

/**
 * A run whose result (or failure) the server already holds: closed, and not handed over to a
 * next run (whose result handle.result() would wait for). Anything else must not be awaited
 * by a GET: a PAUSED or unknown-status run would hang the request.
 */
export function hasFinalOutcome(status: string): boolean {
  return !isOpenStatus(status) && status !== 'CONTINUED_AS_NEW';
}
