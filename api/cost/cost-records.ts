import Decimal from 'decimal.js';
import type { PrismaClient } from '../../prisma/client';
import type { CostRecord, CostWindow } from './cost-aggregation';

type Money = { toString(): string };
const dec = (v: Money) => new Decimal(v.toString());

/**
 * The columns every table of priced calls has. All but the cost go into the CostRecord as they
 * are (each table's mapping below takes the cost and its own columns out, and spreads the rest).
 */
const PRICED_CALL = {
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
} as const;

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
        ...PRICED_CALL,
        primaryCharacter: true,
        secondaryCharacter: true,
        generationTimeMs: true,
        storyContent: withContent,
      },
    }),
    prisma.chatMessage.findMany({
      where: { createdAt, role: 'assistant', estimatedCostUsd: priced },
      select: {
        ...PRICED_CALL,
        generationTimeMs: true,
        content: withContent,
        conversation: { select: { title: true, method: true, model: true } },
      },
    }),
    prisma.contextPromptExecution.findMany({
      where: { createdAt, status: 'completed', estimatedCostUsd: priced },
      select: {
        ...PRICED_CALL,
        originalFilename: true,
        totalExecutionTimeMs: true,
        llmResponse: withContent,
      },
    }),
  ]);
  return [
    ...stories.map(({ estimatedCostUsd, storyContent, ...s }): CostRecord => ({
      ...s,
      type: 'story',
      cost: dec(estimatedCostUsd!),
      conversationTitle: null,
      content: storyContent ?? null,
    })),
    ...messages.map(
      ({ estimatedCostUsd, content, conversation, method, model, ...m }): CostRecord => ({
        ...m,
        type: 'chat',
        method: method ?? conversation.method,
        model: model ?? conversation.model,
        cost: dec(estimatedCostUsd!),
        primaryCharacter: null,
        secondaryCharacter: null,
        conversationTitle: conversation.title,
        content: content ?? null,
      }),
    ),
    ...contexts.map(
      ({
        estimatedCostUsd,
        originalFilename,
        totalExecutionTimeMs,
        llmResponse,
        ...c
      }): CostRecord => ({
        ...c,
        type: 'context',
        cost: dec(estimatedCostUsd!),
        primaryCharacter: originalFilename,
        secondaryCharacter: null,
        conversationTitle: null,
        content: llmResponse ?? null,
        generationTimeMs: totalExecutionTimeMs,
      }),
    ),
  ];
}
