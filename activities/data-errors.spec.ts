import { ApplicationFailure } from '@temporalio/common';
import { Prisma } from '../prisma/client';
import { createTestDatabase, type TestDatabase } from '../test/support/test-db';
import {
  DATABASE_DATA_ERROR,
  failingForGoodOnDataErrors,
  isDatabaseDataError,
} from './data-errors';

/** A database write that would be refused on every retry fails for good; an outage stays retryable. */
describe('failingForGoodOnDataErrors', () => {
  let pg: TestDatabase;
  beforeAll(async () => {
    pg = await createTestDatabase('postgresql');
  });
  afterAll(() => pg?.drop());

  const failureOf = (p: Promise<unknown>) =>
    p.then(
      () => undefined,
      (e: unknown) => e,
    );
  const known = (code: string, meta?: Record<string, unknown>) =>
    new Prisma.PrismaClientKnownRequestError(
      'Invalid `prisma.story.create()` invocation:\n\nboom',
      {
        code,
        clientVersion: 'test',
        meta,
      },
    );

  it('PostgreSQL refuses a name longer than its column: non-retryable, naming the activity and why', async () => {
    const acts = failingForGoodOnDataErrors({
      // A real write on a real client: batches.id is VARCHAR(100), as stories' character names
      // are (MAX_CHARACTER_LENGTH is capped at 100 for them; this is the safety net).
      persistStory: async () =>
        pg.prisma.batch.create({
          data: {
            id: 'b'.repeat(150),
            workflowId: 'w',
            totalItems: 1,
            concurrency: 1,
            spec: '{}',
            correlationId: 'c',
          },
        }),
    });
    const err = await failureOf(acts.persistStory());
    expect(err).toBeInstanceOf(ApplicationFailure);
    expect(err).toMatchObject({
      nonRetryable: true,
      type: DATABASE_DATA_ERROR,
      message:
        'persistStory: the database refused the data (P2000), and would on every retry: value too long for type character varying(100)',
    });
  });

  it("a value the schema refuses (a fabricated P2000 without the driver's words): the last line of the message", async () => {
    const acts = failingForGoodOnDataErrors({
      persistStory: async () => {
        throw known('P2000');
      },
    });
    expect(await failureOf(acts.persistStory())).toMatchObject({
      nonRetryable: true,
      message:
        'persistStory: the database refused the data (P2000), and would on every retry: boom',
    });
  });

  it('an outage, a unique violation or any other error is rethrown as it is (retried)', async () => {
    for (const e of [known('P1001'), known('P2002'), known('P2025'), new Error('socket hang up')]) {
      expect(isDatabaseDataError(e)).toBe(false);
      const acts = failingForGoodOnDataErrors({
        openBatch: async () => {
          throw e;
        },
      });
      expect(await failureOf(acts.openBatch())).toBe(e);
    }
  });
});
