import pg from 'pg';
import { createPrismaClient, Prisma } from './client';
import { postgresSchema } from './database-url';
import { POOL_WAIT_MS, postgresAdapter } from './postgres-adapter';
import { createTestDatabase, type TestDatabase } from '../test/support/test-db';
import { isDatabaseUnavailable } from './unavailable';

// Real PostgreSQL, real connections killed with pg_terminate_backend: what a restart, a
// failover or an operator does to a platform in the middle of its work.
const describePg = process.env.TEST_POSTGRES_URL ? describe : describe.skip;
const POOL_SIZE = 10; // pg's default, which the adapter keeps

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const failure = (p: Promise<unknown>) =>
  p.then(
    () => undefined,
    (e: unknown) => e,
  );

describePg('the PostgreSQL adapter', () => {
  let db: TestDatabase;
  let admin: pg.Client;
  let name: string;

  // Client connections only: an autovacuum worker on the test database also shows as 'active'
  // (a CI run counted 4 for a pool of 3).
  const backends = async (state?: string) => {
    const r = await admin.query<{ n: string }>(
      `SELECT count(*) AS n FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid() AND backend_type = 'client backend'${state ? ' AND state = $2' : ''}`,
      state ? [name, state] : [name],
    );
    return Number(r.rows[0].n);
  };
  const terminateAll = () =>
    admin.query(
      'SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()',
      [name],
    );
  /** Resolves with how long a plain query took, or rejects: it proves the pool can serve. */
  const timedCount = async () => {
    const started = Date.now();
    await db.prisma.story.count();
    return Date.now() - started;
  };

  beforeAll(async () => {
    db = await createTestDatabase('postgresql');
    name = decodeURIComponent(/^postgres(?:ql)?:\/\/[^/?#]*\/([^?#]*)/i.exec(db.url)![1]);
    admin = new pg.Client({ connectionString: process.env.TEST_POSTGRES_URL });
    await admin.connect();
  });
  afterAll(async () => {
    await admin?.end();
    await db?.drop();
  });

  it('hands back the connection of every transaction whose ROLLBACK failed, so the pool never runs dry', async () => {
    // More dead transactions than the pool has connections: one leak each would leave none.
    for (let i = 0; i < POOL_SIZE + 2; i++) {
      const err = await failure(
        db.prisma.$transaction(async (tx) => {
          const [{ pid }] = await tx.$queryRaw<{ pid: number }[]>`SELECT pg_backend_pid() AS pid`;
          await admin.query('SELECT pg_terminate_backend($1)', [pid]);
          await tx.story.count(); // fails: the connection is gone, and so does Prisma's ROLLBACK
        }),
      );
      expect(isDatabaseUnavailable(err)).toBe(true);
    }
    expect(await timedCount()).toBeLessThan(POOL_WAIT_MS);
    expect(await backends('idle in transaction')).toBe(0);
  });

  it('hands back the connection of a transaction whose COMMIT failed', async () => {
    const adapter = await postgresAdapter(db.url, postgresSchema(db.url)).connect();
    try {
      for (let i = 0; i < POOL_SIZE + 2; i++) {
        const tx = await adapter.startTransaction();
        const pid = (await tx.queryRaw({ sql: 'SELECT pg_backend_pid()', args: [], argTypes: [] }))
          .rows[0][0];
        await admin.query('SELECT pg_terminate_backend($1)', [pid]);
        const err = await failure(tx.executeRaw({ sql: 'COMMIT', args: [], argTypes: [] }));
        expect(err).toBeDefined();
        // Prisma does not call commit() after a failed COMMIT; were it to, nothing breaks.
        await tx.commit();
      }
      const r = await adapter.queryRaw({ sql: 'SELECT 1', args: [], argTypes: [] });
      expect(r.rows).toEqual([[1]]);
    } finally {
      await adapter.dispose();
    }
  });

  it('rolls back a transaction released without ROLLBACK before its connection is reused', async () => {
    // What Prisma's transaction manager does with a transaction that started after maxWait.
    const adapter = await postgresAdapter(db.url, postgresSchema(db.url)).connect();
    try {
      const tx = await adapter.startTransaction();
      await tx.executeRaw({
        sql: `INSERT INTO stories (primary_character, secondary_character, combined_characters, story_content, method, transaction_guid, workflow_id) VALUES ('a', 'b', 'a and b', 'x', 'langgraph', 't', 'wf-dropped')`,
        args: [],
        argTypes: [],
      });
      await tx.rollback();
      expect(await backends('idle in transaction')).toBe(0);
      const again = await adapter.startTransaction();
      await again.executeRaw({ sql: 'COMMIT', args: [], argTypes: [] });
      await again.commit();
    } finally {
      await adapter.dispose();
    }
    expect(await db.prisma.story.count({ where: { workflowId: 'wf-dropped' } })).toBe(0);
  });

  it('opens at most poolSize connections, and uses them all', async () => {
    const prisma = createPrismaClient(db.url, { poolSize: 3 });
    try {
      let most = 0;
      let busy = true;
      const watcher = (async () => {
        while (busy) {
          most = Math.max(most, await backends('active'));
          await sleep(20);
        }
      })();
      try {
        await Promise.all(
          Array.from({ length: 8 }, () => prisma.$queryRaw`SELECT 1 AS one FROM pg_sleep(0.3)`),
        );
      } finally {
        busy = false;
        await watcher;
      }
      expect(most).toBe(3);
    } finally {
      await prisma.$disconnect();
    }
  });

  it('survives connections killed at any moment (no unhandled error event, no hang)', async () => {
    // pg-pool hands a new connection over from inside the socket's data handler: a kill that
    // arrives in the same packet is emitted before anyone listens, which ends the process.
    let stop = false;
    const outcomes = { ok: 0, unavailable: 0, other: [] as unknown[] };
    const loop = async (i: number) => {
      for (let n = 0; !stop; n++) {
        try {
          if (n % 2 === 0) {
            await db.prisma.$transaction([db.prisma.story.count(), db.prisma.story.findFirst()]);
          } else {
            await db.prisma.story.create({
              data: {
                primaryCharacter: 'a',
                secondaryCharacter: 'b',
                combinedCharacters: 'a and b',
                storyContent: 'x',
                method: 'langgraph',
                correlationId: 't',
                workflowId: `wf-${i}-${n}`,
                estimatedCostUsd: new Prisma.Decimal('0.001'),
              },
            });
          }
          outcomes.ok++;
        } catch (err) {
          if (isDatabaseUnavailable(err)) outcomes.unavailable++;
          else outcomes.other.push(err);
        }
      }
    };
    const loops = Array.from({ length: 8 }, (_, i) => loop(i));
    const until = Date.now() + 4_000;
    while (Date.now() < until) {
      await sleep(Math.random() * 60);
      await terminateAll();
    }
    stop = true;
    await Promise.all(loops);
    expect(outcomes.other).toEqual([]);
    expect(outcomes.unavailable).toBeGreaterThan(0);
    expect(await timedCount()).toBeLessThan(POOL_WAIT_MS);
    expect(await backends()).toBeLessThanOrEqual(POOL_SIZE);
    expect(await backends('idle in transaction')).toBe(0);
  }, 60_000);
});
