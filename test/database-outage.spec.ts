import { startOutage } from './reliability/support/db-outage';
import { http, startTestPlatform, testDatabaseKind, type TestPlatform } from './support/platform';

/**
 * The API while its database is unavailable (SQLite: another process holds the write lock;
 * PostgreSQL: connections refused): a write answers 503 with Retry-After instead of a 500, a
 * batch start still stands (its workflow writes the batch row once the database is back), and
 * the same requests work again afterwards.
 */
describe('API during a database outage (real DB, real Temporal)', () => {
  let p: TestPlatform;
  beforeAll(async () => {
    p = await startTestPlatform();
  });
  afterAll(async () => {
    await p?.close();
  });

  it('answers 503 + Retry-After while the database is out, and recovers', async () => {
    const outage = await startOutage(p.databaseUrl);
    let batchId: string;
    try {
      const del = await http(p.baseUrl, 'DELETE', '/api/chat/conversations/424242');
      expect(del.status).toBe(503);
      expect(del.headers.get('retry-after')).toBe('2');
      expect(del.body.error).toMatchObject({
        type: 'DatabaseUnavailable',
        code: 'DATABASE_UNAVAILABLE',
      });
      expect(del.body.error.message).toMatch(/Retry in 2 s \(error id err_[0-9a-f]{8}\)/);

      // The refusal paused the API's writes: the next one fails at once instead of waiting
      // (SQLite: busy_timeout, 5 s, with the event loop blocked). Reads still work on SQLite.
      const t0 = Date.now();
      const again = await http(p.baseUrl, 'DELETE', '/api/chat/conversations/424242');
      expect(again.status).toBe(503);
      expect(Date.now() - t0).toBeLessThan(1_000);
      const read = await http(p.baseUrl, 'GET', '/api/chat/conversations?limit=1');
      expect(read.status).toBe(testDatabaseKind() === 'sqlite' ? 200 : 503);

      const started = await http(p.baseUrl, 'POST', '/api/batches', {
        items: [{ primaryCharacter: 'Ann', secondaryCharacter: 'Ben' }],
        frameworks: ['semantic_kernel'],
      });
      expect(started.status).toBe(202);
      batchId = started.body.batchId as string;
    } finally {
      await outage.end();
    }

    const del = await http(p.baseUrl, 'DELETE', '/api/chat/conversations/424242');
    expect(del.status).toBe(404);
    const report = await p.temporal.client.workflow.getHandle(batchId).result();
    expect(report.completed).toBe(1);
    // The list reads the batches table: the row exists although the API could not write it.
    const row = await p.prisma.batch.findUnique({ where: { id: batchId } });
    expect(row).toMatchObject({ id: batchId, totalItems: 1, completed: 1 });
    const list = await http(p.baseUrl, 'GET', '/api/batches?limit=5');
    expect(list.body.batches.map((b: { batchId: string }) => b.batchId)).toContain(batchId);
  }, 90_000);
});
