// The one way to get a database client: the provider follows the URL, so the same code runs on
// the embedded SQLite default and on PostgreSQL. Both generated clients come from one schema and
// share an API; the PostgreSQL one supplies the canonical types.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { PrismaBetterSqlite3 } from '@prisma/adapter-better-sqlite3';
import Database from 'better-sqlite3';
import { PrismaClient as PostgresPrismaClient } from './generated/postgresql/client';
import { PrismaClient as SqlitePrismaClient } from './generated/sqlite/client';
import { databaseProvider, postgresSchema, sqliteFilePath } from './database-url';
import { postgresAdapter } from './postgres-adapter';
import { enableWal, WAL_PRAGMA } from './sqlite-wal';
import { countingAdapter, type StatementListener } from './statement-counter';
import {
  POSTGRES_UNAVAILABLE_PAUSE_MS,
  setUnavailablePause,
  SQLITE_UNAVAILABLE_PAUSE_MS,
} from './unavailable-pause';

export type PrismaClient = PostgresPrismaClient;
export { Prisma } from './generated/postgresql/client';
export type {
  Batch,
  ChatConversation,
  ChatMessage,
  ContextFile,
  ContextPromptExecution,
  LlmCallAttempt,
  Story,
} from './generated/postgresql/client';
export { databaseProvider, DEFAULT_DATABASE_URL, redactDatabaseUrl } from './database-url';
export type { DatabaseProvider } from './database-url';

// Per connection: foreign_keys makes ON DELETE CASCADE work (off in stock SQLite; on in
// better-sqlite3's build, but that is a build flag, not a promise); busy_timeout makes writers from other processes (API, worker, migrations)
// wait instead of failing with SQLITE_BUSY; WAL (persistent, set by the migrations already)
// lets readers run while another process writes.
const SQLITE_PRAGMAS = 'PRAGMA busy_timeout = 5000; PRAGMA foreign_keys = ON;';

/**
 * Query plans kept per client, keyed by query shape (values are parameters), so a repeated
 * findUnique/create skips the Wasm query compiler (19% of the API's CPU under load on Prisma 6).
 * 1000 is Prisma 7's default, spelled out so the cache cannot be switched off (0) unnoticed;
 * the app has a few dozen shapes.
 */
export const QUERY_PLAN_CACHE_MAX_SIZE = 1000;

type SqliteAdapterFactory = Pick<PrismaBetterSqlite3, 'provider' | 'adapterName' | 'connect'>;

/** better-sqlite3 adapter whose every new connection gets the pragmas above. */
function sqliteAdapter(filePath: string): SqliteAdapterFactory {
  const inner = new PrismaBetterSqlite3({ url: filePath, timeout: 5000 });
  return {
    provider: inner.provider,
    adapterName: inner.adapterName,
    connect: async () => {
      const adapter = await inner.connect();
      beginImmediate(adapter);
      await adapter.executeScript(SQLITE_PRAGMAS);
      await enableWal(() => adapter.executeScript(WAL_PRAGMA));
      return adapter;
    },
  };
}

/**
 * The adapter opens transactions with a deferred BEGIN. In WAL mode a deferred transaction that
 * reads and then writes (every upsert, most $transaction bodies) fails at once with
 * SQLITE_BUSY_SNAPSHOT when another process committed after its read: busy_timeout cannot help,
 * its snapshot is stale. The API and the worker write the same file, so their upserts of one batch
 * row collided under load. BEGIN IMMEDIATE takes the write lock first, so a transaction waits for
 * the other writer (busy_timeout) instead of failing.
 *
 * If the lock stays taken past busy_timeout, BEGIN IMMEDIATE itself fails, and the adapter does
 * not release its transaction mutex when BEGIN throws: every later transaction of the client
 * would wait forever. So a busy BEGIN IMMEDIATE falls back to the deferred BEGIN, which cannot
 * fail; the transaction's first write then fails the ordinary way and is rolled back.
 *
 * The adapter exposes no option for this; its driver handle is the one place to change it, and
 * an upgrade that moves it fails loudly here.
 */
