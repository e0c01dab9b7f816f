import { ApplicationFailure } from '@temporalio/common';
import { DEFAULT_PRICING_TABLE } from '../../common/pricing';
import { createTestDatabase, type TestDatabase } from '../../test/support/test-db';
import type { ActivityDeps } from '../deps';
import { closeLostAttempts } from './audit';
import type { CallContext } from './call-context';
import { auditedLlmCall } from './llm-call';
import { offlineProviderConfig, quietLogger } from '../../test/support/activity-deps';

/** The audit row of every attempt, billed failures included, on a real (SQLite) database. */
describe('auditedLlmCall', () => {
  let db: TestDatabase;
  let deps: ActivityDeps;
  let attempt = 0;
  const ctx = (): CallContext => ({
    correlationId: 'c-1',
    origin: 'api',
    workflowId: 'story-1',
    runId: 'r-1',
    workflowType: 'storyWorkflow',
    activityId: '1',
    activityType: 'generateLangChain',
    attempt,
    heartbeat: () => undefined,
    heartbeatDetails: () => undefined,
  });
  const meta = { step: 'story', framework: 'langchain', callIndex: 0 };
  const rowOf = (n: number) =>
    db.prisma.llmCallAttempt.findUniqueOrThrow({ where: { attemptKey: `story-1/r-1/1/${n}/0` } });

  beforeAll(async () => {
    db = await createTestDatabase('sqlite');
    deps = {
      config: offlineProviderConfig(),
      pricing: DEFAULT_PRICING_TABLE,
      logger: quietLogger,
      prisma: db.prisma,
      promptsDir: '',
    } as unknown as ActivityDeps;
  });
  afterAll(async () => {
    await db?.drop();
  });
  beforeEach(() => {
    attempt++;
  });

  it('a success is one row, pending while the call runs, with tokens and cost after it', async () => {
    let during: unknown;
    const r = await auditedLlmCall(deps, ctx(), meta, async () => {
      during = (await rowOf(attempt)).outcome;
      return { text: 'Once upon a time', inputTokens: 1000, outputTokens: 1000 };
    });
    expect(during).toBe('pending');
    expect(r.costUsd).toBe('0.002000');
    expect(await db.prisma.llmCallAttempt.count({ where: { attempt } })).toBe(1);
    const row = await rowOf(attempt);
    expect(row).toMatchObject({
      outcome: 'success',
      attempt,
      inputTokens: 1000,
      outputTokens: 1000,
      totalTokens: 2000,
    });
    expect(row.costUsd.toFixed(6)).toBe('0.002000');
    expect(row.latencyMs).toBeGreaterThan(0);
  });

  it('a response the provider billed but we refuse is an error row that keeps its tokens and cost', async () => {
    const err = await auditedLlmCall(deps, ctx(), meta, async () => ({
      text: '  ',
      inputTokens: 400,
      outputTokens: 0,
    })).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApplicationFailure);
    expect((err as ApplicationFailure).type).toBe('ProviderEmptyCompletion');
    expect((err as ApplicationFailure).nonRetryable).toBe(false);
    const row = await rowOf(attempt);
    expect(row).toMatchObject({
      outcome: 'error',
      errorType: 'ProviderEmptyCompletion',
      inputTokens: 400,
      totalTokens: 400,
    });
    expect(row.costUsd.toFixed(6)).toBe('0.000200');
  });

  it('a provider error is an error row without cost', async () => {
    const err = Object.assign(new Error('boom'), { status: 500 });
    await expect(
      auditedLlmCall(deps, ctx(), meta, async () => Promise.reject(err)),
    ).rejects.toBeInstanceOf(ApplicationFailure);
    const row = await rowOf(attempt);
    expect(row).toMatchObject({
      outcome: 'error',
      errorType: 'ProviderServerError',
      httpStatus: 500,
      inputTokens: 0,
    });
    expect(row.costUsd.toFixed(6)).toBe('0.000000');
  });

  it('an attempt that never reports stays pending, is marked lost when the run goes on, and a late report still fills it in', async () => {
    const died = attempt;
    // The worker "dies" mid-call: the call never returns within this test.
    let finish!: (v: { text: string; inputTokens: number; outputTokens: number }) => void;
    const late = auditedLlmCall(
      deps,
      ctx(),
      meta,
      () => new Promise((resolve) => (finish = resolve)),
    );
    await waitForRow(died);
    expect((await rowOf(died)).outcome).toBe('pending');

    expect(await closeLostAttempts(db.prisma, 'story-1')).toBe(1);
    expect(await rowOf(died)).toMatchObject({ outcome: 'lost', errorType: 'AttemptLost' });
    expect(await closeLostAttempts(db.prisma, 'story-1')).toBe(0);

    // A zombie attempt (timed out, but its worker alive) reports after all: its real outcome wins.
    finish({ text: 'Late but paid', inputTokens: 10, outputTokens: 5 });
    await late;
    expect(await rowOf(died)).toMatchObject({
      outcome: 'success',
      errorType: null,
      errorMessage: null,
      inputTokens: 10,
    });
  });

  async function waitForRow(n: number): Promise<void> {
    for (let i = 0; i < 100; i++) {
      if (await db.prisma.llmCallAttempt.count({ where: { attemptKey: `story-1/r-1/1/${n}/0` } }))
        return;
      await new Promise((r) => setTimeout(r, 10));
    }
    throw new Error(`no row for attempt ${n}`);
  }
});
