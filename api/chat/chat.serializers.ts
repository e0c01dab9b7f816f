import { usdToNumber } from '../../common/money';
import { messagePreview } from '../../common/schemas/chat';
import type {
  ChatConversation,
  ChatConversationListItem,
  ChatMessage,
} from '../../common/schemas/chat-responses';
// Prisma's row types, renamed: the response shapes above have the plain names.
import type {
  ChatConversation as ConversationRow,
  ChatMessage as MessageRow,
} from '../../prisma/client';

/** The original's chat shapes (snake_case, ISO timestamps with Z), so its clients keep working. */
type Money = { toString(): string } | null;

const money = (v: Money) => (v === null ? null : usdToNumber(v.toString()));

export function chatMessageDto(m: MessageRow): ChatMessage {
  return {
    id: m.id,
    role: m.role,
    content: m.content,
    generation_time_ms: m.generationTimeMs,
    input_tokens: m.inputTokens,
    output_tokens: m.outputTokens,
    total_tokens: m.totalTokens,
    created_at: m.createdAt.toISOString(),
    estimated_cost_usd: money(m.estimatedCostUsd),
    input_cost_per_1k_tokens: money(m.inputCostPer1kTokens),
    output_cost_per_1k_tokens: money(m.outputCostPer1kTokens),
    // Not in the original: which framework answered (null for user messages).
    method: m.method,
  };
}

export function conversationDto(c: ConversationRow & { messages: MessageRow[] }): ChatConversation {
  return {
    id: c.id,
    title: c.title,
    method: c.method,
    model: c.model,
    created_at: c.createdAt.toISOString(),
    updated_at: c.updatedAt.toISOString(),
    messages: c.messages.map(chatMessageDto),
    // Not in the original: the conversation's workflow, for the Temporal UI and /api/runs.
    workflow_id: c.workflowId,
  };
}

export function conversationListItem(
  c: ConversationRow & { messageCount: number; lastMessage?: string },
): ChatConversationListItem {
  return {
    id: c.id,
    title: c.title,
    method: c.method,
    model: c.model,
    message_count: c.messageCount,
    last_message_preview: c.lastMessage === undefined ? null : messagePreview(c.lastMessage),
    created_at: c.createdAt.toISOString(),
    updated_at: c.updatedAt.toISOString(),
  };
}
