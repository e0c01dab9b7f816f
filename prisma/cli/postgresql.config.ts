// Prisma CLI config for PostgreSQL, e.g.
//   DATABASE_URL=postgresql://... npx prisma migrate status --config prisma/cli/postgresql.config.ts
// Prisma 7 reads the URL from here (the schema has none) and runs its Wasm schema engine on it:
// no engine download. A config file also turns off Prisma's own .env loading.
import { config as loadDotenv } from 'dotenv';
import { defineConfig } from 'prisma/config';
import { databaseProvider } from '../database-url';

loadDotenv({ quiet: true });

// `prisma generate` needs no database; commands that do fail to connect to this placeholder.
const url = process.env.DATABASE_URL ?? 'postgresql://offline@localhost:5432/offline';
if (databaseProvider(url) !== 'postgresql') {
  throw new Error('DATABASE_URL must be a postgres:// or postgresql:// URL for this config');
}

export default defineConfig({
  schema: '../schema.prisma',
  migrations: { path: '../migrations/postgresql' },
  datasource: { url },
});
