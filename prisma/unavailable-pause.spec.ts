import { createTestDatabase, type TestDatabase, whileSqliteLocked } from '../test/support/test-db';
import {
  DatabasePausedError,
  noteDatabaseFailure,
  pausedWhileUnavailable,
  setUnavailablePause,
  unavailablePauseLeft,
  unlessDatabasePaused,
} from './unavailable-pause';
import { isDatabaseUnavailable } from './unavailable';

const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), {
  code: 'ECONNREFUSED',
});

describe('database pause after an unavailable refusal', () => {
  it('pauses only for unavailability, for the configured time, per client', async () => {
    const a = {};
    const b = {};
    setUnavailablePause(a, { ms: 60_000 });
    expect(noteDatabaseFailure(a, new Error('syntax error'))).toBe(false);
    expect(unavailablePauseLeft(a)).toBe(0);

    expect(noteDatabaseFailure(a, refused)).toBe(true);
    expect(unavailablePauseLeft(a)).toBeGreaterThan(59_000);
    expect(unavailablePauseLeft(b)).toBe(0);

    let ran = false;
    const err = await unlessDatabasePaused(a, async () => {
      ran = true;
    }).catch((e: unknown) => e);
    expect(ran).toBe(false);
    expect(err).toBeInstanceOf(DatabasePausedError);
    expect((err as Error).message).toMatch(/not tried for another 60 s/);
    // Retried like a refusal, and it does not extend the pause it comes from.
    expect(isDatabaseUnavailable(err)).toBe(true);
    expect(noteDatabaseFailure(a, err)).toBe(false);
    await expect(unlessDatabasePaused(b, async () => 'ran')).resolves.toBe('ran');
  });

  it('wraps every function of a group and passes arguments and results through', async () => {
    const client = {};
    setUnavailablePause(client, { ms: 60_000 });
    const group = pausedWhileUnavailable(client, {
      async twice(n: number) {
        return n * 2;
      },
      async refuse() {
        throw refused;
      },
    });
    await expect(group.twice(21)).resolves.toBe(42);
    await expect(group.refuse()).rejects.toBe(refused);
    await expect(group.twice(1)).rejects.toBeInstanceOf(DatabasePausedError);
  });

  describe('on SQLite with the write lock held by another process', () => {
    let db: TestDatabase;
    beforeAll(async () => {
      db = await createTestDatabase('sqlite');
    });
    afterAll(async () => {
      await db?.drop();
    });

    it('waits busy_timeout once, then fails at once until the pause ends', async () => {
      const data = (id: string) => ({
        id,
        workflowId: id,
        totalItems: 1,
        concurrency: 1,
        origin: 'api',
        spec: '{}',
        correlationId: 't',
      });
      await whileSqliteLocked(db.url, async () => {
        let t0 = Date.now();
        const first = await unlessDatabasePaused(db.prisma, () =>
          db.prisma.batch.create({ data: data('b-1') }),
        ).catch((e: unknown) => e);
        expect(isDatabaseUnavailable(first)).toBe(true);
        expect(first).not.toBeInstanceOf(DatabasePausedError);
        expect(Date.now() - t0).toBeGreaterThanOrEqual(4_000); // it did wait for the lock

        t0 = Date.now();
        const second = await unlessDatabasePaused(db.prisma, () =>
          db.prisma.batch.create({ data: data('b-2') }),
        ).catch((e: unknown) => e);
        expect(second).toBeInstanceOf(DatabasePausedError);
        expect(Date.now() - t0).toBeLessThan(1_000); // and this one did not
        expect(unavailablePauseLeft(db.prisma)).toBeGreaterThan(5_000); // SQLite: 10 s
      });
      // Nothing was half-written: neither row exists.
      expect(await db.prisma.batch.count({ where: { id: { in: ['b-1', 'b-2'] } } })).toBe(0);
      // The lock is free again: the pause ends now (its lock check), not 10 s after the refusal.
      expect(unavailablePauseLeft(db.prisma)).toBe(0);
      await unlessDatabasePaused(db.prisma, () => db.prisma.batch.create({ data: data('b-3') }));
      expect(await db.prisma.batch.count({ where: { id: 'b-3' } })).toBe(1);
    }, 20_000);
  });
});
