import type { BatchSpec } from '../common/batch-items';
import { BatchLedger } from './batch-ledger';

describe('BatchLedger', () => {
  const spec: BatchSpec = {
    source: { kind: 'generate', count: 5, primaryNames: ['Ann', 'Ben'], secondaryNames: ['Cat', 'Dan'] },
    frameworks: ['langchain'],
    concurrency: 2,
    budgetUsd: '0.010000',
  };
  const t0 = Date.parse('2026-01-01T00:00:00Z');

  it('counts, prices, queues retries first and survives a carry', () => {
    const l = new BatchLedger('batch-x', spec, t0);
    const a = l.take();
    const b = l.take();
    l.running.delete(a);
    l.onCompleted(a, '0.004000', 10);
    l.running.delete(b);
    l.onFailed(b, 'ProviderServerError: boom');
    expect(l.progress('running', t0 + 10_000)).toMatchObject({ completed: 1, failed: 1, running: 0, pending: 3, costUsd: '0.004000', etaSeconds: 15 });
    expect(l.queueRetries()).toBe(1);
    expect(l.take()).toBe(b); // the retry goes first
    expect(l.take()).toBe(2);

    const next = new BatchLedger('batch-x', spec, t0 + 20_000, { ...l.carry() });
    expect(next.runs).toBe(2);
    expect(next.cursor).toBe(3);
    expect(next.progress('running', t0 + 20_000)).toMatchObject({ completed: 1, failed: 0, startedAt: '2026-01-01T00:00:00.000Z' });
  });

  it('the budget counts the larger of finished stories and the audit trail', () => {
    const l = new BatchLedger('batch-x', spec, t0);
    l.onCompleted(l.take(), '0.006000', 1);
    expect(l.budgetReached()).toBe(false);
    l.auditedCostUsd = '0.011000';
    expect(l.budgetReached()).toBe(true);
    expect(l.spent()).toBe('0.011000');
  });

  it('the report names every item that did not finish', () => {
    const l = new BatchLedger('batch-x', spec, t0);
    l.onFailed(l.take(), 'x');
    l.stopReason = 'budget';
    expect(l.report('stopped', t0 + 61_000)).toMatchObject({
      state: 'stopped',
      stopReason: 'budget',
      notStarted: 4,
      durationSeconds: 61,
      failedItems: [{ index: 0, workflowId: 'batch-x/item-0', primaryCharacter: 'Ann', secondaryCharacter: 'Cat', framework: 'langchain' }],
    });
  });
});
