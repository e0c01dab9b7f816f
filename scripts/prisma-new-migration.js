#!/usr/bin/env node
// Creates the next committed migration, for both providers, from prisma/schema.prisma.
//
// Usage (after editing prisma/schema.prisma):
//   node scripts/prisma-new-migration.js <name> [--pg-url <postgres url>]
// e.g.
//   node scripts/prisma-new-migration.js add_story_rating \
//     --pg-url 'postgresql://root@/postgres?host=/var/run/postgresql'
//
// Writes prisma/migrations/{postgresql,sqlite}/<UTC timestamp>_<name>/migration.sql (+ the
// migration_lock.toml of each folder) and prints what it wrote; a provider whose schema did not
// change gets no folder, and nothing is written when neither changed. Review the SQL, then commit.
//
// How: `prisma migrate diff --from-migrations <folder> --to-schema-datamodel <schema>` per
// provider; the CLI configs in prisma/cli/ replay the committed migrations into a shadow
// database (SQLite in memory; a throw-away database on the PostgreSQL server, dropped after).
//
// The CLI is Prisma 6 (prisma-migrate-cli, an npm alias): its offline (JS) schema engine runs
// through the configs' driver adapters, where Prisma 7's would need a native engine download.
// PostgreSQL is required even for the first migration, because that engine connects before
// diffing. The server URL comes from --pg-url, else MIGRATION_PG_URL,
// else TEST_POSTGRES_URL; its user must be allowed to CREATE DATABASE.
'use strict';

const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');
const { migrationCli, migrationCliSchemas, writeDerivedSchemas } = require('./prisma-generate.js');

const root = path.resolve(__dirname, '..');
const prismaDir = path.join(root, 'prisma');

const providers = {
  postgresql: {
    schema: migrationCliSchemas.postgresql,
    config: path.join(prismaDir, 'cli', 'postgresql.config.ts'),
    migrations: path.join(prismaDir, 'migrations', 'postgresql'),
  },
  sqlite: {
    schema: migrationCliSchemas.sqlite,
    config: path.join(prismaDir, 'cli', 'sqlite.config.ts'),
    migrations: path.join(prismaDir, 'migrations', 'sqlite'),
  },
};

function fail(message) {
  console.error(`prisma-new-migration: ${message}`);
  process.exit(1);
}

function parseArgs(argv) {
  const args = {
    name: undefined,
    pgUrl: process.env.MIGRATION_PG_URL || process.env.TEST_POSTGRES_URL,
  };
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--pg-url') args.pgUrl = argv[++i];
    else if (argv[i].startsWith('--pg-url=')) args.pgUrl = argv[i].slice('--pg-url='.length);
    else if (!argv[i].startsWith('-') && args.name === undefined) args.name = argv[i];
    else fail(`unexpected argument ${argv[i]}`);
  }
  if (!args.name || !/^[a-z0-9_]+$/.test(args.name)) {
    fail(
      'usage: node scripts/prisma-new-migration.js <name: lowercase letters, digits, _> [--pg-url URL]',
    );
  }
  if (!args.pgUrl) fail('a PostgreSQL server is needed: pass --pg-url or set MIGRATION_PG_URL');
  return args;
}

/** Committed migration directories of one provider, oldest first. */
function listMigrations(dir) {
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .filter((e) => e.isDirectory() && fs.existsSync(path.join(dir, e.name, 'migration.sql')))
    .map((e) => e.name)
    .sort();
}

function utcTimestamp() {
  return new Date().toISOString().replace(/[-:T]/g, '').slice(0, 14);
}

function diff(provider, migrationDirs, databaseUrl) {
  const p = providers[provider];
  const from = migrationDirs.length === 0 ? ['--from-empty'] : ['--from-migrations', p.migrations];
  const result = spawnSync(
    process.execPath,
    [
      migrationCli,
      'migrate',
      'diff',
      ...from,
      '--to-schema-datamodel',
      p.schema,
      '--script',
      '--config',
      p.config,
    ],
    {
      cwd: root,
      encoding: 'utf8',
      env: {
        ...process.env,
        DATABASE_URL: databaseUrl,
        CHECKPOINT_DISABLE: '1',
        PRISMA_HIDE_UPDATE_MESSAGE: '1',
      },
    },
  );
  if (result.status !== 0)
    fail(`prisma migrate diff (${provider}) failed:\n${result.stdout}\n${result.stderr}`);
  return result.stdout;
}

/** Prisma's way of saying "nothing to do" in a --script diff. */
function isEmptyDiff(sql) {
  return sql.replace(/^--.*$/gm, '').trim() === '';
}

function tidy(provider, sql) {
  let out = sql.replace(/\r\n/g, '\n');
  if (provider === 'postgresql') {
    // The JS schema engine always emits this; it is a no-op where `public` exists but needs the
    // CREATE privilege on the database, which production roles often lack.
    out = out.replace(/-- CreateSchema\nCREATE SCHEMA IF NOT EXISTS "public";\n\n?/g, '');
  }
  return out.trim() + '\n';
}

function writeMigration(provider, dirName, sql) {
  const p = providers[provider];
  fs.mkdirSync(path.join(p.migrations, dirName), { recursive: true });
  fs.writeFileSync(path.join(p.migrations, dirName, 'migration.sql'), sql);
  fs.writeFileSync(
    path.join(p.migrations, 'migration_lock.toml'),
    '# Please do not edit this file manually\n' +
      '# It should be added in your version-control system (e.g., Git)\n' +
      `provider = "${provider}"\n`,
  );
  return path.relative(root, path.join(p.migrations, dirName, 'migration.sql'));
}

function main() {
  const args = parseArgs(process.argv.slice(2));
  writeDerivedSchemas(fs.readFileSync(path.join(prismaDir, 'schema.prisma'), 'utf8'));

  const existing = {
    postgresql: listMigrations(providers.postgresql.migrations),
    sqlite: listMigrations(providers.sqlite.migrations),
  };
  const diffs = {
    postgresql: diff('postgresql', existing.postgresql, args.pgUrl),
    sqlite: diff('sqlite', existing.sqlite, 'file::memory:'),
  };

  // One name for both folders, later than every existing migration so ordering holds.
  let stamp = utcTimestamp();
  const latest = [...existing.postgresql, ...existing.sqlite]
    .map((d) => d.slice(0, 14))
    .sort()
    .pop();
  if (latest && stamp <= latest) stamp = String(BigInt(latest) + 1n);
  const dirName = `${stamp}_${args.name}`;

  let wrote = 0;
  for (const provider of ['postgresql', 'sqlite']) {
    if (isEmptyDiff(diffs[provider])) {
      console.log(`prisma-new-migration: ${provider}: schema unchanged, no migration`);
      continue;
    }
    console.log(
      `prisma-new-migration: wrote ${writeMigration(provider, dirName, tidy(provider, diffs[provider]))}`,
    );
    wrote++;
  }
  if (wrote === 0) console.log('prisma-new-migration: nothing to do');
}

main();
