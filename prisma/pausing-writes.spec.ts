import { createPrismaClient } from './client';
import { pausingWrites } from './pausing-writes';
import { createTestDatabase, type TestDatabase, whileSqliteLocked } from '../test/support/test-db';
import { DatabasePausedError } from './unavailable-pause';
import { isDatabaseUnavailable } from './unavailable';

const conversation = (title: string) => ({
  data: { title, method: 'langgraph', correlationId: 't' },
});
const failure = (p: Promise<unknown>) =>
  p.then(
    () => undefined,
    (e: unknown) => e,
  );

describe('pausingWrites (SQLite, write lock held by another process)', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase('sqlite');
  });
  afterAll(async () => {
    await db?.drop();
  });

  it('waits busy_timeout for one write, then fails writes at once and still serves reads', async () => {
    const prisma = pausingWrites(db.prisma);
    await whileSqliteLocked(db.url, async () => {
      let t0 = Date.now();
      const first = await failure(prisma.chatConversation.create(conversation('a')));
      expect(isDatabaseUnavailable(first)).toBe(true);
      expect(first).not.toBeInstanceOf(DatabasePausedError);
      expect(Date.now() - t0).toBeGreaterThanOrEqual(4_000);

      for (const write of [
        () => prisma.chatConversation.create(conversation('b')),
        () => prisma.chatConversation.deleteMany({}),
        () => prisma.$transaction([prisma.chatConversation.create(conversation('c'))]),
        () => prisma.$executeRaw`DELETE FROM chat_conversations`,
      ]) {
        t0 = Date.now();
        const err = await failure(write());
        expect(err).toBeInstanceOf(DatabasePausedError);
        expect(isDatabaseUnavailable(err)).toBe(true); // the API answers 503 + Retry-After
        expect(Date.now() - t0).toBeLessThan(1_000);
      }
      t0 = Date.now();
      expect(await prisma.chatConversation.count()).toBe(0); // reads are not paused
      expect(Date.now() - t0).toBeLessThan(1_000);
    });
    // Lock released: the pause ends at once, and nothing was half-written.
    await prisma.chatConversation.create(conversation('after'));
    expect((await db.prisma.chatConversation.findMany()).map((c) => c.title)).toEqual(['after']);
  }, 30_000);
});

describe('pausingWrites on PostgreSQL', () => {
  it('leaves the client as it is: refusals are fast, and a pause would outlast the outage', async () => {
    const prisma = createPrismaClient('postgresql://quillflow:x@127.0.0.1:1/none?schema=public');
    try {
      expect(pausingWrites(prisma)).toBe(prisma);
    } finally {
      await prisma.$disconnect();
    }
  });
});
