import Decimal from 'decimal.js';
import { costQuerySchema, costRangeOf } from '../../common/schemas/cost';
import {
  costByMethod,
  costByModel,
  costSummary,
  costDayRangeWindow,
  costWindow,
  costWindowFor,
  dailyUsage,
  preview,
  recentRequests,
  transactions,
  type CostRecord,
} from './cost-aggregation';

let nextId = 1;
function rec(over: Omit<Partial<CostRecord>, 'cost'> & { cost?: Decimal.Value } = {}): CostRecord {
  const { cost, ...rest } = over;
  return {
    id: nextId++,
    type: 'story',
    method: 'langchain',
    model: 'gpt-4o-mini',
    cost: new Decimal(cost ?? '0.001'),
    inputTokens: 10,
    outputTokens: 20,
    totalTokens: 30,
    createdAt: new Date('2026-03-10T12:00:00Z'),
    correlationId: 'guid',
    requestId: 'req',
    primaryCharacter: 'Alice',
    secondaryCharacter: 'Bob',
    conversationTitle: null,
    content: null,
    generationTimeMs: 12.5,
    ...rest,
  };
}

describe('cost aggregation', () => {
  it('summary sums money exactly (no float drift) and averages', () => {
    // 0.1 + 0.2 in floats is 0.30000000000000004; REAL columns hand such values back.
    const s = costSummary([
      rec({ cost: 0.1 }),
      rec({ cost: 0.2, totalTokens: 15 }),
      rec({ cost: '0.0000005' }),
    ]);
    expect(s).toEqual({
      total_cost_usd: 0.300001,
      total_requests: 3,
      total_tokens: 75,
      average_cost_per_request: 0.1,
      average_tokens_per_request: 25,
    });
    expect(costSummary([])).toEqual({
      total_cost_usd: 0,
      total_requests: 0,
      total_tokens: 0,
      average_cost_per_request: 0,
      average_tokens_per_request: 0,
    });
  });

  it('by_method merges the two Semantic Kernel spellings across tables', () => {
    const rows = costByMethod([
      rec({ method: 'semantic_kernel', cost: '0.002' }),
      rec({ type: 'context', method: 'semantic-kernel', cost: '0.003' }),
      rec({ type: 'chat', method: 'langgraph', cost: '0.001' }),
    ]);
    expect(rows).toEqual([
      {
        method: 'semantic_kernel',
        total_cost_usd: 0.005,
        request_count: 2,
        total_tokens: 60,
        average_cost_per_request: 0.0025,
      },
      {
        method: 'langgraph',
        total_cost_usd: 0.001,
        request_count: 1,
        total_tokens: 30,
        average_cost_per_request: 0.001,
      },
    ]);
  });

  it('by_model skips rows without a model and sorts by cost', () => {
    const rows = costByModel([
      rec({ model: null, cost: 9 }),
      rec({ model: 'a', cost: '0.1' }),
      rec({ model: 'b', cost: '0.2' }),
    ]);
    expect(rows.map((r) => [r.model, r.total_cost_usd])).toEqual([
      ['b', 0.2],
      ['a', 0.1],
    ]);
  });

  it('daily usage covers the whole window, zero-filled, oldest first, context included', () => {
    const now = new Date('2026-03-10T15:00:00Z');
    const w = costWindow(30, now);
    expect(w.dateRange).toBe('2026-02-08 to 2026-03-10');
    const days = dailyUsage(
      [
        rec({ createdAt: new Date('2026-03-10T01:00:00Z'), cost: '0.5' }),
        rec({ type: 'context', createdAt: new Date('2026-03-10T23:00:00Z'), cost: '0.25' }),
        rec({ type: 'chat', createdAt: new Date('2026-02-08T16:00:00Z'), cost: '0.1' }),
      ],
      w,
    );
    expect(days).toHaveLength(31);
    expect(days[0]).toEqual({
      date: '2026-02-08',
      total_cost_usd: 0.1,
      request_count: 1,
      total_tokens: 30,
    });
    expect(days[1]).toEqual({
      date: '2026-02-09',
      total_cost_usd: 0,
      request_count: 0,
      total_tokens: 0,
    });
    expect(days[30]).toEqual({
      date: '2026-03-10',
      total_cost_usd: 0.75,
      request_count: 2,
      total_tokens: 60,
    });
  });

  it('daily usage is not capped at 14 days (365 days = 366 dates)', () => {
    const now = new Date('2026-03-10T00:00:00Z');
    const days = dailyUsage([], costWindow(365, now));
    expect(days).toHaveLength(366);
    expect(days[0].date).toBe('2025-03-10');
    expect(days.at(-1)!.date).toBe('2026-03-10');
    expect(dailyUsage([], costWindow(1, now)).map((d) => d.date)).toEqual([
      '2026-03-09',
      '2026-03-10',
    ]);
  });

  it('a from..to window is whole UTC days, both included, whatever the time now', () => {
    const w = costDayRangeWindow('2026-11-18', '2026-11-24');
    expect(w.start.toISOString()).toBe('2026-11-18T00:00:00.000Z');
    expect(w.end.toISOString()).toBe('2026-11-24T23:59:59.999Z');
    expect(w.dateRange).toBe('2026-11-18 to 2026-11-24');
    expect(
      costWindowFor({ from: '2026-11-18', to: '2026-11-24' }, new Date('2030-01-01T00:00:00Z')),
    ).toEqual(w);
    const days = dailyUsage(
      [
        rec({ createdAt: new Date('2026-11-18T00:00:00.000Z'), cost: '0.1' }),
        rec({ createdAt: new Date('2026-11-24T23:59:59.999Z'), cost: '0.2' }),
      ],
      w,
    );
    expect(days.map((d) => d.date)).toEqual([
      '2026-11-18',
      '2026-11-19',
      '2026-11-20',
      '2026-11-21',
      '2026-11-22',
      '2026-11-23',
      '2026-11-24',
    ]);
    expect([days[0].total_cost_usd, days[6].total_cost_usd]).toEqual([0.1, 0.2]);
  });

  it('a one-day range is that day alone; a leap year is 366 days', () => {
    const one = costDayRangeWindow('2026-03-01', '2026-03-01');
    expect(one.end.getTime() - one.start.getTime()).toBe(86_400_000 - 1);
    expect(dailyUsage([], one).map((d) => d.date)).toEqual(['2026-03-01']);
    const leap = dailyUsage([], costDayRangeWindow('2028-01-01', '2028-12-31'));
    expect(leap).toHaveLength(366);
    expect(leap.find((d) => d.date === '2028-02-29')).toBeDefined();
    expect(() => costDayRangeWindow('2026-03-02', '2026-03-01')).toThrow(RangeError);
  });

  it('the query: days alone (or nothing) keeps the rolling window, from/to a day range', () => {
    const now = new Date('2026-03-10T15:00:00Z');
    const windowOf = (q: Record<string, string>) =>
      costWindowFor(costRangeOf(costQuerySchema.parse(q)), now);
    expect(windowOf({})).toEqual(costWindow(30, now));
    expect(windowOf({ days: '7' })).toEqual(costWindow(7, now));
    expect(windowOf({ from: '2026-02-01', to: '2026-02-28' }).dateRange).toBe(
      '2026-02-01 to 2026-02-28',
    );
    // 366 days (2025-03-11 .. 2026-03-11 inclusive) is the longest range.
    expect(windowOf({ from: '2025-03-11', to: '2026-03-11' }).dateRange).toBe(
      '2025-03-11 to 2026-03-11',
    );
  });

  it.each([
    [{ days: '7', from: '2026-01-01', to: '2026-01-02' }, 'days', /either days .* or from and to/],
    [{ days: '7', to: '2026-01-02' }, 'days', /cannot be combined with from\/to/],
    [{ from: '2026-01-01' }, 'to', /to is required with from/],
    [{ to: '2026-01-01' }, 'from', /from is required with to/],
    [{ from: '2026-01-02', to: '2026-01-01' }, 'to', /to must not be before from/],
    [{ from: '2025-03-11', to: '2026-03-12' }, 'to', /367 days; at most 366/],
    [{ from: '2026-02-30', to: '2026-03-01' }, 'from', /YYYY-MM-DD/],
    [{ from: '2026-02-01T00:00:00Z', to: '2026-03-01' }, 'from', /YYYY-MM-DD/],
  ])('the query %j is refused, naming %s', (q, field, message) => {
    const r = costQuerySchema.safeParse(q);
    expect(r.success).toBe(false);
    expect(r.error!.issues).toEqual([
      expect.objectContaining({ path: [field], message: expect.stringMatching(message) }),
    ]);
  });

  it('recent requests: top five per kind, merged, most expensive first, at most ten', () => {
    const rows = [
      ...Array.from({ length: 7 }, (_, i) => rec({ type: 'story', cost: 1 + i })),
      ...Array.from({ length: 7 }, (_, i) =>
        rec({ type: 'chat', cost: 0.5 + i, conversationTitle: 'Hi', primaryCharacter: null }),
      ),
      rec({
        type: 'context',
        cost: 100,
        model: null,
        primaryCharacter: 'a.txt',
        method: 'semantic-kernel',
      }),
    ];
    const top = recentRequests(rows);
    expect(top).toHaveLength(10);
    expect(top[0]).toMatchObject({
      type: 'context',
      cost_usd: 100,
      model: 'unknown',
      method: 'semantic_kernel',
      primary_character: 'a.txt',
    });
    expect(top.filter((r) => r.type === 'story')).toHaveLength(5);
    expect(top.map((r) => r.cost_usd)).toEqual(
      [...top.map((r) => r.cost_usd)].sort((a, b) => b - a),
    );
    expect(top.find((r) => r.type === 'chat')).toMatchObject({
      conversation_title: 'Hi',
      tokens_used: 30,
    });
  });

  it('transactions are newest first with previews and the exact total', () => {
    const t = transactions([
      rec({ createdAt: new Date('2026-03-01T00:00:00Z'), content: 'x'.repeat(150), cost: 0.1 }),
      rec({
        type: 'chat',
        createdAt: new Date('2026-03-02T00:00:00Z'),
        content: 'short',
        cost: 0.2,
        model: null,
      }),
    ]);
    expect(t.transaction_count).toBe(2);
    expect(t.total_cost).toBe(0.3);
    expect(t.transactions[0]).toMatchObject({
      type: 'chat',
      content_preview: 'short',
      model: 'unknown',
    });
    expect(t.transactions[1].content_preview).toBe(`${'x'.repeat(100)}...`);
  });

  it('preview leaves short and missing texts alone', () => {
    expect(preview(null)).toBeNull();
    expect(preview('abc', 3)).toBe('abc');
    expect(preview('abcd', 3)).toBe('abc...');
  });
});
