import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';
import { migrationCli, writeDerivedSchemas } from '../scripts/prisma-generate';
import { withDatabaseName, type DatabaseProvider } from './database-url';
import { migrateDatabase } from './migrate';
import { readMigrations, pendingMigrations, type MigrationFile } from './migrator/migration-files';
import { migrateSqlite } from './migrator/sqlite';

const root = path.resolve(__dirname, '..');
const pgServer = process.env.TEST_POSTGRES_URL;
const TABLES = [
  'batches',
  'chat_conversations',
  'chat_messages',
  'context_files',
  'context_prompt_executions',
  'llm_call_attempts',
  'stories',
];

/** An empty database (no migrations) and a way to inspect and remove it. */
interface EmptyDatabase {
  url: string;
  query<T>(sql: string): Promise<T[]>;
  remove(): Promise<void>;
}

async function emptyDatabase(kind: DatabaseProvider): Promise<EmptyDatabase> {
  if (kind === 'sqlite') {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'quillflow-migrate-'));
    const file = path.join(dir, 'nested', 'db.sqlite');
    return {
      url: `file:${file}`,
      query: async <T>(sql: string) => {
        const db = new Database(file, { readonly: true });
        try {
          return db.prepare(sql).all() as T[];
        } finally {
          db.close();
        }
      },
      remove: async () => fs.rmSync(dir, { recursive: true, force: true }),
    };
  }
  const name = `qf_migrate_${randomBytes(6).toString('hex')}`;
  const admin = async (sql: string) => {
    const client = new pg.Client({ connectionString: pgServer });
    await client.connect();
    await client.query(sql).finally(() => client.end());
  };
  await admin(`CREATE DATABASE "${name}"`);
  const url = withDatabaseName(pgServer ?? '', name);
  return {
    url,
    query: async <T>(sql: string) => {
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      try {
        return (await client.query(sql)).rows as T[];
      } finally {
        await client.end();
      }
    },
    remove: () => admin(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`),
  };
}

const TABLES_SQL: Record<DatabaseProvider, string> = {
  sqlite:
    "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name",
  postgresql:
    "SELECT tablename AS name FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename",
};

interface Row {
  migration_name: string;
  checksum: string;
  finished_at: unknown;
  applied_steps_count: number | bigint;
}

/** Runs migrateDatabase in a separate Node process (TypeScript transpiled on the fly). */
function migrateInChildProcess(url: string): Promise<{ code: number | null; output: string }> {
  const script = `
    const ts = require('typescript');
    const fs = require('fs');
    require.extensions['.ts'] = (m, file) => m._compile(ts.transpileModule(fs.readFileSync(file, 'utf8'), {
      fileName: file,
      compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true },
    }).outputText, file);
    require(${JSON.stringify(path.join(__dirname, 'migrate.ts'))})
      .migrateDatabase(process.argv[1], (m) => console.log(m))
      .then(() => process.exit(0), (e) => { console.error(e); process.exit(1); });`;
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['-e', script, url], { cwd: root });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    child.on('close', (code) => resolve({ code, output }));
  });
}

function prismaMigrateStatus(
  kind: DatabaseProvider,
  url: string,
): { status: number | null; output: string } {
  const result = spawnSync(
    process.execPath,
    [migrationCli, 'migrate', 'status', '--config', `prisma/cli/${kind}.config.ts`],
    {
      cwd: root,
      encoding: 'utf8',
      env: { ...process.env, DATABASE_URL: url, CHECKPOINT_DISABLE: '1' },
    },
  );
  return { status: result.status, output: result.stdout + result.stderr };
}

// The migration CLI's configs read schemas derived from the source (scripts/prisma-generate.js).
beforeAll(() =>
  writeDerivedSchemas(fs.readFileSync(path.join(__dirname, 'schema.prisma'), 'utf8')),
);

describe.each<DatabaseProvider>(['sqlite', 'postgresql'])('migrateDatabase on %s', (kind) => {
  const run = kind === 'postgresql' && !pgServer ? describe.skip : describe;
  run(kind, () => {
    const migrations = readMigrations(kind);
    let db: EmptyDatabase;
    beforeEach(async () => {
      db = await emptyDatabase(kind);
    });
    afterEach(async () => {
      await db.remove();
    });

    it('creates every table on a fresh database, then does nothing the second time', async () => {
      const logs: string[] = [];
      await migrateDatabase(db.url, (m) => logs.push(m));
      expect(logs.filter((m) => m.startsWith('applying migration'))).toHaveLength(
        migrations.length,
      );

      const names = (await db.query<{ name: string }>(TABLES_SQL[kind])).map((r) => r.name);
      expect(names).toEqual(expect.arrayContaining([...TABLES, '_prisma_migrations']));

      logs.length = 0;
      await migrateDatabase(db.url, (m) => logs.push(m));
      expect(logs.some((m) => m.startsWith('applying'))).toBe(false);
      expect(logs.some((m) => m.startsWith('database up to date'))).toBe(true);

      const rows = await db.query<Row>(
        'SELECT * FROM "_prisma_migrations" ORDER BY migration_name',
      );
      expect(rows.map((r) => [r.migration_name, r.checksum])).toEqual(
        migrations.map((m) => [m.name, m.checksum]),
      );
      for (const row of rows) {
        expect(row.finished_at).not.toBeNull();
        expect(Number(row.applied_steps_count)).toBe(1);
      }
    });

    it('is safe when several processes migrate the same database at once', async () => {
      const results = await Promise.all([1, 2, 3].map(() => migrateInChildProcess(db.url)));
      for (const result of results) expect(result).toMatchObject({ code: 0 });
      const applied = results.flatMap((r) =>
        r.output.split('\n').filter((l) => l.startsWith('applying migration')),
      );
      expect(applied).toHaveLength(migrations.length);
      const rows = await db.query<Row>('SELECT * FROM "_prisma_migrations"');
      expect(rows).toHaveLength(migrations.length);
    }, 60_000);

    it('keeps the bookkeeping `prisma migrate status` understands', async () => {
      await migrateDatabase(db.url);
      const { status, output } = prismaMigrateStatus(kind, db.url);
      expect(output).toContain('Database schema is up to date');
      expect(status).toBe(0);
    }, 60_000);
  });
});

describe('migration runner rules', () => {
  const file = (name: string, sql: string): MigrationFile => ({
    name,
    sql,
    checksum: `sum-${name}`,
  });

  it('rolls back everything on SQLite when a migration fails, and retries it next time', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'quillflow-migrate-'));
    const dbFile = path.join(dir, 'db.sqlite');
    try {
      const good = file('1_good', 'CREATE TABLE a (id INTEGER PRIMARY KEY);');
      const bad = file(
        '2_bad',
        'CREATE TABLE b (id INTEGER PRIMARY KEY); INSERT INTO missing VALUES (1);',
      );
      await expect(migrateSqlite(dbFile, [good, bad], () => {})).rejects.toThrow(
        /Migration 2_bad failed/,
      );
      const check = new Database(dbFile);
      const tables = check.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all();
      check.close();
      expect(tables).toEqual([]);
      expect(
        await migrateSqlite(
          dbFile,
          [good, file('2_bad', 'CREATE TABLE b (id INTEGER);')],
          () => {},
        ),
      ).toEqual(['1_good', '2_bad']);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('follows Prisma: finished rows count, rolled-back rows do not, failed rows block', () => {
    const files = [file('1_a', ''), file('2_b', ''), file('3_c', '')];
    const warnings: string[] = [];
    const pending = pendingMigrations(
      files,
      [
        { migration_name: '1_a', checksum: 'edited', finished_at: 'x', rolled_back_at: null },
        { migration_name: '2_b', checksum: 'sum-2_b', finished_at: null, rolled_back_at: 'y' },
      ],
      (m) => warnings.push(m),
    );
    expect(pending.map((f) => f.name)).toEqual(['2_b', '3_c']);
    expect(warnings).toEqual([expect.stringContaining('1_a was edited')]);

    expect(() =>
      pendingMigrations(
        files,
        [{ migration_name: '1_a', checksum: 'sum-1_a', finished_at: null, rolled_back_at: null }],
        () => {},
      ),
    ).toThrow(/1_a failed earlier/);
  });
});
