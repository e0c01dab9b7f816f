// Parsing of DATABASE_URL-style strings, shared by the client, the migration runner and the
// Prisma CLI configs. It must not import the generated client: the CLI configs load this file
// while `prisma generate` is still producing that client.
import * as path from 'node:path';

export type DatabaseProvider = 'sqlite' | 'postgresql';

/** Embedded default: a SQLite file under ./data, relative to the process cwd. */
export const DEFAULT_DATABASE_URL = 'file:./data/quillflow.db';

/** Which database a URL points at; throws on anything else so a typo fails at start-up. */
export function databaseProvider(url: string): DatabaseProvider {
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(url.trim())?.[1]?.toLowerCase();
  if (scheme === 'file' || scheme === 'sqlite') return 'sqlite';
  if (scheme === 'postgres' || scheme === 'postgresql') return 'postgresql';
  throw new Error(
    `Unsupported database URL scheme "${scheme ?? ''}:" (expected file:, sqlite:, postgres: or postgresql:)`,
  );
}

/**
 * The SQLite file a `file:` / `sqlite:` URL names, made absolute against `cwd`. Relative paths are
 * resolved against the cwd (not against the schema file, as Prisma's own CLI does) because the
 * app, the migration CLI and the tests all run from the project root.
 * Returns ':memory:' for in-memory databases.
 */
export function sqliteFilePath(url: string, cwd: string = process.cwd()): string {
  if (databaseProvider(url) !== 'sqlite') throw new Error(`Not a SQLite URL: ${url}`);
  let rest = url.trim().replace(/^[a-z]+:/i, '');
  // Prisma-style options (?connection_limit=1, ?socket_timeout=...) mean nothing to better-sqlite3.
  rest = rest.replace(/[?#].*$/, '');
  // file:///abs/path and sqlite:///abs/path are URL forms of an absolute path.
  if (rest.startsWith('//')) rest = rest.slice(2);
  rest = decodeURIComponent(rest);
  if (rest === '' || rest === ':memory:') return ':memory:';
  return path.resolve(cwd, rest);
}

/** The `?schema=` parameter of a PostgreSQL URL (Prisma's convention), if any. */
export function postgresSchema(url: string): string | undefined {
  // Not `new URL()`: socket URLs such as postgresql://root@/db?host=/var/run/postgresql are
  // valid for pg but rejected by the WHATWG parser.
  const query = /\?([^#]*)/.exec(url)?.[1] ?? '';
  const schema = new URLSearchParams(query).get('schema');
  return schema === null || schema === '' ? undefined : schema;
}

/**
 * A URL without password, for logs and error messages.
 */
export function redactDatabaseUrl(url: string): string {
  return url.replace(/\/\/([^:/@]+):[^@/]*@/, '//$1:***@');
}

/** The same PostgreSQL server and options with another database name (host or socket URLs). */
export function withDatabaseName(url: string, database: string): string {
  const match = /^(postgres(?:ql)?:\/\/[^/?#]*)(?:\/[^?#]*)?(.*)$/i.exec(url);
  if (!match) throw new Error(`Not a PostgreSQL URL: ${redactDatabaseUrl(url)}`);
  return `${match[1]}/${encodeURIComponent(database)}${match[2]}`;
}
