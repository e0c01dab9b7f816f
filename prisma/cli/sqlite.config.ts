// Prisma 6 migration CLI config for SQLite, e.g.
//   DATABASE_URL=file:./data/quillflow.db node node_modules/prisma-migrate-cli/build/index.js \
//     migrate status --config prisma/cli/sqlite.config.ts
// Its schema, prisma/cli/schemas/sqlite.prisma, is derived by scripts/prisma-generate.js (run it
// first). prisma-migrate-cli is prisma@6 (npm alias): the JS schema engine with a driver adapter
// lets it run offline, where Prisma 7's CLI would download a native engine. The app and
// `prisma generate` use Prisma 7. A config file also turns off Prisma's own .env loading.
import { config as loadDotenv } from 'dotenv';
import { defineConfig } from 'prisma-migrate-cli/config';
import { DEFAULT_DATABASE_URL, databaseProvider, sqliteFilePath } from '../database-url';
import { sqliteAdapterFactory } from './shadow-databases';

loadDotenv({ quiet: true });
// The schema's datasource url must resolve or the CLI falls back to downloading engines;
// the adapter below is what actually connects.
process.env.QUILLFLOW_PRISMA_URL = 'file:./offline.db';

export default defineConfig({
  experimental: { adapter: true },
  engine: 'js',
  schema: './schemas/sqlite.prisma',
  migrations: { path: '../migrations/sqlite' },
  adapter: async () => {
    const url = process.env.DATABASE_URL ?? DEFAULT_DATABASE_URL;
    if (databaseProvider(url) !== 'sqlite') {
      throw new Error('DATABASE_URL must be a file: or sqlite: URL for this config');
    }
    // Resolved against the cwd like the app does (Prisma would resolve against the schema).
    return sqliteAdapterFactory(sqliteFilePath(url));
  },
});
