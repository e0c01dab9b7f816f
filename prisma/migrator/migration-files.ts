// The committed migrations of one provider, read the way `prisma migrate deploy` reads them, so
// that rows written by prisma/migrate.ts and by the Prisma CLI are interchangeable.
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { DatabaseProvider } from '../database-url';

export interface MigrationFile {
  /** Directory name, e.g. 20261125201852_init: the `migration_name` column. */
  name: string;
  sql: string;
  /** sha256 (hex) of the file's bytes: the `checksum` column. */
  checksum: string;
}

/**
 * prisma/migrations/<provider>. The compiled code runs from dist/prisma/ and tsc does not copy
 * SQL files, so the source tree is looked up too.
 */
export function migrationsDirectory(provider: DatabaseProvider): string {
  const candidates = [
    path.resolve(__dirname, '..', 'migrations', provider),
    path.resolve(__dirname, '..', '..', '..', 'prisma', 'migrations', provider),
  ];
  const found = candidates.find((dir) => fs.existsSync(dir));
  if (!found)
    throw new Error(`No migrations folder for ${provider}; looked in ${candidates.join(', ')}`);
  return found;
}

/** Migrations in apply order (directory names start with a UTC timestamp). */
export function readMigrations(provider: DatabaseProvider): MigrationFile[] {
  const dir = migrationsDirectory(provider);
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .filter(
      (entry) => entry.isDirectory() && fs.existsSync(path.join(dir, entry.name, 'migration.sql')),
    )
    .map((entry) => entry.name)
    .sort()
    .map((name) => {
      const bytes = fs.readFileSync(path.join(dir, name, 'migration.sql'));
      return {
        name,
        sql: bytes.toString('utf8'),
        checksum: createHash('sha256').update(bytes).digest('hex'),
      };
    });
}

/** A row of `_prisma_migrations`, as far as deciding what to apply goes. */
export interface AppliedMigrationRow {
  migration_name: string;
  checksum: string;
  finished_at: unknown;
  rolled_back_at: unknown;
}

/**
 * The migrations still to apply, with Prisma's rules: a finished row counts as applied, a
 * rolled-back row does not, and an unfinished one (a failed `prisma migrate deploy`) blocks
 * everything until someone runs `prisma migrate resolve` (Prisma's error P3009).
 */
export function pendingMigrations(
  files: MigrationFile[],
  rows: AppliedMigrationRow[],
  log: (msg: string) => void,
): MigrationFile[] {
  const live = rows.filter((row) => row.rolled_back_at === null);
  const failed = live.find((row) => row.finished_at === null);
  if (failed) {
    throw new Error(
      `Migration ${failed.migration_name} failed earlier and was never resolved; ` +
        'fix the database, then run `prisma migrate resolve` (see prisma/cli/*.config.ts)',
    );
  }
  const applied = new Map(live.map((row) => [row.migration_name, row.checksum]));
  for (const [name, checksum] of applied) {
    const file = files.find((f) => f.name === name);
    if (!file) log(`warning: migration ${name} is applied but missing from the migrations folder`);
    else if (file.checksum !== checksum)
      log(`warning: migration ${name} was edited after it was applied`);
  }
  return files.filter((file) => !applied.has(file.name));
}

/** The error to throw when a migration's SQL fails: names the migration, keeps the cause. */
export function migrationError(name: string, err: unknown): Error {
  const reason = err instanceof Error ? err.message : String(err);
  return new Error(`Migration ${name} failed: ${reason}`, { cause: err });
}

/** Timestamps in the text form Prisma's SQLite driver adapter writes. */
export function sqliteTimestamp(date: Date = new Date()): string {
  return date.toISOString().replace('Z', '+00:00');
}
