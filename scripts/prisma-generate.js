#!/usr/bin/env node
// Derives prisma/sqlite/schema.prisma from prisma/schema.prisma (the single source of truth)
// and runs `prisma generate` for both providers into prisma/generated/{postgresql,sqlite}.
// Also derives prisma/cli/schemas/{postgresql,sqlite}.prisma, the copies with a datasource url
// that the Prisma 6 migration CLI (prisma-migrate-cli, see prisma/cli/*.config.ts) needs.
//
//   node scripts/prisma-generate.js            # no-op when nothing changed
//   node scripts/prisma-generate.js --force    # regenerate anyway
//
// Prisma fixes the provider per schema file, so SQLite needs its own copy; deriving it keeps the
// two from drifting. Generation is skipped when a hash of every input matches the one stored in
// prisma/generated/ so `npm test` / `npm run build` stay fast.
'use strict';

const { createHash } = require('node:crypto');
const { spawn } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
const prismaDir = path.join(root, 'prisma');
const sourceSchema = path.join(prismaDir, 'schema.prisma');
const sqliteSchema = path.join(prismaDir, 'sqlite', 'schema.prisma');
const generatedDir = path.join(prismaDir, 'generated');
const hashFile = path.join(generatedDir, '.inputs-hash');
const prismaCli = require.resolve('prisma/build/index.js', { paths: [root] });
const noSchemaEngine = path.join(__dirname, 'no-schema-engine.js');

/**
 * Prisma 6's CLI, kept (npm alias) for `migrate`/`db` commands only: its Wasm schema engine runs
 * offline through the driver adapters of prisma/cli/*.config.ts, while Prisma 7's CLI needs a
 * native schema engine it would download from a host this project cannot reach.
 */
const migrationCli = require.resolve('prisma-migrate-cli/build/index.js', { paths: [root] });
/** The schemas the migration CLI reads: Prisma 6 wants a datasource url, Prisma 7 rejects one. */
const migrationCliSchemas = {
  postgresql: path.join(prismaDir, 'cli', 'schemas', 'postgresql.prisma'),
  sqlite: path.join(prismaDir, 'cli', 'schemas', 'sqlite.prisma'),
};

const targets = [
  { name: 'postgresql', schema: sourceSchema, output: path.join(generatedDir, 'postgresql') },
  { name: 'sqlite', schema: sqliteSchema, output: path.join(generatedDir, 'sqlite') },
];

const HEADER = [
  '// generated, do not edit: derived from prisma/schema.prisma by scripts/prisma-generate.js',
  '// (provider sqlite, output ../generated/sqlite, every @db.* native type dropped).',
  '',
  '',
].join('\n');

/**
 * `schema`'s lines after its leading comment (which describes that file; a derived file gets a
 * header instead), each replaced by `edit(line, block)`: a line or lines. `block` is the kind of
 * block the line is in (datasource, generator, model ...), '' outside one.
 */
function editSchemaLines(schema, edit) {
  const lines = schema.split(/\r?\n/);
  while (lines.length > 0 && (lines[0].startsWith('//') || lines[0].trim() === '')) lines.shift();
  let block = '';
  return lines.flatMap((line) => {
    const opening = /^\s*(generator|datasource|model|enum|view|type)\s+\w+\s*\{/.exec(line);
    if (opening) block = opening[1];
    else if (/^\s*\}/.test(line)) block = '';
    return edit(line, block);
  });
}

/** The SQLite flavour of the source schema. Throws if the source no longer looks as expected. */
function deriveSqliteSchema(source) {
  let providerSwaps = 0;
  let outputSwaps = 0;
  const out = editSchemaLines(source, (line, block) => {
    if (/^\s*\/\//.test(line)) return line;

    if (block === 'datasource' && /^\s*provider\s*=/.test(line)) {
      providerSwaps++;
      return line.replace(/"postgresql"/, '"sqlite"');
    }
    if (block === 'generator' && /^\s*output\s*=/.test(line)) {
      outputSwaps++;
      return line.replace(/"[^"]*"/, '"../generated/sqlite"');
    }
    // @db.VarChar(100), @db.Decimal(14, 6), @db.Text ...: SQLite has no native types.
    return line.replace(/\s*@db\.[A-Za-z]+(\([^)]*\))?/g, '').replace(/\s+$/, '');
  });
  if (providerSwaps !== 1 || outputSwaps !== 1) {
    throw new Error(
      `prisma/schema.prisma: expected one datasource provider and one generator output ` +
        `(found ${providerSwaps} and ${outputSwaps}); update scripts/prisma-generate.js`,
    );
  }
  return HEADER + out.join('\n').replace(/\n*$/, '\n');
}

