/**
 * Errors that mean "the database cannot serve this now" rather than "this request is wrong" or
 * "our code is broken": it is down or unreachable, its pool is exhausted, or (SQLite) another
 * process holds the write lock past busy_timeout. The API answers these with 503 and
 * Retry-After, so callers retry instead of reading a 500 as a bug.
 */
const UNAVAILABLE_PRISMA_CODES = new Set([
  'P1001', // can't reach the database server
  'P1002', // the server was reached but timed out
  'P1008', // operation timed out (the SQLite adapter maps SQLITE_BUSY here)
  'P1017', // the server closed the connection
  'P2024', // timed out fetching a connection from the pool
  'P2034', // transaction failed on a write conflict or deadlock; retry it
]);

// Driver codes, as the adapters pass them on (`code`, or `originalCode` once mapped): SQLite's
// lock errors, socket errors, and PostgreSQL's classes 08 (connection), 53 (resources),
// 57P01-03 (shutting down / starting up) and 40001/40P01 (serialization failure, deadlock).
const UNAVAILABLE_DRIVER_CODE =
  /^(SQLITE_BUSY|SQLITE_LOCKED|ECONNREFUSED|ECONNRESET|EPIPE|ETIMEDOUT|ENOTFOUND|08|53|57P0[1-3]$|40001$|40P01$)/;
// node-postgres reports a connection lost mid-use, and a pool with no connection to give, as
// plain Errors with no code; Prisma passes them on as they are. These are its messages.
const PG_CONNECTION_LOST =
  /(Connection terminated unexpectedly|Client has encountered a connection error and is not queryable|Connection terminated due to connection timeout|timeout exceeded when trying to connect)/;
// Driver-adapter error kinds (Prisma's mapping of the above).
const UNAVAILABLE_KINDS = new Set([
  'DatabaseNotReachable',
  'ConnectionClosed',
  'SocketTimeout',
  'TooManyConnections',
  'TransactionWriteConflict',
]);

interface ErrorFields {
  code?: unknown;
  originalCode?: unknown;
  kind?: unknown;
  name?: unknown;
  message?: unknown;
  originalMessage?: unknown;
  cause?: unknown;
  meta?: { driverAdapterError?: unknown };
}

export function isDatabaseUnavailable(err: unknown, depth = 0): boolean {
  const e = err as ErrorFields | null;
  if (!e || typeof e !== 'object' || depth > 5) return false;
  if (e.name === 'PrismaClientInitializationError') return true;
  if (typeof e.kind === 'string' && UNAVAILABLE_KINDS.has(e.kind)) return true;
  if (typeof e.message === 'string' && PG_CONNECTION_LOST.test(e.message)) return true;
  for (const code of [e.code, e.originalCode]) {
    if (typeof code !== 'string') continue;
    if (UNAVAILABLE_PRISMA_CODES.has(code) || UNAVAILABLE_DRIVER_CODE.test(code)) return true;
    // 55000 is broad ("object not in prerequisite state"); only the refused-connection case counts.
    const message = [e.message, e.originalMessage].filter((m) => typeof m === 'string').join(' ');
    if (code === '55000' && /not currently accepting connections/.test(message)) return true;
    // P2028 is any transaction API error; only a transaction that found no connection in time
    // (maxWait) means the database cannot serve now, like P2024 for a single query.
    if (code === 'P2028' && /Unable to start a transaction in the given time/.test(message))
      return true;
  }
  // A raw statement's failure (P2010) carries the adapter's error in meta, not as its cause.
  if (e.meta?.driverAdapterError && isDatabaseUnavailable(e.meta.driverAdapterError, depth + 1))
    return true;
  return isDatabaseUnavailable(e.cause, depth + 1);
}
