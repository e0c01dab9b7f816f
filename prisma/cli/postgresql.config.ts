// Prisma 6 migration CLI config for PostgreSQL, e.g.
//   DATABASE_URL=postgresql://... node node_modules/prisma-migrate-cli/build/index.js \
//     migrate status --config prisma/cli/postgresql.config.ts
// Its schema, prisma/cli/schemas/postgresql.prisma, is derived by scripts/prisma-generate.js (run it
// first). prisma-migrate-cli is prisma@6 (npm alias): the JS schema engine with a driver adapter
// lets it run offline, where Prisma 7's CLI would download a native engine. The app and
// `prisma generate` use Prisma 7. A config file also turns off Prisma's own .env loading.
import { config as loadDotenv } from 'dotenv';
import { defineConfig } from 'prisma-migrate-cli/config';
import { databaseProvider } from '../database-url';
import { postgresAdapterFactory } from './shadow-databases';

loadDotenv({ quiet: true });
// The schema's datasource url must resolve or the CLI falls back to downloading engines;
// the adapter below is what actually connects.
process.env.QUILLFLOW_PRISMA_URL = 'postgresql://offline@localhost:5432/offline';

export default defineConfig({
  experimental: { adapter: true },
  engine: 'js',
  schema: './schemas/postgresql.prisma',
  migrations: { path: '../migrations/postgresql' },
  adapter: async () => {
    // `prisma generate` builds the adapter without using it; pg connects lazily, so a
    // placeholder is harmless there, and commands that need a database fail to connect.
    const url = process.env.DATABASE_URL ?? 'postgresql://offline@localhost:5432/offline';
    if (databaseProvider(url) !== 'postgresql') {
      throw new Error('DATABASE_URL must be a postgres:// or postgresql:// URL for this config');
    }
    return postgresAdapterFactory(url);
  },
});
