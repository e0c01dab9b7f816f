/**
 * Temporal's two PostgreSQL databases for the local cluster: the login role the services use,
 * and the schemas, applied by docker/temporal-schema.sh, the very script the compose stack's
 * `temporal-schema` service runs (one source for both). Idempotent: safe on every start.
 */
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import { Client } from 'pg';
import { runCommand } from '../dev-server/run-command';
import type { TemporalServerInstall } from './install';
import { repoFile, SHARED_WITH_COMPOSE } from './repo-files';

export interface ClusterDatabaseSettings {
  host: string;
  port: number;
  user: string;
  password: string;
  /** Persistence ("temporal" in compose). */
  database: string;
  /** Visibility ("temporal_visibility" in compose). */
  visibilityDatabase: string;
}

const IDENTIFIER = /^[a-z_][a-z0-9_]{0,62}$/;

/** Role and database names go into SQL and shell commands: plain identifiers only. */
export function assertIdentifier(what: string, value: string): void {
  if (!IDENTIFIER.test(value)) {
    throw new Error(
      `${what} "${value}" must be a lower-case PostgreSQL identifier (letters, digits, _)`,
    );
  }
}

/**
 * The services' password, generated once and kept (mode 0600) in the cluster's data folder, so
 * no well-known password is ever set on a local PostgreSQL.
 */
export async function localPassword(dataDir: string): Promise<string> {
  const file = path.join(dataDir, 'postgres-password');
  try {
    const saved = (await fs.readFile(file, 'utf8')).trim();
    if (saved) return saved;
  } catch {
    /* first start */
  }
  const password = randomBytes(18).toString('base64url');
  await fs.mkdir(dataDir, { recursive: true });
  await fs.writeFile(file, `${password}\n`, { mode: 0o600 });
  return password;
}

/**
 * Creates (or re-keys) the login role through an administrator connection. CREATEDB lets the
 * schema tool create Temporal's databases itself, as in compose.
 */
export async function ensureClusterRole(
  adminUrl: string,
  user: string,
  password: string,
): Promise<void> {
  assertIdentifier('TEMPORAL_CLUSTER_DB_USER', user);
  const client = new Client({ connectionString: adminUrl, connectionTimeoutMillis: 10_000 });
  await client.connect();
  try {
    const literal = client.escapeLiteral(password);
    const exists = await client.query('SELECT 1 FROM pg_roles WHERE rolname = $1', [user]);
    const verb = exists.rowCount ? 'ALTER' : 'CREATE';
    await client.query(`${verb} ROLE ${user} WITH LOGIN CREATEDB PASSWORD ${literal}`);
  } finally {
    await client.end();
  }
}

/** Drops the cluster's databases (tests: each run brings its own). */
export async function dropClusterDatabases(
  adminUrl: string,
  db: ClusterDatabaseSettings,
): Promise<void> {
  const client = new Client({ connectionString: adminUrl, connectionTimeoutMillis: 10_000 });
  await client.connect();
  try {
    for (const name of [db.database, db.visibilityDatabase]) {
      assertIdentifier('database', name);
      await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    }
  } finally {
    await client.end();
  }
}

/** Runs docker/temporal-schema.sh with the cached temporal-sql-tool and schema files. */
export async function applyTemporalSchema(
  install: TemporalServerInstall,
  db: ClusterDatabaseSettings,
  log: (m: string) => void,
): Promise<void> {
  assertIdentifier('database', db.database);
  assertIdentifier('database', db.visibilityDatabase);
  const started = Date.now();
  await runCommand('/bin/sh', [repoFile(SHARED_WITH_COMPOSE.schemaScript)], {
    env: {
      PATH: `${path.dirname(install.sqlTool)}${path.delimiter}${process.env.PATH ?? ''}`,
      POSTGRES_SEEDS: db.host,
      DB_PORT: String(db.port),
      POSTGRES_USER: db.user,
      SQL_PASSWORD: db.password,
      TEMPORAL_DB: db.database,
      TEMPORAL_VISIBILITY_DB: db.visibilityDatabase,
      SCHEMA_DIR: install.postgresSchemaDir,
    },
    timeoutMs: 5 * 60_000,
  });
  log(
    `schemas of ${db.database} and ${db.visibilityDatabase} up to date (${Date.now() - started} ms)`,
  );
}
