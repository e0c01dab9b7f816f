import { createPrismaClient } from './client';
import { createTestDatabase, type TestDatabase, whileSqliteLocked } from '../test/support/test-db';
import { isDatabaseUnavailable } from './unavailable';

describe('isDatabaseUnavailable', () => {
  it('is true for a PostgreSQL server nobody listens for', async () => {
    const prisma = createPrismaClient('postgresql://quillflow:x@127.0.0.1:1/none?schema=public');
    try {
      const err = await prisma.story.count().then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(err).toBeDefined();
      expect(isDatabaseUnavailable(err)).toBe(true);
    } finally {
      await prisma.$disconnect();
    }
  });

  describe('on SQLite', () => {
    let db: TestDatabase;
    beforeAll(async () => {
      db = await createTestDatabase('sqlite');
    });
    afterAll(async () => {
      await db?.drop();
    });

    it('is true when another process holds the write lock past busy_timeout', async () => {
      await whileSqliteLocked(db.url, async () => {
        const err = await db.prisma.batch
          .create({
            data: {
              id: 'b-locked',
              workflowId: 'b-locked',
              totalItems: 1,
              concurrency: 1,
              origin: 'api',
              spec: '{}',
              correlationId: 't',
            },
          })
          .then(
            () => undefined,
            (e: unknown) => e,
          );
        expect(isDatabaseUnavailable(err)).toBe(true);
      });
    }, 20_000);

    it('is true for a raw statement that meets the lock (its driver error is in meta, code P2010)', async () => {
      await whileSqliteLocked(db.url, async () => {
        const err = await db.prisma
          .$executeRaw`UPDATE batches SET status = 'x' WHERE id = ${'b-none'}`.then(
          () => undefined,
          (e: unknown) => e,
        );
        expect(err).toMatchObject({ code: 'P2010' });
        expect(isDatabaseUnavailable(err)).toBe(true);
      });
    }, 20_000);

    it('is false for a caller-visible constraint error', async () => {
      const data = {
        id: 'b-dup',
        workflowId: 'b-dup',
        totalItems: 1,
        concurrency: 1,
        origin: 'api',
        spec: '{}',
        correlationId: 't',
      };
      await db.prisma.batch.create({ data });
      const err = await db.prisma.batch.create({ data }).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(err).toMatchObject({ code: 'P2002' });
      expect(isDatabaseUnavailable(err)).toBe(false);
    });
  });

  it("is true for node-postgres's lost-connection errors, which carry no code", () => {
    // As Prisma passes them on (seen when connections are killed: prisma/postgres-adapter.spec.ts).
    for (const message of [
      'Connection terminated unexpectedly',
      'Client has encountered a connection error and is not queryable',
      'timeout exceeded when trying to connect',
    ]) {
      expect(isDatabaseUnavailable(Object.assign(new Error(message), { clientVersion: '6' }))).toBe(
        true,
      );
    }
    expect(isDatabaseUnavailable({ code: 'EPIPE', message: 'write EPIPE' })).toBe(true);
  });

  it('is true for a transaction that found no connection in time, not for other P2028s', () => {
    const p2028 = (message: string) => Object.assign(new Error(message), { code: 'P2028' });
    expect(
      isDatabaseUnavailable(
        p2028('Transaction API error: Unable to start a transaction in the given time.'),
      ),
    ).toBe(true);
    expect(isDatabaseUnavailable(p2028('Transaction API error: Transaction already closed'))).toBe(
      false,
    );
  });

  it('is false for ordinary errors and non-errors', () => {
    expect(isDatabaseUnavailable(new Error('boom'))).toBe(false);
    expect(isDatabaseUnavailable(null)).toBe(false);
    expect(isDatabaseUnavailable('SQLITE_BUSY')).toBe(false);
    expect(isDatabaseUnavailable({ code: 'P2025' })).toBe(false);
  });
});
