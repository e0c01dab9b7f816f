// Driver adapter factories for the Prisma 6 migration CLI configs (adapters 6.x, npm aliases
// prisma-migrate-adapter-*), with shadow databases that work offline
// (`migrate diff --from-migrations`, used by scripts/prisma-new-migration.js). The adapters'
// own shadow support does not:
// - better-sqlite3: the schema engine applies each migration file through executeRaw, which
//   prepares a single statement, so multi-statement migrations fail (P3006);
// - adapter-pg: the shadow pool is built from `{ ...config, database }`, but pg lets the
//   connection string override `database`, so the "shadow" would be the real database.
import { randomUUID } from 'node:crypto';
import { PrismaBetterSQLite3 } from 'prisma-migrate-adapter-better-sqlite3';
import { PrismaPg } from 'prisma-migrate-adapter-pg';
import pg from 'pg';
import type { PrismaConfig } from 'prisma-migrate-cli/config';
import { postgresSchema, withDatabaseName } from '../database-url';
import { createNameTypeSafePool } from './pg-name-type-workaround';

export type MigrationAdapterFactory = Awaited<
  ReturnType<Extract<PrismaConfig, { engine: 'js' }>['adapter']>
>;
type SqlDriverAdapter = Awaited<ReturnType<MigrationAdapterFactory['connectToShadowDb']>>;

/** `adapter` with some methods replaced; everything else still runs on the original object. */
function override(adapter: SqlDriverAdapter, methods: Partial<SqlDriverAdapter>): SqlDriverAdapter {
  return new Proxy(adapter, {
    get(target, prop, receiver) {
      if (Object.hasOwn(methods, prop)) return Reflect.get(methods, prop) as unknown;
      const value = Reflect.get(target, prop, receiver) as unknown;
      // Bound, so methods that use #private fields run against the real adapter.
      return typeof value === 'function' ? (value as () => unknown).bind(target) : value;
    },
  });
}

/** SQLite file `filePath`, with an in-memory shadow database that accepts whole scripts. */
export function sqliteAdapterFactory(filePath: string): MigrationAdapterFactory {
  const main = new PrismaBetterSQLite3({ url: filePath });
  const shadow = new PrismaBetterSQLite3({ url: ':memory:' });
  return {
    provider: main.provider,
    adapterName: main.adapterName,
    connect: () => main.connect(),
    connectToShadowDb: async () => {
      const adapter = await shadow.connect();
      return override(adapter, {
        executeRaw: async (query) => {
          if (query.args.length === 0 && /;\s*\S/.test(query.sql)) {
            await adapter.executeScript(query.sql);
            return 0;
          }
          return adapter.executeRaw(query);
        },
      });
    },
  };
}

function pgAdapter(url: string): PrismaPg {
  // A short idle timeout lets the CLI exit promptly instead of lingering on open sockets.
  const pool = createNameTypeSafePool({ connectionString: url, idleTimeoutMillis: 500 });
  return new PrismaPg(pool, { schema: postgresSchema(url), disposeExternalPool: true });
}

/** PostgreSQL `url`; the shadow is a throw-away database on the same server. */
export function postgresAdapterFactory(url: string): MigrationAdapterFactory {
  const main = pgAdapter(url);
  return {
    provider: main.provider,
    adapterName: main.adapterName,
    connect: () => main.connect(),
    connectToShadowDb: async () => {
      const name = `prisma_shadow_${randomUUID().replace(/-/g, '')}`;
      const admin = new pg.Client({ connectionString: url });
      await admin.connect();
      try {
        await admin.query(`CREATE DATABASE "${name}"`);
      } finally {
        await admin.end();
      }
      const adapter = await pgAdapter(withDatabaseName(url, name)).connect();
      return override(adapter, {
        dispose: async () => {
          await adapter.dispose();
          const dropper = new pg.Client({ connectionString: url });
          await dropper.connect();
          try {
            await dropper.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
          } finally {
            await dropper.end();
          }
        },
      });
    },
  };
}
