import { ApplicationFailure } from '@temporalio/common';

/**
 * Database errors that say the data (or the query) is wrong, not that the database is unwell:
 * the same write fails the same way on every attempt. Database activities are retried without
 * limit (persistOptions) and a batch item waits out its store, both so that an outage delays
 * and never loses; for these errors that was an endless loop (e.g. PostgreSQL refusing a
 * 150-character value for a VARCHAR(100) column: names could be that long while
 * MAX_CHARACTER_LENGTH allowed up to 1,000, before it was capped at the column's width).
 */
const DATA_ERROR_CODES = new Set([
  'P2000', // a value too long for its column
  'P2006', // a value not valid for its field
  'P2011', // null in a required column
  'P2012', // a required value missing
  'P2019', // an input error
  'P2020', // a value out of range for its type
]);

/** The failure type of a database write that no retry can make succeed. */
export const DATABASE_DATA_ERROR = 'DatabaseDataError';

export function isDatabaseDataError(err: unknown): err is Error {
  if (!(err instanceof Error)) return false;
  if (err.name === 'PrismaClientValidationError') return true;
  const { code } = err as { code?: unknown };
  return (
    err.name === 'PrismaClientKnownRequestError' &&
    typeof code === 'string' &&
    DATA_ERROR_CODES.has(code)
  );
}

/** The driver's own words (Prisma's message starts with the call site), else the last line. */
function databaseWords(err: Error): string {
  const { meta } = err as {
    meta?: { driverAdapterError?: { cause?: { originalMessage?: unknown } } };
  };
  const original = meta?.driverAdapterError?.cause?.originalMessage;
  if (typeof original === 'string') return original;
  const lines = err.message.split('\n').filter((l) => l.trim() !== '');
  return (lines.at(-1) ?? err.message).trim();
}

/** `err` as a non-retryable failure if it is a data error (naming `what` was refused), else as is. */
export function failForGoodOnDataError(what: string, err: unknown): unknown {
  if (!isDatabaseDataError(err)) return err;
  const code = (err as { code?: unknown }).code;
  return ApplicationFailure.nonRetryable(
    `${what}: the database refused the data${typeof code === 'string' ? ` (${code})` : ''}, and would on every retry: ${databaseWords(err)}`,
    DATABASE_DATA_ERROR,
  );
}

type AsyncFunctions = Record<string, (...args: never[]) => Promise<unknown>>;

/** The same activities, each failing for good on a data error (see above), named in the failure. */
export function failingForGoodOnDataErrors<T extends AsyncFunctions>(fns: T): T {
  const out: Record<string, unknown> = {};
  for (const [name, fn] of Object.entries(fns)) {
    out[name] = async (...args: never[]) => {
      try {
        return await fn(...args);
      } catch (err) {
        throw failForGoodOnDataError(name, err);
      }
    };
  }
  // As prisma/unavailable-pause.ts's pausedWhileUnavailable: same keys, same signatures.
  return out as T;
}
