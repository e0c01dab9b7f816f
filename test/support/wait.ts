/**
 * Polls until `check` returns a value that `done` accepts, or fails with the last value seen.
 * Temporal visibility and batch progress are eventually consistent: tests poll with a deadline
 * instead of sleeping blindly.
 */
export async function waitFor<T>(
  what: string,
  check: () => Promise<T>,
  done: (v: T) => boolean,
  { timeoutMs = 60_000, everyMs = 100 }: { timeoutMs?: number; everyMs?: number } = {},
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: T | undefined;
  for (;;) {
    last = await check();
    if (done(last)) return last;
    if (Date.now() > deadline)
      throw new Error(
        `timed out after ${timeoutMs} ms waiting for ${what}; last value: ${JSON.stringify(last)?.slice(0, 2000)}`,
      );
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

export const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));
