// Types for the plain-JS scripts/prisma-generate.js, so TypeScript specs can test it.
/** The SQLite flavour of prisma/schema.prisma (the content of prisma/sqlite/schema.prisma). */
export function deriveSqliteSchema(source: string): string;
/** Path of the Prisma 6 CLI (npm alias prisma-migrate-cli) that runs `migrate`/`db` offline. */
export const migrationCli: string;
/** The schemas (with a datasource url) that the migration CLI's configs read, per provider. */
export const migrationCliSchemas: Readonly<Record<'postgresql' | 'sqlite', string>>;
/** Writes prisma/sqlite/schema.prisma and the migration CLI's schemas, derived from `source`. */
export function writeDerivedSchemas(source: string): void;
