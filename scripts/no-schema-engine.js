#!/usr/bin/env node
// Stands in for Prisma's native schema engine, which the Prisma 7 CLI wants present before
// `generate` although generate never runs it, and which it would download from a host this
// project cannot reach. scripts/prisma-generate.js points PRISMA_SCHEMA_ENGINE_BINARY here;
// a command that really needs the engine (migrate, db) fails with this message.
'use strict';
console.error(
  'No Prisma schema engine here (scripts/no-schema-engine.js): set PRISMA_SCHEMA_ENGINE_BINARY to a real schema-engine binary for prisma migrate/db commands.',
);
process.exit(1);
