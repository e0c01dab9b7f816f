import type { BatchSpec } from '../common/batch-items';
import { BatchLedger } from './batch-ledger';

describe('BatchLedger', () => {
  const spec: BatchSpec = {
    source: {
      kind: 'generate',
      count: 5,
      primaryNames: ['Ann', 'Ben'],
      secondaryNames: ['Cat', 'Dan'],
    },
    frameworks: ['langchain'],
    concurrency: 2,
    budgetUsd: '0.010000',
  };
  const t0 = Date.parse('2026-01-01T00:00:00Z');

  it('shrinks its window while the provider sends 429s and grows it back after, across a carry', () => {
    const l = new BatchLedger('batch-x', { ...spec, concurrency: 100, budgetUsd: undefined }, t0);
    expect(l.progress('running', t0).provider).toBeUndefined();
    for (let i = 0; i < 60; i++) l.take();
    l.onProviderAnswers({ callsPerMinute: 600, rateLimitedCalls: 40 });
    expect(l.window()).toBe(42); // 70% of the 60 running
    l.onProviderAnswers({ callsPerMinute: 600, rateLimitedCalls: 50 });
    expect(l.window()).toBe(29);
    expect(l.progress('running', t0).provider).toEqual({
      callsPerMinute: 600,
      rateLimitedCalls: 50,
      throttled: true,
      window: 29,
    });
    const next = new BatchLedger('batch-x', l.spec, t0, l.carry());
    expect(next.window()).toBe(29);
    const windows: number[] = [];
    while (next.window() < 100) {
      next.onProviderAnswers({ callsPerMinute: 600, rateLimitedCalls: 0 });
      windows.push(next.window());
    }
    expect(windows).toEqual([38, 49, 63, 80, 100]);
    expect(next.providerPace()).toMatchObject({ throttled: false, window: 100 });
    expect(next.carry().throttledWindow).toBeUndefined();
  });

  it('occasional 429s (under a quarter of the tries lately) leave the window alone', () => {
    const l = new BatchLedger('batch-x', { ...spec, concurrency: 100, budgetUsd: undefined }, t0);
    for (let i = 0; i < 60; i++) l.take();
    // 100 answered in the last 10 s (600/min), 30 refused: 23% of the tries.
    l.onProviderAnswers({ callsPerMinute: 600, rateLimitedCalls: 30 });
    expect(l.window()).toBe(100);
    // Still throttled, as far as anyone watching cares: calls are waiting out 429s.
    expect(l.providerPace()).toMatchObject({ throttled: true, rateLimitedCalls: 30, window: 100 });
    // 34 refused: 25%, and the window backs off.
    l.onProviderAnswers({ callsPerMinute: 600, rateLimitedCalls: 34 });
    expect(l.window()).toBe(42);
  });

  it('counts, prices, queues retries first and survives a carry', () => {
    const l = new BatchLedger('batch-x', spec, t0);
    const a = l.take();
    const b = l.take();
    l.running.delete(a);
    l.onCompleted(a, '0.004000', 10);
    l.running.delete(b);
    l.onFailed(b, 'ProviderServerError: boom');
    expect(l.progress('running', t0 + 10_000)).toMatchObject({
      completed: 1,
      failed: 1,
      running: 0,
      pending: 3,
      costUsd: '0.004000',
      etaSeconds: 15,
    });
    expect(l.queueRetries()).toBe(1);
    expect(l.take()).toBe(b); // the retry goes first
    expect(l.take()).toBe(2);

    const next = new BatchLedger('batch-x', spec, t0 + 20_000, { ...l.carry() });
    expect(next.runs).toBe(2);
    expect(next.cursor).toBe(3);
    expect(next.progress('running', t0 + 20_000)).toMatchObject({
      completed: 1,
      failed: 0,
      startedAt: '2026-01-01T00:00:00.000Z',
    });
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
      failedItems: [
        {
          index: 0,
          workflowId: 'batch-x/item-0',
          primaryCharacter: 'Ann',
          secondaryCharacter: 'Cat',
          framework: 'langchain',
        },
      ],
    });
  });

  describe('budget reservations', () => {
    // Items alternate langchain (worst case 0.003) and langgraph (0.010).
    const budgeted = (budgetUsd: string, count = 10): BatchSpec => ({
      source: {
        kind: 'generate',
        count,
        primaryNames: ['Ann', 'Ben'],
        secondaryNames: ['Cat', 'Dan'],
      },
      frameworks: ['langchain', 'langgraph'],
      concurrency: 500,
      budgetUsd,
    });
    const reserving = (budgetUsd: string, count?: number) => {
      const l = new BatchLedger('batch-r', budgeted(budgetUsd, count), t0);
      l.itemWorstCaseUsd = { langchain: '0.003000', langgraph: '0.010000' };
      return l;
    };
    /** Starts items while the next one fits, as the workflow's driver does. */
    const startWhileFits = (l: BatchLedger, window = 500) => {
      const started: number[] = [];
      while (l.running.size < window && l.hasWork() && l.fits(l.peek())) started.push(l.take());
      return started;
    };

    it('an item fits only when its worst case fits in budget - spent - reservations', () => {
      const l = reserving('0.013000');
      expect(l.fits(0)).toBe(true);
      expect(l.take()).toBe(0); // langchain: 0.003 reserved
      expect(l.fits(1)).toBe(true); // langgraph: 0.003 + 0.010 = budget exactly
      expect(l.take()).toBe(1);
      expect(l.reservedUsd()).toBe('0.013000');
      expect(l.fits(2)).toBe(false); // 0.003 more does not fit
      expect(l.progress('running', t0)).toMatchObject({
        reservedUsd: '0.013000',
        costUsd: '0.000000',
        overshootUsd: '0.000000',
      });
    });

    it('a window larger than the remainder starts fewer items', () => {
      const l = reserving('0.030000');
      // 0.003 + 0.010 + 0.003 + 0.010 + 0.003 = 0.029 of a window of 500; the next langgraph would make 0.039
      expect(startWhileFits(l)).toEqual([0, 1, 2, 3, 4]);
      expect(startWhileFits(l)).toEqual([]); // still nothing until an item finishes
      expect(l.reservedUsd()).toBe('0.029000');
    });

    it('a completed item frees its reservation and counts its real cost; more items then fit', () => {
      const l = reserving('0.020000');
      expect(startWhileFits(l)).toEqual([0, 1, 2]); // 0.016
      l.running.delete(1);
      l.onCompleted(1, '0.001500', 100);
      expect(l.settledUsd).toBe('0.001500');
      expect(l.reservedUsd()).toBe('0.006000');
      expect(startWhileFits(l)).toEqual([3]); // 0.0075 + 0.010 = 0.0175; then 0.0205 > 0.02
      expect(l.committedUsd()).toBe('0.017500');
    });

    it('a failed or cancelled item counts its worst case until the audit trail settles it', () => {
      const l = reserving('0.020000');
      startWhileFits(l);
      l.running.delete(0);
      l.onFailed(0, 'ProviderServerError: boom');
      l.running.delete(2);
      l.onCancelled(2);
      expect(l.unsettled).toBe(2);
      expect(l.settledUsd).toBe('0.006000');
      l.running.delete(1);
      l.onCompleted(1, '0.002000', 10);
      // Nothing runs: the audit trail's sum (the failed items' real attempts included) replaces the worst cases.
      l.settle('0.002700');
      expect(l.unsettled).toBe(0);
      expect(l.committedUsd()).toBe('0.002700');
      // Never below the finished stories' own costs.
      l.settle('0.000100');
      expect(l.settledUsd).toBe('0.002000');
    });

    it('the audit trail counts when it says more (calls repeated after a crash), and shows as overshoot', () => {
      const l = reserving('0.010000');
      l.onCompleted(l.take(), '0.003000', 10);
      l.auditedCostUsd = '0.012500';
      expect(l.committedUsd()).toBe('0.012500');
      expect(l.fits(l.peek())).toBe(false);
      expect(l.progress('running', t0)).toMatchObject({
        costUsd: '0.012500',
        overshootUsd: '0.002500',
        reservedUsd: '0.000000',
      });
    });

    it('overshoot is the cost of calls paid again, within the budget or past it', () => {
      const l = reserving('0.010000');
      l.onCompleted(l.take(), '0.003000', 10);
      // A result lost with its worker: the call was paid twice, the story kept one of them.
      l.auditedCostUsd = '0.004200';
      l.repeatedCostUsd = '0.001200';
      expect(l.progress('running', t0)).toMatchObject({
        costUsd: '0.004200',
        overshootUsd: '0.001200',
      });
      // What the budget allowed is never more than the budget: spent - overshoot.
      l.auditedCostUsd = '0.011000';
      l.repeatedCostUsd = '0.002000';
      expect(l.progress('running', t0)).toMatchObject({
        costUsd: '0.011000',
        overshootUsd: '0.002000',
      });
      // A batch without reservations (a run from before them) reports the excess only.
      const old = new BatchLedger('batch-x', { ...spec, budgetUsd: '0.010000' }, t0);
      old.auditedCostUsd = '0.004200';
      old.repeatedCostUsd = '0.001200';
      expect(old.progress('running', t0)).toMatchObject({ overshootUsd: '0.000000' });
    });

    it('nothing fits a budget below one item, whatever the window', () => {
      const l = reserving('0.000001', 100);
      expect(startWhileFits(l)).toEqual([]);
      expect(l.progress('running', t0)).toMatchObject({
        reservedUsd: '0.000000',
        costUsd: '0.000000',
      });
    });

    it('without a budget or before the worst cases are known nothing is reserved', () => {
      const l = new BatchLedger('batch-x', { ...spec, budgetUsd: undefined }, t0);
      l.take();
      expect(l.fits(l.peek())).toBe(true);
      expect(l.progress('running', t0)).toMatchObject({
        reservedUsd: '0.000000',
        overshootUsd: '0.000000',
        budgetUsd: null,
      });
      expect(l.carry()).not.toHaveProperty('settledUsd');
    });

    it('the worst cases and the settled spend survive continue-as-new', () => {
      const l = reserving('0.020000');
      startWhileFits(l);
      for (const n of [...l.running]) {
        l.running.delete(n);
        if (n === 1) l.onFailed(n, 'x');
        else l.onCompleted(n, '0.001000', 1);
      }
      l.settle('0.004000'); // the handover's checkpoint: nothing runs
      const carry = l.carry();
      expect(carry).toMatchObject({
        itemWorstCaseUsd: { langchain: '0.003000', langgraph: '0.010000' },
        settledUsd: '0.004000',
      });
      const next = new BatchLedger(
        'batch-r',
        budgeted('0.020000'),
        t0,
        JSON.parse(JSON.stringify(carry)),
      );
      expect(next.committedUsd()).toBe('0.004000');
      expect(next.peek()).toBe(3);
      expect(startWhileFits(next)).toEqual([3, 4]); // 0.004 + 0.010 + 0.003 = 0.017; a langgraph more would be 0.027
    });
  });
});
