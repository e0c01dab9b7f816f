import { ApiError } from '../api/errors';

interface PolledQuery<T> {
  state: { status: string; data?: T; dataUpdateCount: number };
}

/** A refetch interval that stops while the query is failing (no console spam from a missing route). */
export function pollUnlessError(ms: number) {
  return (query: { state: { status: string } }): number | false =>
    query.state.status === 'error' ? false : ms;
}

/**
 * Polls something that ends (a run): every `ms` for its first ten answers, then slower, up to
 * every 4 × `ms`, and not at all once it is closed or failing. A long story then costs a few
 * requests a minute against the per-client rate limit (RATE_LIMIT_PER_IP) instead of forty.
 */
export function pollWhileOpen<T>(ms: number, isOpen: (data: T) => boolean) {
  return (query: PolledQuery<T>): number | false => {
    const { status, data, dataUpdateCount } = query.state;
    if (status === 'error' || (data !== undefined && !isOpen(data))) return false;
    return ms * Math.min(4, 1 + Math.floor(dataUpdateCount / 10));
  };
}

/** 429 Too Many Requests and 503 with Retry-After: the server asks to come back, not to give up. */
function isComeBackLater(err: unknown): err is ApiError {
  return (
    err instanceof ApiError &&
    (err.status === 429 || (err.status === 503 && err.retryAfterMs !== undefined))
  );
}

const RATE_LIMIT_RETRIES = 5;
/** A Retry-After beyond this is not waited for by a page: the error is shown with its message. */
const MAX_RETRY_WAIT_MS = 65_000;

/**
 * Queries' retry rule: a rate-limited request is sent again after the server's Retry-After (a
 * poll keeps following its run instead of stopping on an error); other 4xx are the caller's own
 * mistakes and are not retried; anything else (network, 5xx) gets one more try.
 */
export function shouldRetry(failures: number, err: unknown): boolean {
  if (isComeBackLater(err))
    return failures < RATE_LIMIT_RETRIES && (err.retryAfterMs ?? 0) <= MAX_RETRY_WAIT_MS;
  return failures < 1 && !(err instanceof ApiError && err.status >= 400 && err.status < 500);
}

/** How long before the next try: Retry-After when the server gave one, else React Query's backoff. */
export function retryDelay(failures: number, err: unknown): number {
  if (isComeBackLater(err) && err.retryAfterMs !== undefined) return err.retryAfterMs + 250;
  return Math.min(1000 * 2 ** failures, 30_000);
}
