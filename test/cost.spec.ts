import { http, startTestPlatform, type TestPlatform } from './support/platform';

/**
 * `/api/cost/*` over stories, chat assistant messages and completed context executions
 * (rows inserted directly: chat and context have their own suites), plus one real story made
 * through the API. Checks the merged Semantic Kernel spellings, the whole-window zero-filled
 * daily usage with context included, exact decimal sums, and the one-transaction wipe that
 * leaves no chat message behind.
 */
const DAY = 86_400_000;
const daysAgo = (n: number, hours = 0) => new Date(Date.now() - n * DAY - hours * 3_600_000);
const isoDate = (d: Date) => d.toISOString().slice(0, 10);

async function seed(p: TestPlatform) {
  const story = (
    method: string,
    cost: string | null,
    createdAt: Date,
    i: number,
    model: string | null = 'gpt-4o-mini',
  ) =>
    p.prisma.story.create({
      data: {
        primaryCharacter: `Hero ${i}`,
        secondaryCharacter: `Friend ${i}`,
        combinedCharacters: `Hero ${i} and Friend ${i}`,
        storyContent: `Once upon a time ${'z'.repeat(120)}`,
        method,
        model,
        provider: 'test',
        correlationId: `story-guid-${i}`,
        requestId: `story-req-${i}`,
        workflowId: `story-cost-${i}-${Date.now()}`,
        estimatedCostUsd: cost,
        inputTokens: 40,
        outputTokens: 60,
        totalTokens: 100,
        generationTimeMs: 1234.5,
        createdAt,
      },
    });
  await story('semantic_kernel', '0.100000', daysAgo(0), 1);
  await story('langchain', '0.200000', daysAgo(20), 2); // beyond the original's 14-day chart
  await story('langgraph', '5.000000', daysAgo(40), 3); // outside a 30-day window
  await story('langchain', null, daysAgo(1), 4); // unpriced: not a cost record

  const conv = await p.prisma.chatConversation.create({
    data: {
      title: 'Holiday plans',
      method: 'semantic-kernel',
      model: 'gpt-4o',
      correlationId: 'chat-guid',
    },
  });
  const msg = (
    role: string,
    cost: string | null,
    createdAt: Date,
    extra: { method?: string; model?: string } = {},
  ) =>
    p.prisma.chatMessage.create({
      data: {
        conversationId: conv.id,
        role,
        content: `${role} says hello`,
        correlationId: 'chat-guid',
        requestId: 'chat-req',
        estimatedCostUsd: cost,
        inputTokens: 5,
        outputTokens: 5,
        totalTokens: 10,
        createdAt,
        ...extra,
      },
    });
  await msg('user', '9.000000', daysAgo(2)); // user turns are never billed
  await msg('assistant', '0.010000', daysAgo(2)); // method/model from the conversation
  await msg('assistant', '0.020000', daysAgo(3), { method: 'langgraph', model: 'gpt-4o-mini' });

  const ctx = (status: string, cost: string | null, createdAt: Date, method = 'semantic-kernel') =>
    p.prisma.contextPromptExecution.create({
      data: {
        originalFilename: 'notes.txt, data.csv',
        fileType: 'multiple',
        fileSizeBytes: 1000,
        systemPrompt: 'Use [context]',
        userPrompt: 'Summarise',
        llmResponse: 'A summary of the files',
        method,
        model: null,
        status,
        correlationId: 'ctx-guid',
        requestId: 'ctx-req',
        estimatedCostUsd: cost,
        inputTokens: 300,
        outputTokens: 200,
        totalTokens: 500,
        totalExecutionTimeMs: 777,
        createdAt,
      },
    });
  await ctx('completed', '0.300000', daysAgo(0));
  await ctx('failed', '1.000000', daysAgo(0));
  await ctx('processing', '1.000000', daysAgo(0));
}

