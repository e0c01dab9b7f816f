import type { BatchSpec } from '../../common/batch-items';
import { loadConfig } from '../../common/config';
import { DEFAULT_PRICING_TABLE } from '../../common/pricing';
import { createTestDatabase, type TestDatabase } from '../../test/support/test-db';
import { BatchLedger } from '../../workflows/batch-ledger';
import type { ActivityDeps } from '../deps';
import { batchRecords, repeatedCallsCostUsd } from './batch-records';

/** The batch row's writes are idempotent and the checkpoint reads the audit trail's spend. */
describe('batch records (SQLite)', () => {
  let db: TestDatabase;
  let acts: ReturnType<typeof batchRecords>;
  const spec: BatchSpec = {
    source: { kind: 'generate', count: 3, primaryNames: ['Ann', 'Ben'], secondaryNames: ['Cat'] },
    frameworks: ['langchain'],
    concurrency: 2,
    budgetUsd: '1.000000',
  };
  beforeAll(async () => {
    db = await createTestDatabase('sqlite');
    const logger = { info: () => undefined, warn: () => undefined, error: () => undefined };
    acts = batchRecords({
      prisma: db.prisma,
      config: loadConfig({}),
      logger,
      pricing: DEFAULT_PRICING_TABLE,
      promptsDir: '',
    } as unknown as ActivityDeps);
  });
  afterAll(() => db?.drop());

  it('opens once, checkpoints counters, sums the audit trail and stores the report', async () => {
    const open = {
      batchId: 'batch-t1',
      spec,
      totalItems: 3,
      origin: 'api',
      correlationId: 'c-1',
      reopen: false,
    };
    await acts.openBatch(open);
    await acts.openBatch(open);
    expect(await db.prisma.batch.count({ where: { id: 'batch-t1' } })).toBe(1);

    for (const [i, cost] of [
      ['1', '0.001250'],
      ['2', '0.000750'],
    ] as const) {
      await db.prisma.llmCallAttempt.create({
        data: {
          attemptKey: `k${i}`,
          workflowId: `batch-t1/item-${i}`,
          runId: 'r',
          workflowType: 'storyWorkflow',
          activityId: '1',
          activityType: 'generateLangChain',
          attempt: 1,
          step: 'story',
          framework: 'langchain',
          provider: 'simulator',
          model: 'm',
          costUsd: cost,
          latencyMs: 1,
          outcome: 'success',
          correlationId: 'c-1',
          batchId: 'batch-t1',
        },
      });
    }
    const ledger = new BatchLedger('batch-t1', spec, Date.parse('2026-01-01T00:00:00Z'));
    ledger.onCompleted(ledger.take(), '0.001250', 100);
    const r = await acts.checkpointBatch({
      batchId: 'batch-t1',
      progress: ledger.progress('running', Date.parse('2026-01-01T00:00:10Z')),
    });
    expect(r.auditedCostUsd).toBe('0.002000');
    const row = await db.prisma.batch.findUniqueOrThrow({ where: { id: 'batch-t1' } });
    expect(row).toMatchObject({ status: 'running', completed: 1, totalTokens: 100 });

    ledger.onFailed(ledger.take(), 'ProviderBadRequest: no');
    await acts.finishBatch(ledger.report('stopped', Date.parse('2026-01-01T00:01:00Z')));
    const done = await db.prisma.batch.findUniqueOrThrow({ where: { id: 'batch-t1' } });
    expect(done).toMatchObject({ status: 'stopped', completed: 1, failed: 1 });
    expect(JSON.parse(done.report!).failedItems[0]).toMatchObject({
      index: 1,
      workflowId: 'batch-t1/item-1',
      primaryCharacter: 'Ben',
    });
    expect(await acts.findItemStory({ workflowId: 'batch-t1/item-0' })).toEqual({
      found: false,
      costUsd: '0.000000',
      totalTokens: 0,
    });
  });

  it("counts calls paid more than once: every success of an item's call but the latest", async () => {
    const at = (s: number) => new Date(Date.parse('2026-01-01T00:00:00Z') + s * 1000);
    const rows: Array<
      [
        item: number,
        callIndex: number,
        attempt: number,
        outcome: string,
        cost: string,
        startedS: number,
      ]
    > = [
      [0, 0, 1, 'success', '0.001000', 1], // paid, then its result died with the worker
      [0, 0, 2, 'success', '0.002000', 20], // the story kept this one
      [0, 1, 1, 'success', '0.000500', 30],
      [1, 0, 1, 'error', '0.000000', 2],
      [1, 0, 2, 'success', '0.000700', 5],
      [2, 0, 1, 'success', '0.000300', 3],
      [2, 0, 2, 'lost', '0.000000', 15],
      [2, 0, 3, 'success', '0.000400', 25],
      [2, 0, 4, 'success', '0.000450', 26],
    ];
    for (const [item, callIndex, attempt, outcome, cost, startedS] of rows) {
      await db.prisma.llmCallAttempt.create({
        data: {
          attemptKey: `rep-${item}-${callIndex}-${attempt}`,
          workflowId: `batch-t2/item-${item}`,
          runId: 'r',
          workflowType: 'storyWorkflow',
          activityId: '1',
          activityType: 'generateLangChain',
          attempt,
          callIndex,
          step: 'story',
          framework: 'langchain',
          provider: 'simulator',
          model: 'm',
          costUsd: cost,
          latencyMs: 1,
          outcome,
          correlationId: 'c-2',
          batchId: 'batch-t2',
          createdAt: at(startedS),
        },
      });
    }
    await acts.openBatch({
      batchId: 'batch-t2',
      spec,
      totalItems: 3,
      origin: 'api',
      correlationId: 'c-2',
      reopen: false,
    });
    const ledger = new BatchLedger('batch-t2', spec, Date.parse('2026-01-01T00:00:00Z'));
    const r = await acts.checkpointBatch({
      batchId: 'batch-t2',
      progress: ledger.progress('running', Date.parse('2026-01-01T00:01:00Z')),
    });
    // Item 0 call 0 paid 0.001000 for nothing; item 2 paid 0.000300 + 0.000400 before the answer it kept.
    expect(r).toMatchObject({ auditedCostUsd: '0.005350', repeatedCostUsd: '0.001700' });
    expect(await repeatedCallsCostUsd(db.prisma, 'batch-none')).toBe('0.000000');
  });
});
