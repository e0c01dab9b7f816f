import {
  turnRowKeys,
  type ChatTurnResult,
  type PersistChatTurnInput,
} from '../../common/chat-types';
import type { ActivityDeps } from '../deps';
import { closeLostAttempts, writeDeferredAuditRows } from '../llm/audit';
import { activityWorkflowId } from '../llm/call-context';
import { conversationNotFound, findPersistedTurn } from './chat-store';

const prismaCode = (err: unknown): unknown => (err as { code?: unknown } | null)?.code;

const later = (a: Date, b?: Date): Date => (b && b > a ? b : a);

/**
 * Writes a turn (user message, assistant message, conversation.updated_at) in one transaction,
 * so a conversation never shows a question without its answer. Idempotent: each row carries a
 * unique key derived from the update id, and a retry finds the rows of the first attempt.
 */
export function chatPersistence(deps: ActivityDeps) {
  const { prisma } = deps;
  return {
    async persistChatTurn(input: PersistChatTurnInput): Promise<ChatTurnResult> {
      if (input.reply.alreadyPersisted) return input.reply.alreadyPersisted;
      const stored = await findPersistedTurn(prisma, input.conversationId, input.turnKey);
      if (stored) return withoutContent(stored);

      const keys = turnRowKeys(input.turnKey);
      const r = input.reply;
      // Timestamps never run backwards within a conversation, whatever the clocks of the
      // workflow (turn start) and this worker (answer time) say.
      const last = await prisma.chatMessage.findFirst({
        where: { conversationId: input.conversationId },
        orderBy: { id: 'desc' },
        select: { createdAt: true },
      });
      const userAt = later(new Date(input.startedAt), last?.createdAt);
      const assistantAt = later(new Date(), userAt);
      const common = {
        conversationId: input.conversationId,
        requestId: input.requestId,
        correlationId: input.correlationId,
      };
      // The audit row of the paid call, if the database refused it then: first, as for stories.
      await writeDeferredAuditRows(prisma, r.deferredAudit ? [r.deferredAudit] : []);
      try {
        const [, user, assistant] = await prisma.$transaction([
          prisma.chatConversation.update({
            where: { id: input.conversationId },
            data: { updatedAt: assistantAt },
            select: { id: true },
          }),
          prisma.chatMessage.create({
            data: {
              ...common,
              role: 'user',
              content: input.message,
              turnKey: keys.user,
              createdAt: userAt,
            },
            select: { id: true },
          }),
          prisma.chatMessage.create({
            data: {
              ...common,
              role: 'assistant',
              content: r.text,
              method: r.framework,
              model: r.model,
              generationTimeMs: r.generationTimeMs,
              inputTokens: r.inputTokens,
              outputTokens: r.outputTokens,
              totalTokens: r.totalTokens,
              estimatedCostUsd: r.costUsd,
              inputCostPer1kTokens: r.inputCostPer1k,
              outputCostPer1kTokens: r.outputCostPer1k,
              turnKey: keys.assistant,
              createdAt: assistantAt,
            },
            select: { id: true },
          }),
        ]);
        // This turn's generation is over (turns of a conversation run one at a time): a row of
        // the conversation's workflow still pending is an attempt whose worker died mid-call.
        const workflowId = activityWorkflowId();
        if (workflowId) await closeLostAttempts(prisma, workflowId);
        deps.logger.info(
          {
            correlationId: input.correlationId,
            conversationId: input.conversationId,
            userMessageId: user.id,
            assistantMessageId: assistant.id,
          },
          'chat turn persisted',
        );
        return {
          conversationId: input.conversationId,
          turnKey: input.turnKey,
          userMessageId: user.id,
          assistantMessageId: assistant.id,
          framework: r.framework,
        };
      } catch (err) {
        const code = prismaCode(err);
        // P2025: the conversation row is gone; P2003: it went between the update and the insert.
        if (code === 'P2025' || code === 'P2003') throw conversationNotFound(input.conversationId);
        if (code === 'P2002') {
          // A concurrent attempt of this same turn won the race: its rows are the turn.
          const winner = await findPersistedTurn(prisma, input.conversationId, input.turnKey);
          if (winner) return withoutContent(winner);
        }
        throw err;
      }
    },

    /**
     * Compensation for a conversation created for a first message whose answer failed: the
     * conversation goes again, as in the original, where a failed turn persisted nothing. A
     * conversation that has messages is never touched.
     */
    async discardEmptyConversation(input: {
      conversationId: number;
      correlationId: string;
    }): Promise<boolean> {
      const { count } = await prisma.chatConversation.deleteMany({
        where: { id: input.conversationId, messages: { none: {} } },
      });
      if (count > 0) {
        deps.logger.info(
          { correlationId: input.correlationId, conversationId: input.conversationId },
          'empty conversation discarded after a failed first turn',
        );
      }
      return count > 0;
    },
  };
}

function withoutContent<T extends { assistant: unknown }>(t: T): Omit<T, 'assistant'> {
  const { assistant: _a, ...rest } = t;
  return rest;
}
