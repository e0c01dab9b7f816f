import { isDatabaseUnavailable } from './unavailable';

/**
 * After the database refuses an operation as unavailable, the same client's gated work of the
 * next few seconds fails at once instead of trying (a circuit breaker with a fixed cool-down).
 *
 * Why: better-sqlite3 is synchronous. A write that meets another process's lock blocks the whole
 * worker, every activity, heartbeat and workflow task, for up to busy_timeout (5 s). In an outage
 * each persist retry of each finished story did that, back to back, so the worker stalled for the
 * whole outage; LLM calls in flight then outlasted their StartToClose three times and a story
 * failed (CI, SQLite outage scenario). Paused, the worker waits at most one busy_timeout per pause,
 * and an SQLite pause ends as soon as a lock check that cannot block finds the lock free, so the
 * pause does not delay recovery. PostgreSQL refusals do not block, so its pause is short: it only
 * spares a dead server the calls.
 */
export const SQLITE_UNAVAILABLE_PAUSE_MS = 10_000;
export const POSTGRES_UNAVAILABLE_PAUSE_MS = 2_000;

export interface UnavailablePause {
  ms: number;
  /**
   * A check that cannot block, asked while paused: true = the database is back, end the pause
   * now. (SQLite: can a connection with no busy_timeout take the write lock?) Without it, only
   * the end of the pause lets work through.
   */
  isBack?: () => boolean;
}

const settings = new WeakMap<object, UnavailablePause>();
const pausedUntil = new WeakMap<object, number>();

/** Thrown instead of trying while paused; isDatabaseUnavailable counts it, so it is retried. */
export class DatabasePausedError extends Error {
  override readonly name = 'DatabasePausedError';
  /** Prisma's kind for an unreachable database: the same handling as a real refusal. */
  readonly kind = 'DatabaseNotReachable';
}

/** Called where the client is made: how long its refusals pause its gated work. */
export function setUnavailablePause(client: object, pause: UnavailablePause): void {
  settings.set(client, pause);
}

/** Whether `client`'s pause can end as soon as its database is back (it has an isBack check). */
export function pauseEndsWhenBack(client: object): boolean {
  return settings.get(client)?.isBack !== undefined;
}

/** Milliseconds of pause left for `client` (0 = try the database). */
export function unavailablePauseLeft(client: object): number {
  const left = (pausedUntil.get(client) ?? 0) - Date.now();
  if (left <= 0) return 0;
  if (settings.get(client)?.isBack?.()) {
    pausedUntil.delete(client);
    return 0;
  }
  return left;
}

/** Starts (or extends) the pause if `err` says the database is unavailable; true if so. */
export function noteDatabaseFailure(client: object, err: unknown): boolean {
  if (err instanceof DatabasePausedError || !isDatabaseUnavailable(err)) return false;
  pausedUntil.set(client, Date.now() + (settings.get(client)?.ms ?? SQLITE_UNAVAILABLE_PAUSE_MS));
  return true;
}

/** Runs `work` unless `client` is paused (then throws DatabasePausedError); notes its refusal. */
export async function unlessDatabasePaused<T>(client: object, work: () => Promise<T>): Promise<T> {
  const left = unavailablePauseLeft(client);
  if (left > 0) {
    throw new DatabasePausedError(
      `database unavailable: not tried for another ${Math.ceil(left / 1000)} s after it refused a request`,
    );
  }
  try {
    return await work();
  } catch (err) {
    noteDatabaseFailure(client, err);
    throw err;
  }
}

type AsyncFunctions = Record<string, (...args: never[]) => Promise<unknown>>;

/** The same functions, each run through unlessDatabasePaused (for activities that only use the database). */
export function pausedWhileUnavailable<T extends AsyncFunctions>(client: object, fns: T): T {
  const out: Record<string, unknown> = {};
  for (const [name, fn] of Object.entries(fns)) {
    out[name] = (...args: never[]) => unlessDatabasePaused(client, () => fn(...args));
  }
  return out as T;
}
