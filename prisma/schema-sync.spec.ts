// Guards against the two ways the database layer drifts: a schema edit without a migration, and
// a derived SQLite schema that no longer mirrors the source.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  deriveSqliteSchema,
  migrationCli,
  migrationCliSchemas,
  writeDerivedSchemas,
} from '../scripts/prisma-generate';

const root = path.resolve(__dirname, '..');
const source = fs.readFileSync(path.join(__dirname, 'schema.prisma'), 'utf8');

/** Fails unless the committed migrations produce the current schema (its CLI copy). */
function expectMigrationsInSync(kind: 'sqlite' | 'postgresql', databaseUrl: string) {
  const result = spawnSync(
    process.execPath,
    [
      migrationCli,
      'migrate',
      'diff',
      '--from-migrations',
      `prisma/migrations/${kind}`,
      '--to-schema-datamodel',
      migrationCliSchemas[kind],
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
  if (result.status === 2) {
    throw new Error(
      `prisma/schema.prisma has changes prisma/migrations/${kind} do not make: ` +
        `run scripts/prisma-new-migration.js <name>\n${result.stdout}`,
    );
  }
  expect({ status: result.status, output: result.stdout + result.stderr }).toMatchObject({
    status: 0,
  });
}

describe('schema and migrations stay in sync', () => {
  const derived = deriveSqliteSchema(source);
  // From the source as it is now, not as the last `npm run prisma:generate` saw it.
  beforeAll(() => writeDerivedSchemas(source));

  it('derives a SQLite schema with the same models and no native types', () => {
    expect(derived).toMatch(/^\/\/ generated, do not edit/);
    expect(derived).toContain('provider = "sqlite"');
    expect(derived).toContain('output       = "../generated/sqlite"');
    expect(derived).not.toMatch(/@db\.[A-Za-z]/);
    const models = (text: string) => [...text.matchAll(/^model (\w+)/gm)].map((m) => m[1]);
    expect(models(derived)).toEqual(models(source));
    expect(models(derived).length).toBeGreaterThanOrEqual(7);
  });

  it('has committed SQLite migrations that produce the current schema', () => {
    expectMigrationsInSync('sqlite', 'file::memory:');
  }, 60_000);

  (process.env.TEST_POSTGRES_URL ? it : it.skip)(
    'has committed PostgreSQL migrations that produce the current schema',
    () => expectMigrationsInSync('postgresql', process.env.TEST_POSTGRES_URL ?? ''),
    60_000,
  );
});
