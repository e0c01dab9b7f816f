// Guards against the two ways the database layer drifts: a schema edit without a migration, and
// a derived SQLite schema that no longer mirrors the source.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { deriveSqliteSchema } from '../scripts/prisma-generate';

const root = path.resolve(__dirname, '..');
// Prisma 7 diffs migrations with its native schema engine only (its JS engine is gone), and
// that engine cannot be downloaded here: these checks run where PRISMA_SCHEMA_ENGINE_BINARY
// names one.
const withSchemaEngine = process.env.PRISMA_SCHEMA_ENGINE_BINARY ? it : it.skip;
const source = fs.readFileSync(path.join(__dirname, 'schema.prisma'), 'utf8');

function diffAgainstMigrations(
  kind: 'sqlite' | 'postgresql',
  schemaFile: string,
  databaseUrl: string,
) {
  const result = spawnSync(
    process.execPath,
    [
      require.resolve('prisma/build/index.js'),
      'migrate',
      'diff',
      '--from-migrations',
      `prisma/migrations/${kind}`,
      '--to-schema',
      schemaFile,
      '--script',
      '--exit-code',
      '--config',
      `prisma/cli/${kind}.config.ts`,
    ],
    {
      cwd: root,
      encoding: 'utf8',
      env: { ...process.env, DATABASE_URL: databaseUrl, CHECKPOINT_DISABLE: '1' },
    },
  );
  return { status: result.status, output: result.stdout + result.stderr };
}

describe('schema and migrations stay in sync', () => {
  const derived = deriveSqliteSchema(source);

  it('derives a SQLite schema with the same models and no native types', () => {
    expect(derived).toMatch(/^\/\/ generated, do not edit/);
    expect(derived).toContain('provider = "sqlite"');
    expect(derived).toContain('output       = "../generated/sqlite"');
    expect(derived).not.toMatch(/@db\.[A-Za-z]/);
    const models = (text: string) => [...text.matchAll(/^model (\w+)/gm)].map((m) => m[1]);
    expect(models(derived)).toEqual(models(source));
    expect(models(derived).length).toBeGreaterThanOrEqual(7);
  });

  withSchemaEngine(
    'has committed SQLite migrations that produce the current schema',
    () => {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'quillflow-schema-'));
      try {
        const file = path.join(dir, 'schema.prisma');
        fs.writeFileSync(file, derived);
        const { status, output } = diffAgainstMigrations('sqlite', file, 'file::memory:');
        // Exit code 2 means the diff is not empty: run scripts/prisma-new-migration.js.
        expect({ status, output }).toMatchObject({ status: 0 });
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    },
    60_000,
  );

  (process.env.TEST_POSTGRES_URL ? withSchemaEngine : it.skip)(
    'has committed PostgreSQL migrations that produce the current schema',
    () => {
      const { status, output } = diffAgainstMigrations(
        'postgresql',
        path.join(__dirname, 'schema.prisma'),
        process.env.TEST_POSTGRES_URL ?? '',
      );
      expect({ status, output }).toMatchObject({ status: 0 });
    },
    60_000,
  );
});
