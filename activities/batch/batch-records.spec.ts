import type { BatchSpec } from '../../common/batch-items';
import { loadConfig } from '../../common/config';
import { DEFAULT_PRICING_TABLE } from '../../common/pricing';
import { createTestDatabase, type TestDatabase } from '../../prisma/test-db';
import { BatchLedger } from '../../workflows/batch-ledger';
import type { ActivityDeps } from '../deps';
import { batchRecords } from './batch-records';

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
    acts = batchRecords({ prisma: db.prisma, config: loadConfig({}), logger, pricing: DEFAULT_PRICING_TABLE, promptsDir: '' } as unknown as ActivityDeps);
  });
  afterAll(() => db?.drop());

  it('opens once, checkpoints counters, sums the audit trail and stores the report', async () => {
    const open = { batchId: 'batch-t1', spec, totalItems: 3, origin: 'api', correlationId: 'c-1', reopen: false };
    await acts.openBatch(open);
    await acts.openBatch(open);
    expect(await db.prisma.batch.count({ where: { id: 'batch-t1' } })).toBe(1);

    for (const [i, cost] of [['1', '0.001250'], ['2', '0.000750']] as const) {
      await db.prisma.llmCallAttempt.create({
        data: {
          attemptKey: `k${i}`, workflowId: `batch-t1/item-${i}`, runId: 'r', workflowType: 'storyWorkflow', activityId: '1',
          activityType: 'generateLangChain', attempt: 1, step: 'story', framework: 'langchain', provider: 'simulator',
          model: 'm', costUsd: cost, latencyMs: 1, outcome: 'success', transactionGuid: 'c-1', batchId: 'batch-t1',
        },
      });
    }
    const ledger = new BatchLedger('batch-t1', spec, Date.parse('2026-01-01T00:00:00Z'));
    ledger.onCompleted(ledger.take(), '0.001250', 100);
    const r = await acts.checkpointBatch({ batchId: 'batch-t1', progress: ledger.progress('running', Date.parse('2026-01-01T00:00:10Z')) });
    expect(r.auditedCostUsd).toBe('0.002000');
    const row = await db.prisma.batch.findUniqueOrThrow({ where: { id: 'batch-t1' } });
    expect(row).toMatchObject({ status: 'running', completed: 1, totalTokens: 100 });

    ledger.onFailed(ledger.take(), 'ProviderBadRequest: no');
    await acts.finishBatch(ledger.report('stopped', Date.parse('2026-01-01T00:01:00Z')));
    const done = await db.prisma.batch.findUniqueOrThrow({ where: { id: 'batch-t1' } });
    expect(done).toMatchObject({ status: 'stopped', completed: 1, failed: 1 });
    expect(JSON.parse(done.report!).failedItems[0]).toMatchObject({ index: 1, workflowId: 'batch-t1/item-1', primaryCharacter: 'Ben' });
    expect(await acts.findItemStory({ workflowId: 'batch-t1/item-0' })).toEqual({ found: false, costUsd: '0.000000', totalTokens: 0 });
  });
});
