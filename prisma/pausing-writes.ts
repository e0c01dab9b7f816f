/**
 * The API's view of the database pause (prisma/unavailable-pause.ts): after the database refused
 * a write as unavailable, the client's writes of the next few seconds fail at once with
 * DatabasePausedError (503 + Retry-After, like the refusal itself) instead of trying.
 *
 * Why: on SQLite every write that meets another process's lock blocks the API's event loop for
 * busy_timeout (5 s), so during an outage each write request stalled every other request,
 * health checks and reads included. Paused, the API waits at most one busy_timeout per pause,
 * and the pause ends as soon as the lock is free. Reads are never paused: SQLite serves them
 * during a lock (WAL). PostgreSQL is left alone: its refusals are fast, and with no way to tell
 * that it is back, a pause would go on answering 503 after it recovered.
 */
import type { PrismaClient } from './client';
import { pauseEndsWhenBack, unlessDatabasePaused } from './unavailable-pause';

const WRITES = new Set([
  'create',
  'createMany',
  'createManyAndReturn',
  'update',
  'updateMany',
  'updateManyAndReturn',
  'upsert',
  'delete',
  'deleteMany',
  '$executeRaw',
  '$executeRawUnsafe',
]);

/** `client` with its writes gated by the pause its refusals start (the pause is per base client). */
export function pausingWrites(client: PrismaClient): PrismaClient {
  if (!pauseEndsWhenBack(client)) return client;
  return client.$extends({
    query: {
      $allOperations({ operation, args, query }) {
        return WRITES.has(operation)
          ? unlessDatabasePaused(client, () => query(args))
          : query(args);
      },
    },
  }) as unknown as PrismaClient;
}