function beginImmediate(adapter: object): void {
  const client = (adapter as { client?: { prepare?: unknown } }).client;
  if (!client || typeof client.prepare !== 'function') {
    throw new Error(
      'prisma/client.ts: @prisma/adapter-better-sqlite3 no longer exposes `client.prepare`; SQLite transactions cannot be made BEGIN IMMEDIATE',
    );
  }
  const prepare = (client.prepare as (sql: string) => { run(): unknown }).bind(client);
  client.prepare = (sql: string) => {
    if (sql !== 'BEGIN') return prepare(sql);
    return {
      run: () => {
        try {
          return prepare('BEGIN IMMEDIATE').run();
        } catch (err) {
          if (!/^SQLITE_BUSY/.test(String((err as { code?: unknown }).code))) throw err;
          return prepare('BEGIN').run();
        }
      },
    };
  };
}

/**
 * Whether a writer could start now, asked without waiting (busy_timeout 0): takes the write lock
 * and gives it back at once. Only asked while the database is paused as unavailable.
 */
function sqliteWriteLockFree(filePath: string): boolean {
  let db: Database.Database | undefined;
  try {
    db = new Database(filePath, { timeout: 0, fileMustExist: true });
    db.exec('BEGIN IMMEDIATE');
    db.exec('ROLLBACK');
    return true;
  } catch {
    return false;
  } finally {
    db?.close();
  }
}

/** The client of a process (API, worker, MCP): DATABASE_URL and DATABASE_POOL_SIZE. */
export function createPrismaClientFromEnv(env: {
  DATABASE_URL: string;
  DATABASE_POOL_SIZE: number;
}): PrismaClient {
  return createPrismaClient(env.DATABASE_URL, { poolSize: env.DATABASE_POOL_SIZE });
}

/** Creates a client for `databaseUrl` (file:/sqlite: → SQLite, postgres(ql):// → PostgreSQL). */
export function createPrismaClient(
  databaseUrl: string,
  options: {
    /** PostgreSQL: pooled connections (default 10). */
    poolSize?: number;
    /** Told of every SQL statement sent (benchmarks count them: prisma/statement-counter.ts). */
    onStatement?: StatementListener;
  } = {},
): PrismaClient {
  const watched = <F extends Parameters<typeof countingAdapter>[0]>(f: F): F =>
    options.onStatement ? countingAdapter(f, options.onStatement) : f;
  if (databaseProvider(databaseUrl) === 'postgresql') {
    // `?schema=` is Prisma's URL convention; with a driver adapter it must be passed explicitly.
    const adapter = watched(
      postgresAdapter(databaseUrl, postgresSchema(databaseUrl), options.poolSize),
    );
    const client = new PostgresPrismaClient({
      adapter,
      queryPlanCacheMaxSize: QUERY_PLAN_CACHE_MAX_SIZE,
    });
    setUnavailablePause(client, { ms: POSTGRES_UNAVAILABLE_PAUSE_MS });
    return client;
  }
  const filePath = sqliteFilePath(databaseUrl);
  if (filePath !== ':memory:') fs.mkdirSync(path.dirname(filePath), { recursive: true });
  // Same models, same API, same runtime (Decimal, errors); only the SQL dialect differs.
  const client = new SqlitePrismaClient({
    adapter: watched(sqliteAdapter(filePath)),
    queryPlanCacheMaxSize: QUERY_PLAN_CACHE_MAX_SIZE,
  }) as unknown as PrismaClient;
  if (filePath !== ':memory:') {
    setUnavailablePause(client, {
      ms: SQLITE_UNAVAILABLE_PAUSE_MS,
      isBack: () => sqliteWriteLockFree(filePath),
    });
  }
  return client;
}
