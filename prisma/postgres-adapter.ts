/**
 * The PostgreSQL driver adapter, made to survive lost connections (a restart, a failover, an
 * operator's pg_terminate_backend). Stock @prisma/adapter-pg 6.19 over pg-pool 3.14 fails two
 * ways when a connection dies, both seen in the database-outage crash test:
 *
 *  1. The pool leaks the connection of a transaction whose COMMIT or ROLLBACK fails. Prisma's
 *     transaction manager awaits the COMMIT/ROLLBACK statement and only then calls the
 *     adapter's commit()/rollback(), which is what hands the connection back; when the statement
 *     throws (the connection is dead), nothing hands it back. A pool's worth of such
 *     transactions and every later query waits for a connection forever: the worker hung.
 *  2. pg-pool takes its error listener off a connection while it is checked out. A connection
 *     killed between two statements of a transaction, or while being released, emits 'error'
 *     with no listener, and Node ends the process: the worker crashed.
 *
 * So: every connection keeps an error listener of its own for life; a transaction hands its
 * connection back however it ends, and never while still inside the transaction (a connection
 * whose ROLLBACK was never sent is rolled back first); and waiting for a pooled connection has a
 * limit, so any leak left would surface as an error the caller can retry, not as a hang.
 */
import { PrismaPg } from '@prisma/adapter-pg';
import pg from 'pg';

type PgAdapter = Awaited<ReturnType<PrismaPg['connect']>>;
type PgTransaction = Awaited<ReturnType<PgAdapter['startTransaction']>>;
type RawQuery = Parameters<PgTransaction['executeRaw']>[0];

/** How long a query waits for a pooled connection before failing as unavailable. */
export const POOL_WAIT_MS = 10_000;

const ROLLBACK: RawQuery = { sql: 'ROLLBACK', args: [], argTypes: [] };
const ENDS_TRANSACTION = /^\s*(COMMIT|ROLLBACK)\b/i;

// The failure reaches the caller through the query that was using the connection; the
// connection itself is already marked unusable, and the pool drops it on release.
const ignoreConnectionError = () => undefined;

const asError = (err: unknown): Error => (err instanceof Error ? err : new Error(String(err)));

export const DEFAULT_POOL_SIZE = 10; // pg's own default

function createPostgresPool(connectionString: string, max: number): pg.Pool {
  const pool = new pg.Pool({ connectionString, max, connectionTimeoutMillis: POOL_WAIT_MS });
  pool.on('connect', (client) => client.on('error', ignoreConnectionError));
  pool.on('error', ignoreConnectionError);
  return pool;
}

/**
 * The pg connection a transaction holds. The adapter keeps it private, but only the connection
 * can be handed back as broken (release(err)): a COMMIT that failed because the server went away
 * may leave it still looking usable, and the pool would give it to the next caller. An upgrade
 * that moves it fails loudly here, not by leaking.
 */
function pooledConnection(tx: PgTransaction): { release(err?: Error | boolean): void } {
  const client = (tx as unknown as { client?: { release?: unknown } }).client;
  if (!client || typeof client.release !== 'function') {
    throw new Error(
      "prisma/postgres-adapter.ts: @prisma/adapter-pg no longer exposes a transaction's pooled `client`; dead connections could not be handed back",
    );
  }
  return client as { release(err?: Error | boolean): void };
}

/** Wraps `tx` so its connection goes back to the pool exactly once, outside any transaction. */
export function releasingTransaction(tx: PgTransaction): PgTransaction {
  const connection = pooledConnection(tx);
  const executeRaw = tx.executeRaw.bind(tx);
  const commit = tx.commit.bind(tx);
  const rollback = tx.rollback.bind(tx);
  let ended = false; // COMMIT or ROLLBACK went through
  let released = false;
  /** Back to the pool; with `broken`, to be closed and dropped instead of reused. */
  const release = async (how: () => Promise<void>, broken?: Error) => {
    if (released) return;
    if (!ended && !broken) {
      // Not sent by Prisma (e.g. a transaction dropped after maxWait): roll back before reuse.
      try {
        await executeRaw(ROLLBACK);
      } catch (err) {
        broken = asError(err);
      }
    }
    released = true;
    if (broken) connection.release(broken);
    else await how();
  };
  return Object.assign(tx, {
    async executeRaw(query: RawQuery): Promise<number> {
      const ends = ENDS_TRANSACTION.test(query.sql);
      try {
        const result = await executeRaw(query);
        if (ends) ended = true;
        return result;
      } catch (err) {
        // Prisma will not call commit()/rollback() after this throws: release here.
        if (ends) await release(rollback, asError(err));
        throw err;
      }
    },
    commit: () => release(commit),
    rollback: () => release(rollback),
  });
}

/** PrismaPg over the pool above, with every transaction wrapped by releasingTransaction. */
export function postgresAdapter(
  connectionString: string,
  schema: string | undefined,
  poolSize = DEFAULT_POOL_SIZE,
): Pick<PrismaPg, 'provider' | 'adapterName' | 'connect' | 'connectToShadowDb'> {
  const inner = new PrismaPg(createPostgresPool(connectionString, poolSize), {
    schema,
    disposeExternalPool: true,
  });
  return {
    provider: inner.provider,
    adapterName: inner.adapterName,
    connect: async (): Promise<PgAdapter> => {
      const adapter = await inner.connect();
      const startTransaction = adapter.startTransaction.bind(adapter);
      adapter.startTransaction = async (isolationLevel) =>
        releasingTransaction(await startTransaction(isolationLevel));
      return adapter;
    },
    connectToShadowDb: () => inner.connectToShadowDb(),
  };
}
