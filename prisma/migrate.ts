// Applies the committed migrations (prisma/migrations/<provider>) to a database: a small
// equivalent of `prisma migrate deploy` rather than the CLI itself, which takes ~4 s on SQLite
// and ~13 s on PostgreSQL here (WASM engine start-up, then a lingering timer) and needs the
// adapter-pg workaround for prisma/orm#27403. It keeps Prisma's `_prisma_migrations` bookkeeping
// (same table, checksums, finished_at, and on PostgreSQL the same advisory lock), so the CLI's
// `migrate status` / `deploy` / `resolve` still work on the same database (prisma/cli/).
import { databaseProvider, redactDatabaseUrl, sqliteFilePath } from './database-url';
import { readMigrations } from './migrator/migration-files';
import { migratePostgres } from './migrator/postgresql';
import { migrateSqlite } from './migrator/sqlite';

/**
 * Brings the database at `databaseUrl` up to date. Idempotent, and safe to run from several
 * processes at once (they serialise; the later ones find nothing to do).
 */
export async function migrateDatabase(
  databaseUrl: string,
  log: (msg: string) => void = () => {},
): Promise<void> {
  const provider = databaseProvider(databaseUrl);
  const files = readMigrations(provider);
  const started = Date.now();
  let applied: string[];
  if (provider === 'postgresql') {
    applied = await migratePostgres(databaseUrl, files, log);
  } else {
    const filePath = sqliteFilePath(databaseUrl);
    if (filePath === ':memory:')
      throw new Error('An in-memory SQLite database cannot be migrated from another connection');
    applied = await migrateSqlite(filePath, files, log);
  }
  const where = `${provider} ${redactDatabaseUrl(databaseUrl)}`;
  log(
    applied.length === 0
      ? `database up to date (${files.length} migrations, ${where}, ${Date.now() - started} ms)`
      : `applied ${applied.length} migration(s) to ${where} in ${Date.now() - started} ms`,
  );
}
