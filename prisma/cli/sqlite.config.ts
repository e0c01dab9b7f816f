// Prisma CLI config for SQLite, e.g.
//   DATABASE_URL=file:./data/quillflow.db npx prisma migrate status --config prisma/cli/sqlite.config.ts
// prisma/sqlite/schema.prisma is derived by scripts/prisma-generate.js (run it first).
// The JS schema engine with a driver adapter is what lets Prisma 6 run offline: without it the
// CLI tries to download native engines. A config file also turns off Prisma's own .env loading.
import { config as loadDotenv } from 'dotenv';
import { defineConfig } from 'prisma/config';
import { DEFAULT_DATABASE_URL, databaseProvider, sqliteFilePath } from '../database-url';
import { sqliteAdapterFactory } from './shadow-databases';

loadDotenv({ quiet: true });
// The schema's datasource url must resolve or the CLI falls back to downloading engines;
// the adapter below is what actually connects.
process.env.QUILLFLOW_PRISMA_URL = 'file:./offline.db';

export default defineConfig({
  experimental: { adapter: true },
  engine: 'js',
  schema: '../sqlite/schema.prisma',
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
