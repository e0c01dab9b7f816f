import { HttpStatus } from '@nestjs/common';
import type { Client } from '@temporalio/client';
import { ApiError } from '../http/api-error';

export type Waited<T> = { done: true; value: T } | { done: false };

/**
 * Waits for `fn` (a workflow result, an update's reply) at most `ms`. The work itself is
 * durable and goes on; only this request stops waiting, so a proxy or a caller's own timeout
 * never cuts the response off blind. The Temporal calls inside `fn` run under an abort signal
 * that fires at the deadline, so a given-up wait does not keep a long poll open where the SDK
 * honours it; the race makes the deadline hold where it does not (update-with-start).
 */
export async function waitWithin<T>(
  client: Client,
  ms: number,
  fn: () => Promise<T>,
): Promise<Waited<T>> {
  const deadline = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<Waited<T>>((resolve) => {
    timer = setTimeout(() => {
      deadline.abort();
      resolve({ done: false });
    }, ms);
  });
  const work = client.withAbortSignal(deadline.signal, fn).then(
    (value): Waited<T> => ({ done: true, value }),
    (err: unknown): Waited<T> => {
      if (deadline.signal.aborted) return { done: false };
      throw err;
    },
  );
  try {
    return await Promise.race([work, expired]);
  } finally {
    clearTimeout(timer);
    // Whatever the abandoned wait ends with, nobody is listening any more.
    work.catch(() => undefined);
  }
}

/**
 * The answer of a route that promised the result itself (the original's POST /api/{framework},
 * a chat turn) when the wait runs out: 504, saying where to follow the work, which goes on.
 */
export function stillRunning(message: string): ApiError {
  return new ApiError(HttpStatus.GATEWAY_TIMEOUT, 'StillRunning', message);
}
