import Decimal from 'decimal.js';
import type { PrismaClient } from '../../prisma/client';
import type { CostRecord, CostWindow } from './cost-aggregation';

type Money = { toString(): string };
const dec = (v: Money) => new Decimal(v.toString());

/**
 * Loads every priced call in the window as a CostRecord: stories with a cost, assistant chat
 * messages with a cost (method/model from the message, else its conversation), and COMPLETED
 * context executions with a cost. Texts are loaded only when asked (transactions).
 */
export async function loadCostRecords(
  prisma: PrismaClient,
  window: Pick<CostWindow, 'start' | 'end'>,
  withContent = false,
): Promise<CostRecord[]> {
  const createdAt = { gte: window.start, lte: window.end };
  const priced = { not: null };
  const [stories, messages, contexts] = await Promise.all([
    prisma.story.findMany({
      where: { createdAt, estimatedCostUsd: priced },
      select: {
        id: true,
        method: true,
        model: true,
        estimatedCostUsd: true,
        inputTokens: true,
        outputTokens: true,
        totalTokens: true,
        createdAt: true,
        correlationId: true,
        requestId: true,
        primaryCharacter: true,
        secondaryCharacter: true,
        generationTimeMs: true,
        storyContent: withContent,
      },
    }),
    prisma.chatMessage.findMany({
      where: { createdAt, role: 'assistant', estimatedCostUsd: priced },
      select: {
        id: true,
        method: true,
        model: true,
        estimatedCostUsd: true,
        inputTokens: true,
        outputTokens: true,
        totalTokens: true,
        createdAt: true,
        correlationId: true,
        requestId: true,
        generationTimeMs: true,
        content: withContent,
        conversation: { select: { title: true, method: true, model: true } },
      },
    }),
    prisma.contextPromptExecution.findMany({
      where: { createdAt, status: 'completed', estimatedCostUsd: priced },
      select: {
        id: true,
        method: true,
        model: true,
        estimatedCostUsd: true,
        inputTokens: true,
        outputTokens: true,
        totalTokens: true,
        createdAt: true,
        correlationId: true,
        requestId: true,
        originalFilename: true,
        totalExecutionTimeMs: true,
        llmResponse: withContent,
      },
    }),
  ]);
  return [
    ...stories.map((s): CostRecord => ({
      id: s.id,
      type: 'story',
      method: s.method,
      model: s.model,
      cost: dec(s.estimatedCostUsd!),
      inputTokens: s.inputTokens,
      outputTokens: s.outputTokens,
      totalTokens: s.totalTokens,
      createdAt: s.createdAt,
      correlationId: s.correlationId,
      requestId: s.requestId,
      primaryCharacter: s.primaryCharacter,
      secondaryCharacter: s.secondaryCharacter,
      conversationTitle: null,
      content: s.storyContent ?? null,
      generationTimeMs: s.generationTimeMs,
    })),
    ...messages.map((m): CostRecord => ({
      id: m.id,
      type: 'chat',
      method: m.method ?? m.conversation.method,
      model: m.model ?? m.conversation.model,
      cost: dec(m.estimatedCostUsd!),
      inputTokens: m.inputTokens,
      outputTokens: m.outputTokens,
      totalTokens: m.totalTokens,
      createdAt: m.createdAt,
      correlationId: m.correlationId,
      requestId: m.requestId,
      primaryCharacter: null,
      secondaryCharacter: null,
      conversationTitle: m.conversation.title,
      content: m.content ?? null,
      generationTimeMs: m.generationTimeMs,
    })),
    ...contexts.map((c): CostRecord => ({
      id: c.id,
      type: 'context',
      method: c.method,
      model: c.model,
      cost: dec(c.estimatedCostUsd!),
      inputTokens: c.inputTokens,
      outputTokens: c.outputTokens,
      totalTokens: c.totalTokens,
      createdAt: c.createdAt,
      correlationId: c.correlationId,
      requestId: c.requestId,
      primaryCharacter: c.originalFilename,
      secondaryCharacter: null,
      conversationTitle: null,
      content: c.llmResponse ?? null,
      generationTimeMs: c.totalExecutionTimeMs,
    })),
  ];
}
