import type { ToolExtra } from './tool';

export interface ProgressPoint {
  progress: number;
  total?: number;
  message?: string;
}

export type WaitOutcome<T> =
  { done: true; value: T } | { done: false; reason: 'timeout' | 'aborted' };

export interface WaitOptions<T> {
  result: Promise<T>;
  maxMs: number;
  /** The caller cancelled its request: stop waiting (the durable run itself goes on). */
  signal?: AbortSignal;
  /** Reads where the run is; polled while waiting. */
  poll?: () => Promise<ProgressPoint | undefined>;
  notify?: (p: ProgressPoint) => Promise<void>;
  pollEveryMs?: number;
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/**
 * Waits for a run's result for at most `maxMs`, reporting progress meanwhile. A run that is
 * still going when the bound passes is not an error: the caller gets its workflow id and can
 * follow it with get_run. A failed run rejects, as `result` does.
 */
export async function waitBounded<T>(o: WaitOptions<T>): Promise<WaitOutcome<T>> {
  let finished = false;
  const result = o.result.then((value) => ({ done: true as const, value }));
  result.catch(() => undefined); // we may stop listening before it settles
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<WaitOutcome<T>>((resolve) => {
    timer = setTimeout(() => resolve({ done: false, reason: 'timeout' }), o.maxMs);
  });
  const aborted = new Promise<WaitOutcome<T>>((resolve) => {
    if (o.signal?.aborted) resolve({ done: false, reason: 'aborted' });
    o.signal?.addEventListener('abort', () => resolve({ done: false, reason: 'aborted' }), {
      once: true,
    });
  });
  if (o.poll && o.notify) {
    const { poll, notify } = o;
    void (async () => {
      while (!finished) {
        try {
          const p = await poll();
          if (p && !finished) await notify(p);
        } catch {
          /* progress is best effort: a failed query or a closed stream must not fail the call */
        }
        await sleep(o.pollEveryMs ?? 500);
      }
    })();
  }
  try {
    return await Promise.race([result, timeout, aborted]);
  } finally {
    finished = true;
    clearTimeout(timer);
  }
}

/**
 * Sends notifications/progress for the current request when the client asked for them (sent
 * a progressToken); only increasing values, as the protocol requires. Undefined otherwise.
 */
export function progressNotifier(
  extra: ToolExtra,
): ((p: ProgressPoint) => Promise<void>) | undefined {
  const progressToken = extra._meta?.progressToken;
  if (progressToken === undefined) return undefined;
  let last = -1;
  return async (p) => {
    if (p.progress <= last) return;
    last = p.progress;
    await extra.sendNotification({
      method: 'notifications/progress',
      params: {
        progressToken,
        progress: p.progress,
        ...(p.total !== undefined ? { total: p.total } : {}),
        ...(p.message ? { message: p.message } : {}),
      },
    });
  };
}
