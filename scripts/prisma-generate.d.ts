// Types for the plain-JS scripts/prisma-generate.js, so TypeScript specs can test it.
/** The SQLite flavour of prisma/schema.prisma (the content of prisma/sqlite/schema.prisma). */
export function deriveSqliteSchema(source: string): string;
