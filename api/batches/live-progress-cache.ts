/**
 * What a running batch's workflow answers to its queries (progress, failed items), shared by
 * every reader of that batch: GET /api/batches/:id, its event stream and the guards. A query is
 * a task for the worker, and while a large window runs the worker and Temporal are at their
 * busiest: one query, and even a describe, took seconds there, and each reader asked again
 * (BENCHMARKS.md, P4). The same holds, with the same freshness, for the description of a running
 * batch and its page of stories from the database.
 *
 * - An answer younger than `freshMs` (counted from when its query was sent) is reused as is.
 * - Once older, the next reader starts a refresh and waits for it; while it runs, every other
 *   reader gets the previous answer at once (it is as old as the wait for a new one would have
 *   been). A lone reader thus always gets its own answer; many share one query at a time.
 * - `previous()` is the last answer, for a caller that stops waiting for its refresh.
 * - A refresh that fails drops the entry, so the next reader waits for its own query (and the
 *   caller's fallback applies) instead of being served an answer that can no longer be renewed.
 * - An answer can belong to one run (`runId`): after continue-as-new or a re-open, readers of
 *   the new run wait for its own answer.
 * - `forget()` after the API changes the batch itself (pause, resume, window, retry, cancel),
 *   so its own caller never reads the state from before the change.
 */
export class LiveProgressCache<T> {
  private readonly entries = new Map<
    string,
    { runId: string; answer?: { value: T; askedAt: number }; refresh?: Promise<T> }
  >();

  constructor(
    readonly freshMs: number,
    readonly maxEntries = 1_000,
    private readonly now: () => number = Date.now,
  ) {}

  get size(): number {
    return this.entries.size;
  }

  /** The answer: cached while fresh, else `ask()`'s (the previous one while it runs). */
  get(key: string, runId: string, ask: () => Promise<T>): Promise<T> {
    let entry = this.entries.get(key);
    if (entry?.runId !== runId) entry = undefined;
    const now = this.now();
    if (entry?.answer && now - entry.answer.askedAt < this.freshMs)
      return Promise.resolve(entry.answer.value);
    if (!entry) {
      entry = { runId };
      this.entries.delete(key);
      this.entries.set(key, entry);
      this.evictBeyondMax();
    }
    if (entry.answer && entry.refresh) return Promise.resolve(entry.answer.value);
    if (entry.refresh) return entry.refresh;
    return this.refresh(key, entry, now, ask);
  }

  /** The last answer for `key` in `runId`, however old, if any. */
  previous(key: string, runId: string): T | undefined {
    const entry = this.entries.get(key);
    return entry?.runId === runId ? entry.answer?.value : undefined;
  }

  private refresh(
    key: string,
    e: { runId: string; answer?: { value: T; askedAt: number }; refresh?: Promise<T> },
    now: number,
    ask: () => Promise<T>,
  ): Promise<T> {
    const refresh = ask();
    e.refresh = refresh;
    refresh.then(
      (value) => {
        e.answer = { value, askedAt: now };
        e.refresh = undefined;
      },
      () => {
        if (this.entries.get(key) === e) this.entries.delete(key);
      },
    );
    return refresh;
  }

  /** Drops the batch's answer: the next reader asks the workflow again. */
  forget(key: string): void {
    this.entries.delete(key);
  }

  /** Drops every answer whose key starts with `prefix` (one batch's pages). */
  forgetPrefix(prefix: string): void {
    for (const key of [...this.entries.keys()])
      if (key.startsWith(prefix)) this.entries.delete(key);
  }

  private evictBeyondMax(): void {
    while (this.entries.size > this.maxEntries) {
      const oldest = this.entries.keys().next().value;
      if (oldest === undefined) return;
      this.entries.delete(oldest);
    }
  }
}
