import { Prisma, type Batch } from '../../prisma/client';
import type { BatchSpec } from '../../common/batch-items';
import { parseReport, rowProgress, specSummary } from './batch.serializers';

/** Batches closed before budget reservations have no reservedUsd/overshootUsd: the API supplies them. */
describe('batch serializers: reserved and overshoot of older batches', () => {
  const row: Batch = {
    id: 'batch-1',
    workflowId: 'batch-1',
    status: 'stopped',
    totalItems: 10,
    completed: 4,
    failed: 0,
    cancelled: 0,
    concurrency: 5,
    budgetUsd: new Prisma.Decimal('0.002'),
    spentUsd: new Prisma.Decimal('0.0024'),
    totalTokens: 900,
    stopReason: 'budget',
    origin: 'api',
    spec: '{}',
    report: null,
    correlationId: 'c',
    createdAt: new Date(0),
    finishedAt: null,
    updatedAt: new Date(0),
  };

  it('a row without a report: nothing reserved, overshoot = spent - budget', () => {
    expect(rowProgress(row)).toMatchObject({
      costUsd: '0.002400',
      budgetUsd: '0.002000',
      reservedUsd: '0.000000',
      overshootUsd: '0.000400',
    });
    expect(rowProgress({ ...row, budgetUsd: null })).toMatchObject({
      reservedUsd: '0.000000',
      overshootUsd: '0.000000',
    });
  });

  it('an old report gets the fields, a new one keeps its own', () => {
    const old = { costUsd: '0.242843', budgetUsd: '0.000001', state: 'stopped' };
    expect(parseReport({ report: JSON.stringify(old) })).toMatchObject({
      reservedUsd: '0.000000',
      overshootUsd: '0.242842',
    });
    const now = { ...old, costUsd: '0.000000', reservedUsd: '0.000000', overshootUsd: '0.000000' };
    expect(parseReport({ report: JSON.stringify(now) })).toMatchObject({
      overshootUsd: '0.000000',
    });
    expect(parseReport({ report: null })).toBeNull();
  });
});

describe('batch serializers: the spec summary', () => {
  const spec = {
    source: { kind: 'pairs', pairs: [{ primaryCharacter: 'A', secondaryCharacter: 'B' }] },
    frameworks: ['langchain'],
    concurrency: 2,
  } as const satisfies Omit<BatchSpec, 'itemMode'>;

  it('says the item mode; a spec from before the modes ran child runs', () => {
    expect(specSummary({ ...spec, itemMode: 'activity' }).itemMode).toBe('activity');
    expect(specSummary({ ...spec, itemMode: 'workflow' }).itemMode).toBe('workflow');
    expect(specSummary({ ...spec, frameworks: [...spec.frameworks] }).itemMode).toBe('workflow');
  });
});
