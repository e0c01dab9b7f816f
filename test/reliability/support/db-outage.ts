/**
 * A database outage on demand, on the database of one suite only (never the shared server):
 *  - SQLite: another connection takes the write lock (BEGIN EXCLUSIVE) and holds it, so every
 *    write of the worker and the API fails with SQLITE_BUSY after its busy_timeout;
 *  - PostgreSQL: the cluster is shared (CI, other suites), so it is not stopped; the test
 *    database refuses new connections (ALTER DATABASE ... ALLOW_CONNECTIONS false) and every
 *    open connection to it is terminated, again every second while the outage lasts.
 */
import Database from 'better-sqlite3';
import pg from 'pg';
import { sqliteFilePath } from '../../../prisma/database-url';

export interface Outage {
  /** When the database became unavailable (ms since epoch). */
  startedAt: number;
  /** Ends the outage; resolves with how long it lasted (ms). */
  end(): Promise<number>;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function startOutage(databaseUrl: string): Promise<Outage> {
  return /^postgres(ql)?:/.test(databaseUrl)
    ? postgresOutage(databaseUrl)
    : sqliteOutage(databaseUrl);
}

async function sqliteOutage(databaseUrl: string): Promise<Outage> {
  const db = new Database(sqliteFilePath(databaseUrl));
  // Waits for a running writer to finish; from then on nobody else writes.
  db.pragma('busy_timeout = 30000');
  db.exec('BEGIN EXCLUSIVE');
  const startedAt = Date.now();
  return {
    startedAt,
    async end() {
      db.exec('COMMIT');
      db.close();
      return Date.now() - startedAt;
    },
  };
}

async function postgresOutage(databaseUrl: string): Promise<Outage> {
  const serverUrl = process.env.TEST_POSTGRES_URL;
  if (!serverUrl) throw new Error('TEST_POSTGRES_URL is not set');
  // Not `new URL()`: socket URLs (postgresql://root@/db?host=/var/run/postgresql) are not WHATWG URLs.
  const name = decodeURIComponent(
    /^postgres(?:ql)?:\/\/[^/?#]*\/([^?#]*)/i.exec(databaseUrl)?.[1] ?? '',
  );
  if (!/^qf_test_[0-9a-f]+$/.test(name))
    throw new Error(`refusing to block database "${name}": not a test database`);
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  const terminate = () =>
    admin.query(
      'SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()',
      [name],
    );
  await admin.query(`ALTER DATABASE "${name}" ALLOW_CONNECTIONS false`);
  await terminate();
  const startedAt = Date.now();
  let stop = false;
  // A connection that was being opened while the switch flipped gets terminated too.
  const sweeper = (async () => {
    while (!stop) {
      await sleep(1_000);
      if (!stop) await terminate().catch(() => undefined);
    }
  })();
  return {
    startedAt,
    async end() {
      stop = true;
      await sweeper;
      try {
        await admin.query(`ALTER DATABASE "${name}" ALLOW_CONNECTIONS true`);
      } finally {
        await admin.end();
      }
      return Date.now() - startedAt;
    },
  };
}
