import { WithStartWorkflowOperation } from '@temporalio/client';
import { WorkflowIdConflictPolicy } from '@temporalio/common';
import { randomUUID } from 'node:crypto';
import { chatWorkflowId } from '../common/chat-types';
import { sendMessageUpdate, type ChatWorkflowInput } from '../workflows/chat.definitions';
import { chatWorkflow } from '../workflows/chat.workflow';
import { diedAttemptRow } from './support/audit-rows';
import { http, startTestPlatform, type TestPlatform } from './support/platform';

/**
 * Chat end to end: HTTP -> update-with-start of the conversation's chatWorkflow -> activities
 * (history from the DB, one audited LLM call, one transaction per turn) on a real Temporal dev
 * server, a real database and the simulator over HTTP.
 */
// Per suite: Jest ignores testTimeout in project configs, and a cold worker's first turn can
// take more than the 5 s default on a busy machine.
jest.setTimeout(60_000);

describe('chat (entity workflow per conversation)', () => {
  let p: TestPlatform;
  const post = (framework: string, body: unknown, headers: Record<string, string> = {}) =>
    http(p.baseUrl, 'POST', `/api/chat/${framework}`, body, headers);
  const messagesOf = (conversationId: number) =>
    p.prisma.chatMessage.findMany({ where: { conversationId }, orderBy: { id: 'asc' } });
  const lastPromptTokens = () => p.sim.stats().recent.at(-1)!.promptTokens;

  beforeAll(async () => {
    p = await startTestPlatform();
  });
  afterAll(async () => {
    await p?.close();
  });
  beforeEach(() => p.sim.reset());

  let conversationId: number;
  let workflowId: string;

  it('a first message creates a titled conversation, its workflow, and both messages with guid and request id', async () => {
    const guid = `chat-guid-${randomUUID()}`;
    const text = `  ${'Tell me about durable execution and why it matters. '.repeat(2)}`;
    const res = await post(
      'semantic-kernel',
      { message: text, conversation_id: null },
      { 'x-transaction-guid': guid },
    );
    expect(res.status).toBe(200);
    const { conversation, message, request_id } = res.body;
    conversationId = conversation.id;
    expect(request_id).toBe(res.headers.get('x-request-id'));
    expect(conversation.title).toBe(`${text.trim().slice(0, 50)}...`);
    expect(conversation.method).toBe('semantic_kernel');
    expect(conversation.model).toBe('quillflow-sim-1');
    expect(conversation.created_at).toMatch(/Z$/);
    expect(conversation.updated_at).toMatch(/Z$/);
    expect(conversation.messages.map((m: { role: string }) => m.role)).toEqual([
      'user',
      'assistant',
    ]);
    expect(conversation.messages[0].content).toBe(text);
    expect(conversation.messages[0].input_tokens).toBeNull();
    expect(conversation.messages[0].estimated_cost_usd).toBeNull();
    expect(message).toEqual(conversation.messages[1]);
    expect(message.role).toBe('assistant');
    expect(message.content.length).toBeGreaterThan(10);
    expect(message.input_tokens).toBeGreaterThan(0);
    expect(message.total_tokens).toBe(message.input_tokens + message.output_tokens);
    expect(message.estimated_cost_usd).toBeGreaterThan(0);
    expect(message.created_at).toMatch(/^\d{4}-\d\d-\d\dT.*Z$/);
    expect(Object.keys(message)).toEqual(
      expect.arrayContaining([
        'id',
        'role',
        'content',
        'generation_time_ms',
        'input_tokens',
        'output_tokens',
        'total_tokens',
        'created_at',
        'estimated_cost_usd',
        'input_cost_per_1k_tokens',
        'output_cost_per_1k_tokens',
      ]),
    );

    const row = await p.prisma.chatConversation.findUniqueOrThrow({
      where: { id: conversationId },
    });
    expect(row.correlationId).toBe(guid);
    expect(row.workflowId).toMatch(new RegExp(`^chat-${conversationId}-[0-9a-f]{12}$`));
    workflowId = row.workflowId!;
    expect(conversation.workflow_id).toBe(workflowId);
    const rows = await messagesOf(conversationId);
    for (const m of rows) {
      expect(m.correlationId).toBe(guid);
      expect(m.requestId).toBe(request_id);
    }
    expect(rows[1].method).toBe('semantic_kernel');
    expect(rows[1].model).toBe('quillflow-sim-1');

    const audit = await p.prisma.llmCallAttempt.findMany({ where: { workflowId: workflowId } });
    expect(audit.map((a) => [a.framework, a.outcome, a.correlationId])).toEqual([
      ['semantic_kernel', 'success', guid],
    ]);

    const d = await p.temporal.client.workflow.getHandle(workflowId).describe();
    expect(d.status.name).toBe('RUNNING');
    const sa = d.typedSearchAttributes;
    expect(sa.get({ name: 'WorkflowKind', type: 'KEYWORD' } as never)).toBe('chat');
    expect(sa.get({ name: 'Origin', type: 'KEYWORD' } as never)).toBe('api');
    expect(sa.get({ name: 'Framework', type: 'KEYWORD' } as never)).toBe('semantic_kernel');
    expect(sa.get({ name: 'CorrelationId', type: 'KEYWORD' } as never)).toBe(guid);
  });

  it('continues with conversation_id, resends the history, and switches framework per message', async () => {
    const first = (await messagesOf(conversationId)).length;
    // LangChain with braces in the text: sent as a message object, never parsed as a template.
    const braces = 'What does {name} mean in {{template}} syntax? And {0}?';
    const lc = await post('langchain', { message: braces, conversation_id: conversationId });
    expect(lc.status).toBe(200);
    const afterTwo = lastPromptTokens();
    expect(lc.body.conversation.id).toBe(conversationId);
    expect(lc.body.conversation.method).toBe('semantic_kernel');
    expect(lc.body.conversation.messages).toHaveLength(first + 2);
    expect(lc.body.conversation.messages.at(-2).content).toBe(braces);

    const lg = await post('langgraph', {
      message: 'Summarise our chat so far.',
      conversation_id: String(conversationId),
    });
    expect(lg.status).toBe(200);
    expect(lastPromptTokens()).toBeGreaterThan(afterTwo);
    const sk = await post('semantic_kernel', {
      message: 'Thanks!',
      conversation_id: conversationId,
    });
    expect(sk.status).toBe(200);
    expect(sk.body.conversation.messages).toHaveLength(first + 6);

    const rows = await messagesOf(conversationId);
    expect(rows.filter((m) => m.role === 'assistant').map((m) => m.method)).toEqual([
      'semantic_kernel',
      'langchain',
      'langgraph',
      'semantic_kernel',
    ]);
    const audit = await p.prisma.llmCallAttempt.findMany({
      where: { workflowId: workflowId },
      orderBy: { id: 'asc' },
    });
    expect(audit.map((a) => a.framework)).toEqual([
      'semantic_kernel',
      'langchain',
      'langgraph',
      'semantic_kernel',
    ]);
    const d = await p.temporal.client.workflow.getHandle(workflowId).describe();
    expect(d.typedSearchAttributes.get({ name: 'Framework', type: 'KEYWORD' } as never)).toBe(
      'semantic_kernel',
    );
    const conv = await p.prisma.chatConversation.findUniqueOrThrow({
      where: { id: conversationId },
    });
    expect(conv.updatedAt.getTime()).toBeGreaterThan(conv.createdAt.getTime());
  });

  it('two messages sent at once to one conversation are both answered, in order, each after its own question', async () => {
    const before = await messagesOf(conversationId);
    p.sim.setLatency(300);
    const [a, b] = await Promise.all([
      post('langchain', { message: 'Concurrent question A', conversation_id: conversationId }),
      post('semantic-kernel', {
        message: 'Concurrent question B',
        conversation_id: conversationId,
      }),
    ]);
    expect([a.status, b.status]).toEqual([200, 200]);
    const rows = (await messagesOf(conversationId)).slice(before.length);
    expect(rows).toHaveLength(4);
    expect(rows.map((m) => m.role)).toEqual(['user', 'assistant', 'user', 'assistant']);
    for (const [user, assistant] of [
      [rows[0], rows[1]],
      [rows[2], rows[3]],
    ]) {
      expect(assistant.turnKey).toBe(user.turnKey!.replace(/\/user$/, '/assistant'));
      expect(assistant.createdAt.getTime()).toBeGreaterThanOrEqual(user.createdAt.getTime());
    }
    expect(rows[2].createdAt.getTime()).toBeGreaterThanOrEqual(rows[1].createdAt.getTime());
    const answers = new Map([
      [a.body.message.id, 'A'],
      [b.body.message.id, 'B'],
    ]);
    const order = [rows[0].content.slice(-1), rows[2].content.slice(-1)];
    expect([answers.get(rows[1].id), answers.get(rows[3].id)]).toEqual(order);
    // The second turn was answered with the first one in its history.
    const chats = p.sim.stats().recent.filter((r) => r.outcome === 'ok');
    expect(chats).toHaveLength(2);
    expect(chats[1].promptTokens).toBeGreaterThan(chats[0].promptTokens);
  });

  it('keeps going after its workflow has closed: the next message starts a new run with the history intact', async () => {
    const handle = p.temporal.client.workflow.getHandle(workflowId);
    await handle.terminate('test: simulate an idle close');
    const count = (await messagesOf(conversationId)).length;
    const res = await post('langchain', {
      message: 'Still there?',
      conversation_id: conversationId,
    });
    expect(res.status).toBe(200);
    expect(res.body.conversation.messages).toHaveLength(count + 2);
    expect(lastPromptTokens()).toBeGreaterThan(100);
    expect((await handle.describe()).status.name).toBe('RUNNING');
  });

  it('continues as new after maxTurnsPerRun and closes when idle', async () => {
    const conv = await p.prisma.chatConversation.create({
      data: {
        title: 'direct',
        method: 'langchain',
        correlationId: randomUUID(),
        provider: 'simulator',
        model: 'quillflow-sim-1',
      },
    });
    const input: ChatWorkflowInput = {
      conversationId: conv.id,
      correlationId: conv.correlationId,
      origin: 'api',
      settings: { retry: p.config.retry, llmTimeoutMs: p.config.provider.timeoutMs },
      maxTurnsPerRun: 2,
      idleTimeoutMs: 1000,
    };
    const wfId = chatWorkflowId(conv.id, randomUUID().slice(0, 8));
    const send = (message: string) =>
      p.temporal.client.workflow.executeUpdateWithStart(sendMessageUpdate, {
        args: [
          {
            message,
            framework: 'langchain',
            correlationId: randomUUID(),
            requestId: randomUUID(),
            origin: 'api',
            newConversation: false,
          },
        ],
        startWorkflowOperation: new WithStartWorkflowOperation(chatWorkflow, {
          workflowId: wfId,
          taskQueue: p.config.env.TEMPORAL_TASK_QUEUE,
          args: [input],
          workflowIdConflictPolicy: WorkflowIdConflictPolicy.USE_EXISTING,
        }),
      });
    const handle = p.temporal.client.workflow.getHandle<typeof chatWorkflow>(wfId);
    await send('one');
    const firstRun = (await handle.describe()).runId;
    await send('two');
    await send('three');
    expect((await handle.describe()).runId).not.toBe(firstRun);
    expect(
      (await messagesOf(conv.id)).map((m) => m.content).filter((_c, i) => i % 2 === 0),
    ).toEqual(['one', 'two', 'three']);
    const closed = await handle.result();
    expect(closed).toMatchObject({ conversationId: conv.id, turns: 3 });
    await send('four');
    expect(await messagesOf(conv.id)).toHaveLength(8);
  });

  it('lists conversations by last update with count and preview, gets one, 404s for unknown ids', async () => {
    const other = await post('langgraph', { message: 'x'.repeat(150) });
    expect(other.status).toBe(200);
    expect(other.body.conversation.title).toBe(`${'x'.repeat(50)}...`);
    const list = await http(p.baseUrl, 'GET', '/api/chat/conversations?skip=0&limit=20');
    expect(list.status).toBe(200);
    expect(list.body[0].id).toBe(other.body.conversation.id);
    const updated = list.body.map((c: { updated_at: string }) => c.updated_at);
    expect([...updated].sort().reverse()).toEqual(updated);
    const item = list.body.find((c: { id: number }) => c.id === conversationId);
    expect(item.message_count).toBe((await messagesOf(conversationId)).length);
    expect(Object.keys(item).sort()).toEqual(
      [
        'created_at',
        'id',
        'last_message_preview',
        'message_count',
        'method',
        'model',
        'title',
        'updated_at',
      ].sort(),
    );
    const long = await post('langgraph', {
      message: 'and again',
      conversation_id: other.body.conversation.id,
    });
    const reply: string = long.body.message.content;
    const again = await http(p.baseUrl, 'GET', '/api/chat/conversations?limit=1');
    expect(again.body).toHaveLength(1);
    expect(again.body[0].last_message_preview).toBe(
      reply.length > 100 ? `${reply.slice(0, 100)}...` : reply,
    );

    const one = await http(p.baseUrl, 'GET', `/api/chat/conversations/${conversationId}`);
    expect(one.status).toBe(200);
    expect(one.body.messages).toHaveLength(item.message_count);
    expect((await http(p.baseUrl, 'GET', '/api/chat/conversations/99999999')).status).toBe(404);
    expect((await http(p.baseUrl, 'GET', '/api/chat/conversations/99999999999')).status).toBe(404);
    expect((await http(p.baseUrl, 'GET', '/api/chat/conversations/abc')).status).toBe(422);
  });

  describe('bad input: 4xx naming the field, nothing created, no LLM call', () => {
    it.each([
      ['empty message', 'langchain', { message: '' }, 422, 'message'],
      ['blank message', 'langchain', { message: '   ' }, 422, 'message'],
      ['missing message', 'langchain', { conversation_id: null }, 422, 'message'],
      ['over-long message', 'langchain', { message: 'y'.repeat(2001) }, 422, 'message'],
      [
        'non-integer conversation_id',
        'langchain',
        { message: 'hi', conversation_id: 'abc' },
        422,
        'conversation_id',
      ],
      [
        'negative conversation_id',
        'langchain',
        { message: 'hi', conversation_id: -3 },
        422,
        'conversation_id',
      ],
      [
        'unknown conversation_id',
        'langchain',
        { message: 'hi', conversation_id: 987654 },
        404,
        'Conversation',
      ],
      ['unknown framework', 'crewai', { message: 'hi' }, 404, 'framework'],
    ])('%s', async (_name, framework, body, status, mention) => {
      const conversations = await p.prisma.chatConversation.count();
      const res = await post(framework, body);
      expect(res.status).toBe(status);
      expect(JSON.stringify(res.body.error)).toContain(mention);
      expect(await p.prisma.chatConversation.count()).toBe(conversations);
      expect(p.sim.stats().requests).toBe(0);
    });

    it('exactly 2000 characters is accepted', async () => {
      const res = await post('langchain', { message: 'z'.repeat(2000) });
      expect(res.status).toBe(200);
    });
  });

  it('a provider 400 gives 502 and leaves nothing half-written (new and existing conversation)', async () => {
    const conversations = await p.prisma.chatConversation.count();
    const messages = await p.prisma.chatMessage.count();
    p.sim.setFaults({ rules: [{ fault: '400', times: 2 }] });
    const fresh = await post('langgraph', { message: 'This will fail' });
    expect(fresh.status).toBe(502);
    expect(fresh.body.error.type).toBe('ProviderBadRequest');
    expect(await p.prisma.chatConversation.count()).toBe(conversations);
    const existing = await post('semantic-kernel', {
      message: 'So will this',
      conversation_id: conversationId,
    });
    expect(existing.status).toBe(502);
    expect(await p.prisma.chatMessage.count()).toBe(messages);
    expect(p.sim.stats().requests).toBe(2);
    const failed = await p.prisma.llmCallAttempt.findMany({
      where: { outcome: 'error', errorType: 'ProviderBadRequest' },
    });
    expect(failed).toHaveLength(2);
    // The conversation is still usable afterwards.
    const ok = await post('semantic-kernel', {
      message: 'Try again',
      conversation_id: conversationId,
    });
    expect(ok.status).toBe(200);
  });

  it('a failed turn marks lost the attempts its conversation left pending (a worker that died mid-call)', async () => {
    p.sim.setLatency(1_500, 0); // room to add the dead attempt's row while the turn is on
    p.sim.setFaults({ rules: [{ fault: '400', times: 1 }] });
    const turn = post('semantic-kernel', {
      message: 'This one fails too',
      conversation_id: conversationId,
    });
    const died = await p.prisma.llmCallAttempt.create({
      data: diedAttemptRow(workflowId, 'chatWorkflow', 'chatReplySemanticKernel'),
    });
    expect((await turn).status).toBe(502);
    const row = await p.prisma.llmCallAttempt.findUniqueOrThrow({ where: { id: died.id } });
    expect(row).toMatchObject({ outcome: 'lost', errorType: 'AttemptLost' });
  });

  it('a conversation deleted while its turn is answered: 404, nothing written, the workflow closes', async () => {
    const res = await post('langchain', { message: 'Short-lived' });
    const id: number = res.body.conversation.id;
    p.sim.setLatency(1200);
    const pending = post('langchain', { message: 'Answer me slowly', conversation_id: id });
    await new Promise((r) => setTimeout(r, 400));
    expect((await http(p.baseUrl, 'DELETE', `/api/chat/conversations/${id}`)).status).toBe(200);
    const late = await pending;
    expect(late.status).toBe(404);
    expect(await p.prisma.chatMessage.count({ where: { conversationId: id } })).toBe(0);
    const closed = await p.temporal.client.workflow
      .getHandle(res.body.conversation.workflow_id)
      .result();
    expect(closed).toMatchObject({ conversationId: id, turns: 1 });
  });

  it('every chat row carries a transaction guid and request id', async () => {
    const convs = await p.prisma.chatConversation.findMany();
    expect(convs.length).toBeGreaterThan(0);
    for (const c of convs) expect(c.correlationId).toMatch(/\S{8,}/);
    const msgs = await p.prisma.chatMessage.findMany();
    for (const m of msgs) {
      expect(m.correlationId).toMatch(/\S{8,}/);
      expect(m.requestId).toMatch(/\S{8,}/);
    }
  });

  it('deletes one conversation with its messages, then all, leaving no orphan messages', async () => {
    const del = await http(p.baseUrl, 'DELETE', `/api/chat/conversations/${conversationId}`);
    expect(del.status).toBe(200);
    expect(del.body).toEqual({ message: 'Conversation deleted successfully' });
    expect(await p.prisma.chatMessage.count({ where: { conversationId } })).toBe(0);
    expect((await http(p.baseUrl, 'GET', `/api/chat/conversations/${conversationId}`)).status).toBe(
      404,
    );
    expect(
      (await http(p.baseUrl, 'DELETE', `/api/chat/conversations/${conversationId}`)).status,
    ).toBe(404);
    expect(
      (await post('langchain', { message: 'hello?', conversation_id: conversationId })).status,
    ).toBe(404);

    const remaining = await p.prisma.chatConversation.count();
    const all = await http(p.baseUrl, 'DELETE', '/api/chat/conversations');
    expect(all.status).toBe(200);
    expect(all.body).toEqual({
      message: 'All conversations deleted successfully',
      deleted_count: remaining,
    });
    expect(await p.prisma.chatMessage.count()).toBe(0);
    expect(await p.prisma.chatConversation.count()).toBe(0);
    expect((await http(p.baseUrl, 'GET', '/api/chat/conversations')).body).toEqual([]);
    // A new conversation starts empty: nothing left over to inherit.
    const fresh = await post('langchain', { message: 'Fresh start' });
    expect(fresh.body.conversation.messages).toHaveLength(2);
  });
});
