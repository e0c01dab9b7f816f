import { HttpStatus } from '@nestjs/common';
import type { Client } from '@temporalio/client';
import { ApiError } from '../common/api-error';

export type Waited<T> = { done: true; value: T } | { done: false };

/**
 * Waits for `fn` (a workflow result, an update's reply) at most `ms`. The work itself is
 * durable and goes on; only this request stops waiting, so a proxy or a caller's own timeout
 * never cuts the response off blind. The Temporal calls inside `fn` run under an abort signal,
 * so a given-up wait does not leave a long poll open on the server.
 */
export async function waitWithin<T>(
  client: Client,
  ms: number,
  fn: () => Promise<T>,
): Promise<Waited<T>> {
  const deadline = new AbortController();
  const timer = setTimeout(() => deadline.abort(), ms);
  try {
    return { done: true, value: await client.withAbortSignal(deadline.signal, fn) };
  } catch (err) {
    if (deadline.signal.aborted) return { done: false };
    throw err;
  } finally {
    clearTimeout(timer);
  }
}

/**
 * The answer of a route that promised the result itself (the original's POST /api/{framework},
 * a chat turn) when the wait runs out: 504, saying where to follow the work, which goes on.
 */
export function stillRunning(message: string): ApiError {
  return new ApiError(HttpStatus.GATEWAY_TIMEOUT, 'StillRunning', message);
}
