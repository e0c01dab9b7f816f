import { DEFAULT_PRICING_TABLE } from '../../common/pricing';
import {
  createTestDatabase,
  type TestDatabase,
  whileSqliteLocked,
} from '../../test/support/test-db';
import { unavailablePauseLeft } from '../../prisma/unavailable-pause';
import { chatPersistence } from '../chat/persist-turn';
import { contextExecutionStore } from '../context/execution-store';
import type { ActivityDeps } from '../deps';
import type { CallContext } from './call-context';
import { auditedLlmCall, type LlmCallResult } from './llm-call';
import { offlineProviderConfig, quietLogger } from '../../test/support/activity-deps';

/**
 * A chat turn or a context prompt whose paid call ends while the database is locked: the call's
 * audit row is carried in the reply (deferredAudit) and written by the activity that stores the
 * turn or the answer, which Temporal retries until the database is back. Real SQLite, real lock.
 */
describe('deferred audit rows of chat turns and context prompts (SQLite locked by another process)', () => {
  let db: TestDatabase;
  let deps: ActivityDeps;
  const ctx = (workflowId: string, workflowType: string, activityType: string): CallContext => ({
    correlationId: 'c-1',
    origin: 'api',
    workflowId,
    runId: 'r-1',
    workflowType,
    activityId: '1',
    activityType,
    attempt: 1,
    heartbeat: () => undefined,
    heartbeatDetails: () => undefined,
  });
  const paidCall = async () => ({ text: 'An answer', inputTokens: 1200, outputTokens: 300 });
  const rowsOf = (attemptKey: string) =>
    db.prisma.llmCallAttempt.findMany({ where: { attemptKey } });

  let chat: LlmCallResult;
  let context: LlmCallResult;
  let conversationId: number;

  beforeAll(async () => {
    db = await createTestDatabase('sqlite');
    deps = {
      prisma: db.prisma,
      config: offlineProviderConfig(),
      pricing: DEFAULT_PRICING_TABLE,
      logger: quietLogger as unknown as ActivityDeps['logger'],
      promptsDir: '',
    };
    conversationId = (
      await db.prisma.chatConversation.create({
        data: { title: 't', method: 'semantic_kernel', correlationId: 'c-1' },
      })
    ).id;
    await db.prisma.contextPromptExecution.create({
      data: {
        originalFilename: 'a.txt',
        fileType: 'txt',
        fileSizeBytes: 1,
        systemPrompt: 's [context]',
        userPrompt: 'u',
        method: 'semantic_kernel',
        correlationId: 'c-1',
        workflowId: 'context-1',
      },
    });

    // Both calls end while another process holds the write lock.
    await whileSqliteLocked(db.url, async () => {
      const meta = { framework: 'semantic_kernel', callIndex: 0 };
      chat = await auditedLlmCall(
        deps,
        ctx('chat-1', 'chatWorkflow', 'chatReplySemanticKernel'),
        { ...meta, step: 'chat' },
        paidCall,
      );
      context = await auditedLlmCall(
        deps,
        ctx('context-1', 'contextWorkflow', 'runContextPrompt'),
        { ...meta, step: 'context' },
        paidCall,
      );
      expect(unavailablePauseLeft(db.prisma)).toBeGreaterThan(0);
    });
  }, 30_000);
  afterAll(async () => {
    await db?.drop();
  });

  it('carries the rows instead of writing them', async () => {
    expect(chat.deferredAudit).toMatchObject({
      workflowId: 'chat-1',
      outcome: 'success',
      costUsd: chat.costUsd,
    });
    expect(context.deferredAudit).toMatchObject({ workflowId: 'context-1', outcome: 'success' });
    expect(await db.prisma.llmCallAttempt.count()).toBe(0);
  });

  it('persistChatTurn writes the row of the paid call with the turn, once however often it runs', async () => {
    const persist = chatPersistence(deps).persistChatTurn;
    const input = {
      conversationId,
      turnKey: 'turn-1',
      message: 'Hello',
      startedAt: new Date().toISOString(),
      correlationId: 'c-1',
      requestId: 'req-1',
      reply: {
        text: chat.text,
        framework: 'semantic_kernel' as const,
        provider: 'simulator',
        model: 'quillflow-sim-1',
        inputTokens: chat.inputTokens,
        outputTokens: chat.outputTokens,
        totalTokens: chat.totalTokens,
        costUsd: chat.costUsd,
        inputCostPer1k: chat.inputCostPer1k,
        outputCostPer1k: chat.outputCostPer1k,
        generationTimeMs: 1,
        historySent: 0,
        historyDropped: 0,
        deferredAudit: chat.deferredAudit,
      },
    };
    await persist(input);
    await persist(input); // a retry of the activity
    const rows = await rowsOf(chat.deferredAudit!.attemptKey);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ outcome: 'success', inputTokens: 1200, outputTokens: 300 });
    expect(rows[0].costUsd.toFixed(6)).toBe(chat.costUsd);
    expect(await db.prisma.chatMessage.count({ where: { conversationId } })).toBe(2);
  });

  it('completeContextExecution writes the row of the paid call with the answer, once', async () => {
    const complete = contextExecutionStore(deps).completeContextExecution;
    const input = {
      workflowId: 'context-1',
      totalExecutionTimeMs: 5,
      answer: {
        text: context.text,
        provider: 'simulator',
        model: 'quillflow-sim-1',
        finalPromptLength: 10,
        llmExecutionTimeMs: 1,
        inputTokens: context.inputTokens,
        outputTokens: context.outputTokens,
        totalTokens: context.totalTokens,
        costUsd: context.costUsd,
        inputCostPer1k: context.inputCostPer1k,
        outputCostPer1k: context.outputCostPer1k,
        deferredAudit: context.deferredAudit,
      },
    };
    await complete(input);
    await complete(input);
    const rows = await rowsOf(context.deferredAudit!.attemptKey);
    expect(rows).toHaveLength(1);
    expect(rows[0].outcome).toBe('success');
    const execution = await db.prisma.contextPromptExecution.findUniqueOrThrow({
      where: { workflowId: 'context-1' },
    });
    expect(execution.status).toBe('completed');
  });
});
