#!/usr/bin/env node
// Derives prisma/sqlite/schema.prisma from prisma/schema.prisma (the single source of truth)
// and runs `prisma generate` for both providers into prisma/generated/{postgresql,sqlite}.
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

const targets = [
  {
    name: 'postgresql',
    schema: sourceSchema,
    config: path.join(prismaDir, 'cli', 'postgresql.config.ts'),
    output: path.join(generatedDir, 'postgresql'),
  },
  {
    name: 'sqlite',
    schema: sqliteSchema,
    config: path.join(prismaDir, 'cli', 'sqlite.config.ts'),
    output: path.join(generatedDir, 'sqlite'),
  },
];

const HEADER = [
  '// generated, do not edit: derived from prisma/schema.prisma by scripts/prisma-generate.js',
  '// (provider sqlite, output ../generated/sqlite, every @db.* native type dropped).',
  '',
  '',
].join('\n');

/** The SQLite flavour of the source schema. Throws if the source no longer looks as expected. */
function deriveSqliteSchema(source) {
  const lines = source.split(/\r?\n/);
  // The source's leading comment describes the source file; the header replaces it.
  while (lines.length > 0 && (lines[0].startsWith('//') || lines[0].trim() === '')) lines.shift();

  let providerSwaps = 0;
  let outputSwaps = 0;
  let block = '';
  const out = lines.map((line) => {
    const opening = /^\s*(generator|datasource|model|enum|view|type)\s+\w+\s*\{/.exec(line);
    if (opening) block = opening[1];
    else if (/^\s*\}/.test(line)) block = '';
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

function inputsHash(source) {
  const hash = createHash('sha256');
  hash.update(source);
  hash.update(fs.readFileSync(__filename));
  for (const t of targets) hash.update(fs.readFileSync(t.config));
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
  fs.writeFileSync(file, content);
}

function runGenerate(target) {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [prismaCli, 'generate', '--schema', target.schema, '--config', target.config, '--no-hints'],
      {
        cwd: root,
        env: {
          ...process.env,
          // Telemetry and update checks would try to reach the internet.
          CHECKPOINT_DISABLE: '1',
          PRISMA_HIDE_UPDATE_MESSAGE: '1',
          // Prisma 7's CLI downloads its native schema engine before any command, generate
          // included, unless given a path; generate does not run it (scripts/no-schema-engine.js).
          PRISMA_SCHEMA_ENGINE_BINARY: process.env.PRISMA_SCHEMA_ENGINE_BINARY ?? noSchemaEngine,
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
  // Always refresh the derived schema: it is cheap, and the migration script reads it.
  writeIfChanged(sqliteSchema, deriveSqliteSchema(source));

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

module.exports = { deriveSqliteSchema };

if (require.main === module) {
  main().catch((err) => {
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
  });
}
