// Prisma CLI config for SQLite, e.g.
//   DATABASE_URL=file:./data/quillflow.db npx prisma migrate status --config prisma/cli/sqlite.config.ts
// prisma/sqlite/schema.prisma is derived by scripts/prisma-generate.js (run it first).
// Prisma 7 reads the URL from here (the schema has none) and runs its Wasm schema engine on it:
// no engine download. A config file also turns off Prisma's own .env loading.
import { config as loadDotenv } from 'dotenv';
import { defineConfig } from 'prisma/config';
import { DEFAULT_DATABASE_URL, databaseProvider, sqliteFilePath } from '../database-url';

loadDotenv({ quiet: true });

const url = process.env.DATABASE_URL ?? DEFAULT_DATABASE_URL;
if (databaseProvider(url) !== 'sqlite') {
  throw new Error('DATABASE_URL must be a file: or sqlite: URL for this config');
}
const filePath = sqliteFilePath(url);

export default defineConfig({
  schema: '../sqlite/schema.prisma',
  migrations: { path: '../migrations/sqlite' },
  // Absolute: resolved against the cwd like the app does (Prisma would resolve against this file).
  datasource: { url: `file:${filePath}` },
});
