import type { CHECK_RESULTS, Readiness } from '../../common/schemas/system-responses';

export type CheckResult = (typeof CHECK_RESULTS)[number];
export type { Readiness };

export class CheckTimeout extends Error {
  override name = 'CheckTimeout';
}

/** Rejects with CheckTimeout after `ms`; the timer never keeps the process alive. */
export function withTimeout<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new CheckTimeout(`no answer within ${ms} ms`)), ms);
    timer.unref();
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

/**
 * Runs every check concurrently, each bounded by `timeoutMs`. Only the outcome is reported to
 * the caller; `onFailure` receives the error (for the log), since error texts can name hosts,
 * files or credentials.
 */
export async function runChecks(
  checks: Record<string, () => Promise<unknown>>,
  timeoutMs: number,
  onFailure: (name: string, err: unknown) => void = () => undefined,
): Promise<Readiness> {
  const names = Object.keys(checks);
  const results = await Promise.all(
    names.map(async (name): Promise<CheckResult> => {
      try {
        await withTimeout(Promise.resolve().then(checks[name]), timeoutMs);
        return 'ok';
      } catch (err) {
        onFailure(name, err);
        return err instanceof CheckTimeout ? 'timeout' : 'failed';
      }
    }),
  );
  const byName = Object.fromEntries(names.map((n, i) => [n, results[i]]));
  return { status: results.every((r) => r === 'ok') ? 'ready' : 'not_ready', checks: byName };
}
