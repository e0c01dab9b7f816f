// Fresh, migrated databases for tests: every call gets its own SQLite file or PostgreSQL
// database, so suites and Jest workers never see each other's rows.
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';
import { createPrismaClient, type PrismaClient } from '../../prisma/client';
import {
  redactDatabaseUrl,
  sqliteFilePath,
  withDatabaseName,
  type DatabaseProvider,
} from '../../prisma/database-url';
import { migrateDatabase } from '../../prisma/migrate';

export interface TestDatabase {
  url: string;
  prisma: PrismaClient;
  /** Disconnects the client and deletes the database. Safe to call twice. */
  drop(): Promise<void>;
}

/**
 * A migrated database of the given kind. PostgreSQL needs TEST_POSTGRES_URL: any database on the
 * server (e.g. postgresql://root@/postgres?host=/var/run/postgresql), whose user may create
 * databases; the test database is created next to it and dropped by drop().
 */
export async function createTestDatabase(kind: DatabaseProvider): Promise<TestDatabase> {
  return kind === 'postgresql' ? createPostgresTestDatabase() : createSqliteTestDatabase();
}

async function createSqliteTestDatabase(): Promise<TestDatabase> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'quillflow-test-'));
  const url = `file:${path.join(dir, 'test.db')}`;
  await migrateDatabase(url);
  const prisma = createPrismaClient(url);
  return {
    url,
    prisma,
    drop: async () => {
      await prisma.$disconnect();
      // The directory also holds the -wal and -shm files.
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

async function withAdminClient<T>(
  serverUrl: string,
  action: (client: pg.Client) => Promise<T>,
): Promise<T> {
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  try {
    return await action(client);
  } finally {
    await client.end();
  }
}

async function createPostgresTestDatabase(): Promise<TestDatabase> {
  const serverUrl = process.env.TEST_POSTGRES_URL;
  if (!serverUrl) {
    throw new Error(
      'TEST_POSTGRES_URL is not set (e.g. postgresql://root@/postgres?host=/var/run/postgresql)',
    );
  }
  const name = `qf_test_${randomBytes(6).toString('hex')}`;
  await withAdminClient(serverUrl, (client) => client.query(`CREATE DATABASE "${name}"`));
  const url = withDatabaseName(serverUrl, name);
  const dropDatabase = () =>
    withAdminClient(serverUrl, (client) =>
      client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`),
    );
  let prisma: PrismaClient;
  try {
    await migrateDatabase(url);
    prisma = createPrismaClient(url);
  } catch (err) {
    await dropDatabase();
    throw new Error(`Could not prepare test database ${redactDatabaseUrl(url)}`, { cause: err });
  }
  return {
    url,
    prisma,
    drop: async () => {
      await prisma.$disconnect();
      await dropDatabase();
    },
  };
}

/**
 * Runs `fn` while another connection (as another process would) holds the SQLite database's
 * write lock: every write of the platform's clients waits busy_timeout and fails as unavailable.
 */
export async function whileSqliteLocked<T>(databaseUrl: string, fn: () => Promise<T>): Promise<T> {
  const other = new Database(sqliteFilePath(databaseUrl));
  other.exec('BEGIN EXCLUSIVE');
  try {
    return await fn();
  } finally {
    other.exec('ROLLBACK');
    other.close();
  }
}
