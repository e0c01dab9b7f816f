import { z } from 'zod';
import { CHAT_MESSAGE_MAX_CHARS } from '../chat-types';
import { frameworkSchema, paginationSchema } from './story';
import { isWellFormedText, notBlankPattern, notWellFormed } from './well-formed';

/**
 * Chat request schemas, shared by the HTTP routes and the MCP tools. Field names are the
 * original's (snake_case) so its clients keep working.
 */

/** Ids are 32-bit integers in both databases; anything larger can only be a mistake. */
const MAX_ID = 2_147_483_647;

/** Counted in code points, as the original (Python) did, so an emoji is one character. */
export const chatMessageText = z
  .string({ error: 'message is required and must be a string' })
  .refine((v) => v.length > 0, { error: 'message must not be empty' })
  .refine((v) => [...v].length <= CHAT_MESSAGE_MAX_CHARS, {
    error: `message must be at most ${CHAT_MESSAGE_MAX_CHARS} characters long`,
  })
  .refine((v) => v.trim().length > 0, {
    error: 'message must contain something other than whitespace',
  })
  .refine(isWellFormedText, notWellFormed('message'))
  .meta({ minLength: 1, maxLength: CHAT_MESSAGE_MAX_CHARS, pattern: notBlankPattern() });

/** Decimal digits (leading zeros allowed) of a number from 1 to MAX_ID, spelled out for the document. */
const ID_DIGITS_PATTERN =
  '^0*(?:[1-9][0-9]{0,8}|1[0-9]{9}|20[0-9]{8}|21[0-3][0-9]{7}|214[0-6][0-9]{6}|2147[0-3][0-9]{5}|21474[0-7][0-9]{4}|214748[0-2][0-9]{3}|2147483[0-5][0-9]{2}|21474836[0-3][0-9]|214748364[0-7])$';

/** An integer, or its decimal string (the original's pydantic accepted "12" too). */
export const conversationIdSchema = z
  .union([z.number(), z.string().regex(/^\d+$/).transform(Number)], {
    error: 'conversation_id must be an integer or null',
  })
  .pipe(
    z
      .number()
      .int({ error: 'conversation_id must be an integer or null' })
      .min(1, { error: 'conversation_id must be a positive integer' })
      .max(MAX_ID, { error: 'conversation_id is too large' }),
  )
  // The document states the range of both spellings (the checks above name the problem).
  .meta({
    anyOf: [
      { type: 'integer', minimum: 1, maximum: MAX_ID },
      { type: 'string', pattern: ID_DIGITS_PATTERN },
    ],
  });

/** Body of `POST /api/chat/{framework}`; unknown fields are ignored, as in the original. */
export const chatMessageRequestSchema = z.object({
  message: chatMessageText,
  conversation_id: conversationIdSchema.nullish().transform((v) => v ?? null),
});
export type ChatMessageRequest = z.output<typeof chatMessageRequestSchema>;

/** The same request with the framework in it (MCP tools, which have no path). */
export const chatToolInputShape = {
  framework: frameworkSchema,
  message: chatMessageText,
  conversation_id: conversationIdSchema.nullish().transform((v) => v ?? null),
};
export const chatToolInputSchema = z.object(chatToolInputShape);
export type ChatToolInput = z.output<typeof chatToolInputSchema>;

export const chatFrameworkSchema = frameworkSchema;

export const conversationListQuerySchema = paginationSchema(20);
export type ConversationListQuery = z.output<typeof conversationListQuerySchema>;

export const TITLE_CHARS = 50;
export const PREVIEW_CHARS = 100;

/** The original's title: the first 50 characters of the stripped message, "..." if longer. */
export function conversationTitle(message: string): string {
  const stripped = message.trim();
  const chars = [...stripped];
  return chars.length > TITLE_CHARS ? `${chars.slice(0, TITLE_CHARS).join('')}...` : stripped;
}

export function messagePreview(content: string): string {
  const chars = [...content];
  return chars.length > PREVIEW_CHARS ? `${chars.slice(0, PREVIEW_CHARS).join('')}...` : content;
}
