// Applies pending migrations to PostgreSQL. A session advisory lock (the key Prisma Migrate
// uses, so this also excludes a concurrent `prisma migrate deploy`) serialises concurrent
// callers; each migration runs in its own transaction together with its bookkeeping row, so a
// failure leaves the database at the previous migration and a rerun retries it.
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { postgresSchema } from '../database-url';
import {
  migrationError,
  pendingMigrations,
  type AppliedMigrationRow,
  type MigrationFile,
} from './migration-files';

const PRISMA_ADVISORY_LOCK_KEY = 72707369;
const LOCK_TIMEOUT = '120s';

// Prisma's own definition, so `prisma migrate status/deploy` keep working on the same database.
const CREATE_MIGRATIONS_TABLE = `CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
    "id"                    VARCHAR(36) PRIMARY KEY NOT NULL,
    "checksum"              VARCHAR(64) NOT NULL,
    "finished_at"           TIMESTAMPTZ,
    "migration_name"        VARCHAR(255) NOT NULL,
    "logs"                  TEXT,
    "rolled_back_at"        TIMESTAMPTZ,
    "started_at"            TIMESTAMPTZ NOT NULL DEFAULT now(),
    "applied_steps_count"   INTEGER NOT NULL DEFAULT 0
)`;

function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

/** Returns the names of the migrations it applied. */
export async function migratePostgres(
  url: string,
  files: MigrationFile[],
  log: (msg: string) => void,
): Promise<string[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const schema = postgresSchema(url);
    if (schema) {
      // Prisma's `?schema=` convention: everything, bookkeeping included, lives in that schema.
      await client.query(`CREATE SCHEMA IF NOT EXISTS ${quoteIdent(schema)}`);
      await client.query(`SET search_path TO ${quoteIdent(schema)}`);
    }
    await client.query(`SET lock_timeout = '${LOCK_TIMEOUT}'`);
    await client.query('SELECT pg_advisory_lock($1)', [PRISMA_ADVISORY_LOCK_KEY]);
    await client.query('RESET lock_timeout');
    try {
      await client.query(CREATE_MIGRATIONS_TABLE);
      const { rows } = await client.query<AppliedMigrationRow>(
        'SELECT migration_name, checksum, finished_at, rolled_back_at FROM "_prisma_migrations"',
      );
      const pending = pendingMigrations(files, rows, log);
      for (const file of pending) {
        log(`applying migration ${file.name}`);
        await client.query('BEGIN');
        try {
          const started = await client.query<{ now: Date }>('SELECT clock_timestamp() AS now');
          // No parameters: the simple-query protocol runs the whole multi-statement file.
          await client.query(file.sql);
          await client.query(
            'INSERT INTO "_prisma_migrations" (id, checksum, migration_name, started_at, finished_at, applied_steps_count) ' +
              'VALUES ($1, $2, $3, $4, clock_timestamp(), 1)',
            [randomUUID(), file.checksum, file.name, started.rows[0]?.now],
          );
          await client.query('COMMIT');
        } catch (err) {
          await client.query('ROLLBACK');
          throw migrationError(file.name, err);
        }
      }
      return pending.map((file) => file.name);
    } finally {
      await client.query('SELECT pg_advisory_unlock($1)', [PRISMA_ADVISORY_LOCK_KEY]);
    }
  } finally {
    await client.end();
  }
}
