// Applies pending migrations to a SQLite file. One IMMEDIATE transaction covers reading the
// bookkeeping table and applying everything, so concurrent callers (API and worker starting
// together) serialise on SQLite's write lock: the second one waits, then finds nothing to do.
import { randomUUID } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import Database from 'better-sqlite3';
import { enableWal } from '../sqlite-wal';
import {
  migrationError,
  pendingMigrations,
  sqliteTimestamp,
  type AppliedMigrationRow,
  type MigrationFile,
} from './migration-files';

// Prisma's own definition, so `prisma migrate status/deploy` keep working on the same file.
const CREATE_MIGRATIONS_TABLE = `CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
    "id"                    TEXT PRIMARY KEY NOT NULL,
    "checksum"              TEXT NOT NULL,
    "finished_at"           DATETIME,
    "migration_name"        TEXT NOT NULL,
    "logs"                  TEXT,
    "rolled_back_at"        DATETIME,
    "started_at"            DATETIME NOT NULL DEFAULT current_timestamp,
    "applied_steps_count"   INTEGER UNSIGNED NOT NULL DEFAULT 0
)`;

/** Returns the names of the migrations it applied. */
export async function migrateSqlite(
  filePath: string,
  files: MigrationFile[],
  log: (msg: string) => void,
): Promise<string[]> {
  if (filePath !== ':memory:') fs.mkdirSync(path.dirname(filePath), { recursive: true });
  // A long busy timeout: another process may be running the same migrations right now.
  const db = new Database(filePath, { timeout: 60_000 });
  try {
    await enableWal(() => db.pragma('journal_mode = WAL'), 60_000);
    // Table-redefining migrations drop and recreate tables; with foreign keys on, that would
    // cascade-delete child rows. The pragma is a no-op inside a transaction, so it is set here
    // and integrity is checked before commit instead.
    db.pragma('foreign_keys = OFF');
    db.exec('BEGIN IMMEDIATE');
    try {
      db.exec(CREATE_MIGRATIONS_TABLE);
      const rows = db
        .prepare(
          'SELECT migration_name, checksum, finished_at, rolled_back_at FROM "_prisma_migrations"',
        )
        .all() as AppliedMigrationRow[];
      const pending = pendingMigrations(files, rows, log);
      const insert = db.prepare(
        'INSERT INTO "_prisma_migrations" (id, checksum, migration_name, started_at, finished_at, applied_steps_count) ' +
          'VALUES (?, ?, ?, ?, ?, 1)',
      );
      for (const file of pending) {
        log(`applying migration ${file.name}`);
        const startedAt = sqliteTimestamp();
        try {
          db.exec(file.sql);
        } catch (err) {
          throw migrationError(file.name, err);
        }
        insert.run(randomUUID(), file.checksum, file.name, startedAt, sqliteTimestamp());
      }
      const violations = db.pragma('foreign_key_check') as unknown[];
      if (violations.length > 0) {
        throw new Error(
          `Migrations left ${violations.length} foreign key violation(s): ${JSON.stringify(violations.slice(0, 5))}`,
        );
      }
      db.exec('COMMIT');
      return pending.map((file) => file.name);
    } catch (err) {
      if (db.inTransaction) db.exec('ROLLBACK');
      throw err;
    }
  } finally {
    db.close();
  }
}
