import { ApplicationFailure } from '@temporalio/common';
import { CONVERSATION_NOT_FOUND, turnRowKeys, type ChatTurnResult } from '../../common/chat-types';
import { normalizeFramework } from '../../common/frameworks';
import type { PrismaClient } from '../../prisma/client';
import type { ChatHistory } from '../frameworks/framework';

/** Reads a long conversation in one query at most this deep; the token budget keeps far fewer. */
const HISTORY_SCAN_LIMIT = 1000;

export function conversationNotFound(conversationId: number): ApplicationFailure {
  return ApplicationFailure.nonRetryable(
    `Conversation ${conversationId} not found`,
    CONVERSATION_NOT_FOUND,
  );
}

export async function assertConversationExists(
  prisma: PrismaClient,
  conversationId: number,
): Promise<void> {
  const found = await prisma.chatConversation.findUnique({
    where: { id: conversationId },
    select: { id: true },
  });
  if (!found) throw conversationNotFound(conversationId);
}

/** Earlier turns, oldest first. Ordered by id: turns are serialized, so ids follow the turns. */
export async function loadHistory(
  prisma: PrismaClient,
  conversationId: number,
): Promise<ChatHistory> {
  const rows = await prisma.chatMessage.findMany({
    where: { conversationId },
    orderBy: { id: 'desc' },
    take: HISTORY_SCAN_LIMIT,
    select: { role: true, content: true },
  });
  return rows
    .reverse()
    .map((r) => ({ role: r.role === 'assistant' ? 'assistant' : 'user', content: r.content }));
}

/** The stored rows of a turn, if a previous attempt already saved it. */
export async function findPersistedTurn(
  prisma: PrismaClient,
  conversationId: number,
  turnKey: string,
): Promise<(ChatTurnResult & { assistant: { content: string } }) | undefined> {
  const keys = turnRowKeys(turnKey);
  const rows = await prisma.chatMessage.findMany({
    where: { turnKey: { in: [keys.user, keys.assistant] } },
    select: { id: true, turnKey: true, method: true, content: true },
  });
  const user = rows.find((r) => r.turnKey === keys.user);
  const assistant = rows.find((r) => r.turnKey === keys.assistant);
  if (!user || !assistant) return undefined;
  return {
    conversationId,
    turnKey,
    userMessageId: user.id,
    assistantMessageId: assistant.id,
    framework: normalizeFramework(assistant.method) ?? 'semantic_kernel',
    assistant: { content: assistant.content },
  };
}