describe('cost analytics routes', () => {
  let p: TestPlatform;
  beforeAll(async () => {
    p = await startTestPlatform();
  });
  afterAll(async () => {
    await p?.close();
  });
  beforeEach(async () => {
    p.sim.reset();
    await p.prisma.chatConversation.deleteMany({});
    await p.prisma.contextPromptExecution.deleteMany({});
    await p.prisma.story.deleteMany({});
  });

  it('GET /api/cost/usage counts stories, assistant messages and completed contexts alike', async () => {
    await seed(p);
    const res = await http(p.baseUrl, 'GET', '/api/cost/usage?days=30');
    expect(res.status).toBe(200);
    // 0.1 + 0.2 + 0.01 + 0.02 + 0.3, summed as decimals
    expect(res.body.summary).toEqual({
      total_cost_usd: 0.63,
      total_requests: 5,
      total_tokens: 720,
      average_cost_per_request: 0.126,
      average_tokens_per_request: 144,
    });
    expect(res.body.by_method).toEqual([
      {
        method: 'semantic_kernel',
        total_cost_usd: 0.41,
        request_count: 3,
        total_tokens: 610,
        average_cost_per_request: 0.136667,
      },
      {
        method: 'langchain',
        total_cost_usd: 0.2,
        request_count: 1,
        total_tokens: 100,
        average_cost_per_request: 0.2,
      },
      {
        method: 'langgraph',
        total_cost_usd: 0.02,
        request_count: 1,
        total_tokens: 10,
        average_cost_per_request: 0.02,
      },
    ]);
    expect(res.body.by_model).toEqual([
      {
        model: 'gpt-4o-mini',
        total_cost_usd: 0.32,
        request_count: 3,
        total_tokens: 210,
        average_cost_per_request: 0.106667,
      },
      {
        model: 'gpt-4o',
        total_cost_usd: 0.01,
        request_count: 1,
        total_tokens: 10,
        average_cost_per_request: 0.01,
      },
    ]);

    const daily = res.body.daily_usage as {
      date: string;
      total_cost_usd: number;
      request_count: number;
      total_tokens: number;
    }[];
    expect(daily).toHaveLength(31);
    expect(daily[0].date).toBe(isoDate(daysAgo(30)));
    expect(daily.at(-1)!.date).toBe(isoDate(new Date()));
    const on = (d: Date) => daily.find((x) => x.date === isoDate(d));
    expect(on(daysAgo(20))).toMatchObject({ total_cost_usd: 0.2, request_count: 1 });
    expect(daily.reduce((n, d) => n + d.request_count, 0)).toBe(5);
    expect(
      daily
        .filter((d) => d.request_count === 0)
        .every((d) => d.total_cost_usd === 0 && d.total_tokens === 0),
    ).toBe(true);

    expect(
      res.body.recent_requests.map((r: { type: string; cost_usd: number }) => [r.type, r.cost_usd]),
    ).toEqual([
      ['context', 0.3],
      ['story', 0.2],
      ['story', 0.1],
      ['chat', 0.02],
      ['chat', 0.01],
    ]);
    expect(res.body.recent_requests[0]).toEqual({
      id: expect.any(Number),
      type: 'context',
      method: 'semantic_kernel',
      model: 'unknown',
      cost_usd: 0.3,
      tokens_used: 500,
      created_at: expect.any(String),
      primary_character: 'notes.txt, data.csv',
      conversation_title: null,
    });
    expect(res.body.recent_requests[3]).toMatchObject({
      conversation_title: 'Holiday plans',
      method: 'langgraph',
      primary_character: null,
    });
    expect(res.body.date_range).toBe(`${isoDate(daysAgo(30))} to ${isoDate(new Date())}`);
  });

  it('the window follows ?days= (default 30) and reaches 365', async () => {
    await seed(p);
    const week = await http(p.baseUrl, 'GET', '/api/cost/usage?days=7');
    expect(week.body.summary.total_requests).toBe(4);
    expect(week.body.daily_usage).toHaveLength(8);
    const dflt = await http(p.baseUrl, 'GET', '/api/cost/usage');
    expect(dflt.body.summary.total_requests).toBe(5);
    const year = await http(p.baseUrl, 'GET', '/api/cost/usage?days=365');
    expect(year.status).toBe(200);
    expect(year.body.summary.total_requests).toBe(6);
    expect(year.body.summary.total_cost_usd).toBe(5.63);
    expect(year.body.daily_usage).toHaveLength(366);
  });

  it('GET /api/cost/summary is the usage summary alone', async () => {
    await seed(p);
    const [summary, usage] = await Promise.all([
      http(p.baseUrl, 'GET', '/api/cost/summary?days=30'),
      http(p.baseUrl, 'GET', '/api/cost/usage?days=30'),
    ]);
    expect(summary.status).toBe(200);
    expect(summary.body).toEqual(usage.body.summary);
    const empty = await http(p.baseUrl, 'GET', '/api/cost/summary?days=1');
    expect(empty.body.total_requests).toBe(2);
  });

  it('GET /api/cost/transactions lists every priced call, newest first, with the total', async () => {
    await seed(p);
    const res = await http(p.baseUrl, 'GET', '/api/cost/transactions?days=30');
    expect(res.status).toBe(200);
    expect(res.body.transaction_count).toBe(5);
    expect(res.body.total_cost).toBe(0.63);
    const t = res.body.transactions as Record<string, unknown>[];
    const times = t.map((x) => Date.parse(x.created_at as string));
    expect(times).toEqual([...times].sort((a, b) => b - a));
    const story = t.find((x) => x.type === 'story' && x.estimated_cost_usd === 0.1)!;
    expect(story).toEqual({
      id: expect.any(Number),
      type: 'story',
      method: 'semantic_kernel',
      model: 'gpt-4o-mini',
      created_at: expect.any(String),
      transaction_guid: 'story-guid-1',
      request_id: 'story-req-1',
      primary_character: 'Hero 1',
      secondary_character: 'Friend 1',
      conversation_title: null,
      content_preview: `Once upon a time ${'z'.repeat(83)}...`,
      input_tokens: 40,
      output_tokens: 60,
      total_tokens: 100,
      estimated_cost_usd: 0.1,
      generation_time_ms: 1234.5,
    });
    expect(t.find((x) => x.type === 'chat' && x.method === 'semantic_kernel')).toMatchObject({
      model: 'gpt-4o',
      conversation_title: 'Holiday plans',
      content_preview: 'assistant says hello',
      transaction_guid: 'chat-guid',
    });
    expect(t.find((x) => x.type === 'context')).toMatchObject({
      primary_character: 'notes.txt, data.csv',
      content_preview: 'A summary of the files',
      generation_time_ms: 777,
      model: 'unknown',
    });
  });

  it('a story generated through the API shows up in the analytics', async () => {
    const made = await http(p.baseUrl, 'POST', '/api/semantic-kernel', {
      primary_character: 'Alice',
      secondary_character: 'Bob',
    });
    expect(made.status).toBe(200);
    const usage = await http(p.baseUrl, 'GET', '/api/cost/usage?days=1');
    expect(usage.body.summary.total_requests).toBe(1);
    expect(usage.body.summary.total_cost_usd).toBe(made.body.estimated_cost_usd);
    expect(usage.body.by_model).toEqual([
      expect.objectContaining({ model: 'quillflow-sim-1', request_count: 1 }),
    ]);
    const tx = await http(p.baseUrl, 'GET', '/api/cost/transactions?days=1');
    expect(tx.body.transactions[0]).toMatchObject({
      id: made.body.id,
      transaction_guid: made.body.transaction_guid,
      request_id: made.body.request_id,
    });
  });

  it('empty database: zeros, zero-filled days, empty lists', async () => {
    const res = await http(p.baseUrl, 'GET', '/api/cost/usage?days=3');
    expect(res.body.summary).toEqual({
      total_cost_usd: 0,
      total_requests: 0,
      total_tokens: 0,
      average_cost_per_request: 0,
      average_tokens_per_request: 0,
    });
    expect(res.body.by_method).toEqual([]);
    expect(res.body.by_model).toEqual([]);
    expect(res.body.recent_requests).toEqual([]);
    expect(res.body.daily_usage).toHaveLength(4);
    expect((await http(p.baseUrl, 'GET', '/api/cost/transactions')).body).toEqual({
      transactions: [],
      total_cost: 0,
      transaction_count: 0,
    });
  });

  describe.each(['usage', 'summary', 'transactions'])('GET /api/cost/%s?days=', (route) => {
    it.each(['0', '366', '1.5', 'abc', '-1', ''])('days=%s → 422', async (days) => {
      const res = await http(p.baseUrl, 'GET', `/api/cost/${route}?days=${days}`);
      expect(res.status).toBe(422);
      expect(res.body.error.type).toBe('ValidationError');
      expect(res.body.error.details[0].field).toBe('query -> days');
    });
  });

  /** Stories at exact instants around 2026-01-10..2026-01-12 (UTC), one cent apart in cost. */
  async function seedAround() {
    const at = [
      ['2026-01-09T23:59:59.999Z', '0.000001'], // the day before from: out
      ['2026-01-10T00:00:00.000Z', '0.010000'], // first instant of from: in
      ['2026-01-11T12:00:00.000Z', '0.020000'],
      ['2026-01-12T23:59:59.999Z', '0.040000'], // last instant of to: in
      ['2026-01-13T00:00:00.000Z', '1.000000'], // the day after to: out
    ] as const;
    for (const [i, [createdAt, cost]] of at.entries()) {
      await p.prisma.story.create({
        data: {
          primaryCharacter: `Edge ${i}`,
          secondaryCharacter: 'Friend',
          combinedCharacters: `Edge ${i} and Friend`,
          storyContent: 'A short story',
          method: 'langchain',
          model: 'gpt-4o-mini',
          provider: 'test',
          correlationId: `edge-guid-${i}`,
          requestId: `edge-req-${i}`,
          workflowId: `story-edge-${i}-${Date.now()}`,
          estimatedCostUsd: cost,
          totalTokens: 10,
          createdAt: new Date(createdAt),
        },
      });
    }
  }

  it('?from=&to= is whole UTC days, both included: the boundary days count, the day after does not', async () => {
    await seedAround();
    const usage = await http(p.baseUrl, 'GET', '/api/cost/usage?from=2026-01-10&to=2026-01-12');
    expect(usage.status).toBe(200);
    expect(usage.body.date_range).toBe('2026-01-10 to 2026-01-12');
    expect(usage.body.summary).toMatchObject({
      total_cost_usd: 0.07,
      total_requests: 3,
      total_tokens: 30,
    });
    expect(usage.body.daily_usage).toEqual([
      { date: '2026-01-10', total_cost_usd: 0.01, request_count: 1, total_tokens: 10 },
      { date: '2026-01-11', total_cost_usd: 0.02, request_count: 1, total_tokens: 10 },
      { date: '2026-01-12', total_cost_usd: 0.04, request_count: 1, total_tokens: 10 },
    ]);
    expect(usage.body.recent_requests.map((r: { cost_usd: number }) => r.cost_usd)).toEqual([
      0.04, 0.02, 0.01,
    ]);

    const summary = await http(p.baseUrl, 'GET', '/api/cost/summary?from=2026-01-10&to=2026-01-12');
    expect(summary.status).toBe(200);
    expect(summary.body).toEqual(usage.body.summary);

    const tx = await http(p.baseUrl, 'GET', '/api/cost/transactions?from=2026-01-10&to=2026-01-12');
    expect(tx.status).toBe(200);
    expect(tx.body.transaction_count).toBe(3);
    expect(tx.body.total_cost).toBe(0.07);
    expect(tx.body.transactions.map((t: { created_at: string }) => t.created_at)).toEqual([
      '2026-01-12T23:59:59.999Z',
      '2026-01-11T12:00:00.000Z',
      '2026-01-10T00:00:00.000Z',
    ]);

    // One day; a range in the past is unaffected by rows made today.
    const one = await http(p.baseUrl, 'GET', '/api/cost/usage?from=2026-01-13&to=2026-01-13');
    expect(one.body.date_range).toBe('2026-01-13 to 2026-01-13');
    expect(one.body.daily_usage).toEqual([
      { date: '2026-01-13', total_cost_usd: 1, request_count: 1, total_tokens: 10 },
    ]);
    // The longest range: 366 days, one daily entry each.
    const year = await http(p.baseUrl, 'GET', '/api/cost/usage?from=2025-01-13&to=2026-01-13');
    expect(year.status).toBe(200);
    expect(year.body.daily_usage).toHaveLength(366);
    expect(year.body.summary.total_requests).toBe(5);
  });

  it('?days= alone keeps the rolling window next to from/to', async () => {
    await seed(p);
    const days = await http(p.baseUrl, 'GET', '/api/cost/usage?days=7');
    const today = isoDate(new Date());
    const range = await http(
      p.baseUrl,
      'GET',
      `/api/cost/usage?from=${isoDate(daysAgo(7))}&to=${today}`,
    );
    expect(days.body.date_range).toBe(`${isoDate(daysAgo(7))} to ${today}`);
    expect(range.body.date_range).toBe(days.body.date_range);
    expect(range.body.daily_usage.map((d: { date: string }) => d.date)).toEqual(
      days.body.daily_usage.map((d: { date: string }) => d.date),
    );
  });

  describe.each(['usage', 'summary', 'transactions'])('GET /api/cost/%s with from/to', (route) => {
    it.each([
      ['days=7&from=2026-01-01&to=2026-01-02', 'days', /either days .* or from and to/],
      ['days=30&from=2026-01-01', 'days', /cannot be combined with from\/to/],
      ['from=2026-01-01', 'to', /to is required with from/],
      ['to=2026-01-01', 'from', /from is required with to/],
      ['from=2026-01-02&to=2026-01-01', 'to', /to must not be before from/],
      ['from=2025-01-01&to=2026-01-02', 'to', /367 days; at most 366/],
      ['from=2026-02-30&to=2026-03-01', 'from', /YYYY-MM-DD/],
      ['from=2026-01-01T00:00:00Z&to=2026-01-02', 'from', /YYYY-MM-DD/],
      ['from=2026-01-01&to=yesterday', 'to', /YYYY-MM-DD/],
    ])('%s → 422 naming %s', async (query, field, message) => {
      const res = await http(p.baseUrl, 'GET', `/api/cost/${route}?${query}`);
      expect(res.status).toBe(422);
      expect(res.body.error.type).toBe('ValidationError');
      expect(res.body.error.details).toEqual([
        expect.objectContaining({
          field: `query -> ${field}`,
          message: expect.stringMatching(message),
        }),
      ]);
      expect(res.body.error.message).toContain(field);
    });
  });

  it('DELETE /api/cost/usage wipes stories, conversations with their messages, and contexts', async () => {
    await seed(p);
    const res = await http(p.baseUrl, 'DELETE', '/api/cost/usage');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      message: 'Successfully cleared all cost records (Stories: 4, Conversations: 1, Contexts: 3)',
      deleted_count: 8,
    });
    expect(await p.prisma.story.count()).toBe(0);
    expect(await p.prisma.chatConversation.count()).toBe(0);
    expect(await p.prisma.chatMessage.count()).toBe(0);
    expect(await p.prisma.contextPromptExecution.count()).toBe(0);
    // The original's bug: a new conversation "inherited" orphaned messages.
    const fresh = await p.prisma.chatConversation.create({
      data: { title: 'New', method: 'langchain', correlationId: 'g' },
      include: { messages: true },
    });
    expect(fresh.messages).toEqual([]);
    expect((await http(p.baseUrl, 'GET', '/api/cost/summary')).body.total_requests).toBe(0);
    const again = await http(p.baseUrl, 'DELETE', '/api/cost/usage');
    expect(again.body).toEqual({
      message: 'Successfully cleared all cost records (Stories: 0, Conversations: 1, Contexts: 0)',
      deleted_count: 1,
    });
  });

  it('deleting a conversation cascades to its messages in the database itself', async () => {
    await seed(p);
    await p.prisma.chatConversation.deleteMany({});
    expect(await p.prisma.chatMessage.count()).toBe(0);
  });
});