const CLI_HEADER = [
  '// generated, do not edit: derived from prisma/schema.prisma by scripts/prisma-generate.js',
  '// for the Prisma 6 migration CLI (prisma/cli/*.config.ts): the datasource gets a url, which',
  '// that CLI needs to resolve (the configs set QUILLFLOW_PRISMA_URL) and Prisma 7 rejects.',
  '',
  '',
].join('\n');

/** `schema` (either flavour) with the datasource url the migration CLI needs. */
function deriveMigrationCliSchema(schema) {
  let urls = 0;
  const out = editSchemaLines(schema, (line, block) => {
    if (block !== 'datasource' || !/^\s*provider\s*=/.test(line)) return [line];
    urls++;
    return [line, '  url      = env("QUILLFLOW_PRISMA_URL")'];
  });
  if (urls !== 1) {
    throw new Error(
      `prisma/schema.prisma: expected one datasource provider (found ${urls}); ` +
        'update scripts/prisma-generate.js',
    );
  }
  return CLI_HEADER + out.join('\n');
}

/** Writes every schema derived from `source`: the SQLite one and the migration CLI's copies. */
function writeDerivedSchemas(source) {
  const sqlite = deriveSqliteSchema(source);
  writeIfChanged(sqliteSchema, sqlite);
  writeIfChanged(migrationCliSchemas.postgresql, deriveMigrationCliSchema(source));
  writeIfChanged(migrationCliSchemas.sqlite, deriveMigrationCliSchema(sqlite));
}

function inputsHash(source) {
  const hash = createHash('sha256');
  hash.update(source);
  hash.update(fs.readFileSync(__filename));
  hash.update(require(path.join(path.dirname(prismaCli), '..', 'package.json')).version);
  return hash.digest('hex');
}

function upToDate(hash) {
  if (!fs.existsSync(hashFile) || fs.readFileSync(hashFile, 'utf8').trim() !== hash) return false;
  return targets.every((t) => fs.existsSync(path.join(t.output, 'client.ts')));
}

function writeIfChanged(file, content) {
  if (fs.existsSync(file) && fs.readFileSync(file, 'utf8') === content) return;
  fs.mkdirSync(path.dirname(file), { recursive: true });
  // Write then rename: specs running in parallel derive the same files and may read them meanwhile.
  const temp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(temp, content);
  fs.renameSync(temp, file);
}

function runGenerate(target) {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      // No --config: prisma/cli/*.config.ts are the Prisma 6 migration CLI's.
      [prismaCli, 'generate', '--schema', target.schema, '--no-hints'],
      {
        cwd: root,
        env: {
          ...process.env,
          // Telemetry and update checks would try to reach the internet.
          CHECKPOINT_DISABLE: '1',
          PRISMA_HIDE_UPDATE_MESSAGE: '1',
          // Prisma 7's CLI downloads its native schema engine before any command, generate
          // included, unless given a path; generate does not run it (scripts/no-schema-engine.js).
          PRISMA_SCHEMA_ENGINE_BINARY: noSchemaEngine,
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let output = '';
    child.stdout.on('data', (d) => (output += d));
    child.stderr.on('data', (d) => (output += d));
    child.on('error', reject);
    child.on('close', (code) => {
      if (code === 0) resolve();
      else
        reject(new Error(`prisma generate (${target.name}) failed with code ${code}:\n${output}`));
    });
  });
}

async function main() {
  const force = process.argv.includes('--force');
  const source = fs.readFileSync(sourceSchema, 'utf8');
  // Always refresh the derived schemas: it is cheap, and the migration CLI reads them.
  writeDerivedSchemas(source);

  const hash = inputsHash(source);
  if (!force && upToDate(hash)) {
    console.log('prisma-generate: clients up to date');
    return;
  }
  const started = Date.now();
  // A stale hash must not survive a half-finished run.
  fs.rmSync(hashFile, { force: true });
  await Promise.all(targets.map(runGenerate));
  fs.writeFileSync(hashFile, hash + '\n');
  console.log(
    `prisma-generate: generated postgresql + sqlite clients in ${Date.now() - started} ms`,
  );
}

module.exports = { deriveSqliteSchema, migrationCli, migrationCliSchemas, writeDerivedSchemas };

if (require.main === module) {
  main().catch((err) => {
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
  });
}
