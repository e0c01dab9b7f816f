import * as path from 'node:path';
import {
  databaseProvider,
  postgresSchema,
  redactDatabaseUrl,
  sqliteFilePath,
  withDatabaseName,
} from './database-url';

describe('database URLs', () => {
  it('tells the provider from the scheme', () => {
    expect(databaseProvider('file:./data/quillflow.db')).toBe('sqlite');
    expect(databaseProvider('sqlite:/tmp/x.db')).toBe('sqlite');
    expect(databaseProvider('postgres://u@h/db')).toBe('postgresql');
    expect(databaseProvider('postgresql://u:p@h:5432/db?schema=s')).toBe('postgresql');
    expect(() => databaseProvider('mysql://h/db')).toThrow(/Unsupported/);
    expect(() => databaseProvider('./data/x.db')).toThrow(/Unsupported/);
  });

  it('resolves SQLite paths against the cwd', () => {
    expect(sqliteFilePath('file:./data/q.db', '/srv/app')).toBe(path.resolve('/srv/app/data/q.db'));
    expect(sqliteFilePath('file:data/q.db?connection_limit=1', '/srv/app')).toBe(
      path.resolve('/srv/app/data/q.db'),
    );
    expect(sqliteFilePath('sqlite:../q.db', '/srv/app')).toBe(path.resolve('/srv/q.db'));
    expect(sqliteFilePath('file:/var/lib/q.db', '/srv/app')).toBe('/var/lib/q.db');
    expect(sqliteFilePath('file:///var/lib/my%20q.db', '/srv/app')).toBe('/var/lib/my q.db');
    expect(sqliteFilePath('file::memory:')).toBe(':memory:');
  });

  it('reads the schema parameter and swaps database names, socket URLs included', () => {
    expect(postgresSchema('postgresql://u@h/db?schema=tenant_1')).toBe('tenant_1');
    expect(postgresSchema('postgresql://root@/db?host=/var/run/postgresql')).toBeUndefined();
    expect(withDatabaseName('postgresql://u:p@h:5432/app?sslmode=disable', 'other')).toBe(
      'postgresql://u:p@h:5432/other?sslmode=disable',
    );
    expect(withDatabaseName('postgresql://root@/postgres?host=/var/run/postgresql', 'qf')).toBe(
      'postgresql://root@/qf?host=/var/run/postgresql',
    );
    expect(withDatabaseName('postgres://h', 'qf')).toBe('postgres://h/qf');
  });

  it('hides passwords', () => {
    expect(redactDatabaseUrl('postgresql://user:secret@h/db')).toBe('postgresql://user:***@h/db');
    expect(redactDatabaseUrl('file:./x.db')).toBe('file:./x.db');
  });
});
