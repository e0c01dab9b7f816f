// `npm run db:migrate`: migrates DATABASE_URL (default: the embedded SQLite file) and exits.
import { config as loadDotenv } from 'dotenv';
import { DEFAULT_DATABASE_URL } from './database-url';
import { migrateDatabase } from './migrate';

async function main(): Promise<void> {
  loadDotenv({ quiet: true });
  const url = process.env.DATABASE_URL?.trim() || DEFAULT_DATABASE_URL;
  await migrateDatabase(url, (msg) => console.log(`[migrate] ${msg}`));
}

main().catch((err: unknown) => {
  console.error('[migrate] failed:', err instanceof Error ? err.message : err);
  process.exit(1);
});
