import { Prisma, createPrismaClient, type PrismaClient } from './client';
import Database from 'better-sqlite3';
import { sqliteFilePath } from './database-url';
import { createTestDatabase, type TestDatabase, whileSqliteLocked } from '../test/support/test-db';
import type { DatabaseProvider } from './database-url';

// PostgreSQL runs when TEST_POSTGRES_URL is set and shows up as skipped otherwise.
const describeFor = (kind: DatabaseProvider) =>
  kind === 'postgresql' && !process.env.TEST_POSTGRES_URL ? describe.skip : describe;

function storyData(workflowId: string, cost?: string): Prisma.StoryCreateInput {
  return {
    primaryCharacter: 'Ada',
    secondaryCharacter: 'Grace',
    combinedCharacters: 'Ada and Grace',
    storyContent: 'Once upon a time...',
    method: 'langgraph',
    correlationId: 'tx-1',
    workflowId,
    estimatedCostUsd: cost === undefined ? undefined : new Prisma.Decimal(cost),
  };
}

describe.each<DatabaseProvider>(['sqlite', 'postgresql'])('Prisma client on %s', (kind) => {
  describeFor(kind)(kind, () => {
    let db: TestDatabase;
    let prisma: PrismaClient;

    beforeAll(async () => {
      db = await createTestDatabase(kind);
      prisma = db.prisma;
    });
    afterAll(async () => {
      await db?.drop();
    });

    it('creates, reads, updates and deletes a Story with exact Decimal costs', async () => {
      const created = await prisma.story.create({ data: storyData('wf-crud', '0.000123') });
      expect(created.origin).toBe('api');
      expect(created.llmCalls).toBe(1);
      expect(created.createdAt).toBeInstanceOf(Date);

      const read = await prisma.story.findUniqueOrThrow({ where: { workflowId: 'wf-crud' } });
      expect(read.estimatedCostUsd).toBeInstanceOf(Prisma.Decimal);
      expect(read.estimatedCostUsd?.toString()).toBe('0.000123');
      expect(read.estimatedCostUsd?.equals('0.000123')).toBe(true);

      // The largest value Decimal(14, 6) holds, and a sum that floats get wrong (0.1 + 0.2).
      const big = await prisma.story.update({
        where: { id: created.id },
        data: {
          estimatedCostUsd: new Prisma.Decimal('99999999.999999'),
          inputCostPer1kTokens: '0.3',
        },
      });
      expect(big.estimatedCostUsd?.toFixed(6)).toBe('99999999.999999');
      const sum = big.inputCostPer1kTokens?.plus('0.1').plus('0.2');
      expect(sum?.toString()).toBe('0.6');

      await prisma.story.delete({ where: { id: created.id } });
      expect(await prisma.story.findUnique({ where: { id: created.id } })).toBeNull();
    });

    it('enforces a unique workflowId', async () => {
      await prisma.story.create({ data: storyData('wf-unique') });
      const duplicate = prisma.story.create({ data: storyData('wf-unique') });
      await expect(duplicate).rejects.toBeInstanceOf(Prisma.PrismaClientKnownRequestError);
      await expect(duplicate).rejects.toMatchObject({ code: 'P2002' });
      expect(await prisma.story.count({ where: { workflowId: 'wf-unique' } })).toBe(1);
    });

    async function conversationWithMessages(workflowId: string): Promise<number> {
      const conversation = await prisma.chatConversation.create({
        data: {
          title: 'Chat',
          method: 'openai',
          correlationId: 'tx-chat',
          workflowId,
          messages: {
            create: [
              { role: 'user', content: 'Hi', correlationId: 'tx-chat' },
              {
                role: 'assistant',
                content: 'Hello',
                correlationId: 'tx-chat',
                estimatedCostUsd: '0.000001',
              },
            ],
          },
        },
      });
      expect(await prisma.chatMessage.count({ where: { conversationId: conversation.id } })).toBe(
        2,
      );
      return conversation.id;
    }

    it('deletes the messages of a deleted conversation in the database (delete)', async () => {
      const id = await conversationWithMessages('wf-chat-delete');
      await prisma.chatConversation.delete({ where: { id } });
      expect(await prisma.chatMessage.count({ where: { conversationId: id } })).toBe(0);
    });

    it('deletes the messages of deleted conversations in the database (deleteMany)', async () => {
      const first = await conversationWithMessages('wf-chat-many-1');
      const second = await conversationWithMessages('wf-chat-many-2');
      const keep = await conversationWithMessages('wf-chat-keep');
      const { count } = await prisma.chatConversation.deleteMany({
        where: { id: { in: [first, second] } },
      });
      expect(count).toBe(2);
      expect(
        await prisma.chatMessage.count({ where: { conversationId: { in: [first, second] } } }),
      ).toBe(0);
      expect(await prisma.chatMessage.count({ where: { conversationId: keep } })).toBe(2);
    });

    it('rejects a message for a conversation that does not exist', async () => {
      const orphan = prisma.chatMessage.create({
        data: { conversationId: 999_999, role: 'user', content: 'x', correlationId: 'tx' },
      });
      await expect(orphan).rejects.toBeInstanceOf(Prisma.PrismaClientKnownRequestError);
    });

    it('runs interactive transactions and rolls them back on error', async () => {
      await expect(
        prisma.$transaction(async (tx) => {
          await tx.story.create({ data: storyData('wf-tx') });
          throw new Error('abort');
        }),
      ).rejects.toThrow('abort');
      expect(await prisma.story.count({ where: { workflowId: 'wf-tx' } })).toBe(0);
    });

    if (kind === 'sqlite') {
      it('sets the SQLite pragmas on its connection', async () => {
        const [journal] =
          await prisma.$queryRawUnsafe<Array<{ journal_mode: string }>>('PRAGMA journal_mode');
        const [fk] =
          await prisma.$queryRawUnsafe<Array<{ foreign_keys: bigint | number }>>(
            'PRAGMA foreign_keys',
          );
        const [busy] =
          await prisma.$queryRawUnsafe<Array<{ timeout: bigint | number }>>('PRAGMA busy_timeout');
        expect(journal?.journal_mode).toBe('wal');
        expect(Number(fk?.foreign_keys)).toBe(1);
        expect(Number(busy?.timeout)).toBe(5000);
      });

      it('keeps working after a transaction could not get the write lock in time', async () => {
        // Another process holds the lock past busy_timeout: the transaction fails (it cannot
        // write), and the next one, once the lock is free, runs; none waits forever.
        const within = <T>(p: Promise<T>, what: string): Promise<T> =>
          Promise.race([
            p,
            new Promise<T>((_, reject) =>
              setTimeout(() => reject(new Error(`${what}: still waiting after 15 s`)), 15_000),
            ),
          ]);
        await whileSqliteLocked(db.url, async () => {
          const refused = await within(
            prisma
              .$transaction(async (tx) => tx.story.create({ data: storyData('wf-busy-1') }))
              .then(
                () => undefined,
                (e: unknown) => e,
              ),
            'the transaction during the lock',
          );
          expect(refused).toBeInstanceOf(Error);
        });
        await within(
          prisma.$transaction(async (tx) => tx.story.create({ data: storyData('wf-busy-2') })),
          'the transaction after the lock',
        );
        expect(
          await prisma.story.count({ where: { workflowId: { in: ['wf-busy-1', 'wf-busy-2'] } } }),
        ).toBe(1);
      }, 40_000);

      it('holds the write lock from the start of a transaction, so a read-then-write never meets a stale snapshot', async () => {
        // Another process's connection, not waiting for locks, writes while our transaction
        // has only read. With a deferred BEGIN that write succeeds and our later write fails
        // with SQLITE_BUSY_SNAPSHOT; with BEGIN IMMEDIATE the other writer is the one refused.
        const other = new Database(sqliteFilePath(db.url), { timeout: 0 });
        const otherWrite = (id: string): void => {
          other
            .prepare(`UPDATE stories SET story_content = ? WHERE workflow_id = ?`)
            .run(id, 'wf-lock');
        };
        try {
          await prisma.story.create({ data: storyData('wf-lock') });
          const refused: unknown[] = [];
          await prisma.$transaction(async (tx) => {
            await tx.story.count();
            try {
              otherWrite('other');
            } catch (err) {
              refused.push(err);
            }
            await tx.story.update({
              where: { workflowId: 'wf-lock' },
              data: { storyContent: 'ours' },
            });
          });
          expect(refused).toHaveLength(1);
          expect(refused[0]).toMatchObject({ code: 'SQLITE_BUSY' });
          otherWrite('after'); // the lock is released with the commit
          const row = await prisma.story.findUniqueOrThrow({ where: { workflowId: 'wf-lock' } });
          expect(row.storyContent).toBe('after');
        } finally {
          other.close();
        }
      });
    }
  });
});

describe('createPrismaClient', () => {
  it('rejects URLs of other databases', () => {
    expect(() => createPrismaClient('mysql://localhost/db')).toThrow(/Unsupported database URL/);
  });
});
