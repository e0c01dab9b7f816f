/**
 * Prisma's `upsert({ where: <unique>, create, update: {} })` ("insert unless it exists") costs
 * about four times the CPU of a plain `create` with the driver adapters (a read and a write in
 * a transaction, planned by the query compiler: ~7 ms vs ~2 ms per call, BENCHMARKS.md). The hot
 * idempotent writes (audit rows, story rows) therefore INSERT and treat a unique-key violation
 * as "already there", which is the same outcome in one statement.
 */
export function isUniqueViolation(err: unknown): boolean {
  return (err as { code?: unknown } | null)?.code === 'P2002';
}
