import { z } from 'zod';
import { int, isoDateTime, named, usdNumber } from './response-fields';

/** Chat in the original's shapes (snake_case, money as numbers, ISO timestamps with Z). */

export const chatMessageSchema = named(
  'ChatMessage',
  z.strictObject({
    id: int,
    /** `user` or `assistant`. */
    role: z.string(),
    content: z.string(),
    generation_time_ms: z.number().nullable(),
    input_tokens: int.nullable(),
    output_tokens: int.nullable(),
    total_tokens: int.nullable(),
    created_at: isoDateTime,
    estimated_cost_usd: usdNumber.nullable(),
    input_cost_per_1k_tokens: usdNumber.nullable(),
    output_cost_per_1k_tokens: usdNumber.nullable(),
    /** Which framework answered (null for user messages); not in the original. */
    method: z.string().nullable(),
  }),
  'One chat message',
);
export type ChatMessage = z.infer<typeof chatMessageSchema>;

export const chatConversationSchema = named(
  'ChatConversation',
  z.strictObject({
    id: int,
    title: z.string(),
    method: z.string(),
    model: z.string().nullable(),
    created_at: isoDateTime,
    updated_at: isoDateTime,
    messages: z.array(chatMessageSchema),
    /** The conversation's workflow (Temporal UI, /api/runs); not in the original. */
    workflow_id: z.string().nullable(),
  }),
  'A conversation with all its messages, oldest first',
);
export type ChatConversation = z.infer<typeof chatConversationSchema>;

export const chatConversationListItemSchema = named(
  'ChatConversationListItem',
  z.strictObject({
    id: int,
    title: z.string(),
    method: z.string(),
    model: z.string().nullable(),
    message_count: int,
    last_message_preview: z.string().nullable(),
    created_at: isoDateTime,
    updated_at: isoDateTime,
  }),
  'A conversation with its message count and a preview of its last message',
);
export type ChatConversationListItem = z.infer<typeof chatConversationListItemSchema>;

export const chatConversationListSchema = named(
  'ChatConversationList',
  z.array(chatConversationListItemSchema),
  'Conversations, most recently updated first',
);

export const chatTurnResponseSchema = named(
  'ChatTurnResponse',
  z.strictObject({
    conversation: chatConversationSchema,
    /** The assistant's reply (also the last message of the conversation). */
    message: chatMessageSchema,
    request_id: z.string(),
  }),
  'One chat turn answered: the conversation and the reply',
);
export type ChatTurnResponse = z.infer<typeof chatTurnResponseSchema>;
