import { http, startTestPlatform, type TestPlatform } from './support/platform';
import { waitFor } from './support/wait';

/**
 * Issue 20: what the web app needs to page its lists to the end and say how many there are.
 * The original's bare lists (stories, conversations, context executions) keep their body and
 * carry the total in X-Total-Count; a batch's stories come in item order, not in the order the
 * items happened to finish; a run in the runs list says what its own LLM calls cost (a chat has
 * no cost search attributes).
 */
jest.setTimeout(120_000);

describe('list totals and item order (web app lists)', () => {
  let p: TestPlatform;
  beforeAll(async () => {
    p = await startTestPlatform();
  });
  afterAll(async () => {
    await p?.close();
  });

  const story = (i: number, extra: { workflowId?: string; batchId?: string } = {}) =>
    p.prisma.story.create({
      data: {
        primaryCharacter: `Hero ${i}`,
        secondaryCharacter: `Friend ${i}`,
        combinedCharacters: `Hero ${i} and Friend ${i}`,
        storyContent: `Once upon a time ${i}`,
        method: 'langchain',
        correlationId: `guid-${i}`,
        workflowId: extra.workflowId ?? `story-lists-${i}`,
        batchId: extra.batchId ?? null,
        origin: extra.batchId ? 'batch' : 'api',
        totalTokens: 10,
        estimatedCostUsd: '0.000100',
      },
    });

  it('GET /api/stories says how many stories there are in X-Total-Count, the body unchanged', async () => {
    for (let i = 0; i < 7; i++) await story(i);
    const page = await http(p.baseUrl, 'GET', '/api/stories?skip=5&limit=3');
    expect(page.status).toBe(200);
    expect(Array.isArray(page.body)).toBe(true);
    expect(page.body).toHaveLength(2);
    expect(page.headers.get('x-total-count')).toBe('7');
  });

  it('GET /api/chat/conversations and /api/context/executions carry X-Total-Count', async () => {
    for (let i = 0; i < 23; i++) {
      await p.prisma.chatConversation.create({
        data: {
          title: `Conversation ${i}`,
          method: 'langchain',
          correlationId: `chat-guid-${i}`,
        },
      });
    }
    const chats = await http(p.baseUrl, 'GET', '/api/chat/conversations');
    expect(chats.body).toHaveLength(20); // the API's default page
    expect(chats.headers.get('x-total-count')).toBe('23');
    const rest = await http(p.baseUrl, 'GET', '/api/chat/conversations?skip=20&limit=20');
    expect(rest.body).toHaveLength(3);
    expect(rest.headers.get('x-total-count')).toBe('23');

    for (let i = 0; i < 3; i++) {
      await p.prisma.contextPromptExecution.create({
        data: {
          originalFilename: `notes-${i}.md`,
          fileType: 'md',
          fileSizeBytes: 10,
          systemPrompt: 'Be brief',
          userPrompt: 'Summarise',
          method: 'langchain',
          correlationId: `ctx-guid-${i}`,
          status: 'completed',
          llmResponse: `Answer ${i}`,
        },
      });
    }
    const executions = await http(p.baseUrl, 'GET', '/api/context/executions?limit=2');
    expect(executions.body).toHaveLength(2);
    expect(executions.headers.get('x-total-count')).toBe('3');
  });

  it("GET /api/batches/:id lists the batch's stories in item order (numeric), paged", async () => {
    const batchId = 'batch-lists-order';
    const pairs = Array.from({ length: 12 }, (_, i) => ({
      primaryCharacter: `Hero ${i}`,
      secondaryCharacter: `Friend ${i}`,
    }));
    await p.prisma.batch.create({
      data: {
        id: batchId,
        workflowId: batchId,
        status: 'completed',
        totalItems: 12,
        completed: 12,
        concurrency: 4,
        spec: JSON.stringify({
          source: { kind: 'pairs', pairs },
          frameworks: ['langchain'],
          concurrency: 4,
        }),
        correlationId: 'batch-lists-guid',
      },
    });
    // Finished out of order, as a window of items does: 1, 0, 11, 3, 2, 10, ...
    for (const n of [1, 0, 11, 3, 2, 10, 5, 4, 9, 6, 8, 7]) {
      await story(100 + n, { workflowId: `${batchId}/item-${n}`, batchId });
    }
    const all = await http(p.baseUrl, 'GET', `/api/batches/${batchId}`);
    expect(all.status).toBe(200);
    expect(all.body.items.total).toBe(12);
    expect(all.body.items.stories.map((s: { item: number }) => s.item)).toEqual([
      0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11,
    ]);
    const page = await http(p.baseUrl, 'GET', `/api/batches/${batchId}?skip=8&limit=3`);
    expect(page.body.items.stories.map((s: { item: number }) => s.item)).toEqual([8, 9, 10]);
    expect(page.body.items.stories[0]).toMatchObject({
      primaryCharacter: 'Hero 108',
      costUsd: '0.000100',
      links: { run: `/api/runs/${encodeURIComponent(`${batchId}/item-8`)}` },
    });
  });

  it('GET /api/runs gives each run that made LLM calls its audited tokens and cost (chats too)', async () => {
    const turn = await http(p.baseUrl, 'POST', '/api/chat/langchain', {
      message: 'Hello, lighthouse keeper',
    });
    expect(turn.status).toBe(200);
    const { workflow_id: workflowId } = turn.body.conversation;
    const attempts = await p.prisma.llmCallAttempt.findMany({ where: { workflowId } });
    expect(attempts.length).toBeGreaterThan(0);
    const list = await waitFor(
      'the chat in visibility',
      () => http(p.baseUrl, 'GET', '/api/runs?type=chat'),
      (r) => r.body.runs?.some((x: { workflowId: string }) => x.workflowId === workflowId),
      { timeoutMs: 30_000, everyMs: 250 },
    );
    const chat = list.body.runs.find((x: { workflowId: string }) => x.workflowId === workflowId);
    expect(chat.searchAttributes.CostUsd).toBeUndefined();
    const detail = await http(p.baseUrl, 'GET', `/api/runs/${encodeURIComponent(workflowId)}`);
    // The list says what the detail page says.
    expect(chat.audited).toEqual(detail.body.cost.audited);
    expect(chat.audited.attempts).toBe(attempts.length);
    expect(Number(chat.audited.costUsd)).toBeGreaterThan(0);
  });
});
