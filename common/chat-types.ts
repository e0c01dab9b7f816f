import type { Framework } from './frameworks';
import type { Usd } from './money';
import type { Origin } from './origins';
import type { DeferredAuditRow } from './workflow-types';

/**
 * Chat constants and the contract of `chatWorkflow`'s activities (the workflow's own, with its
 * messages, is in workflows/chat.definitions.ts). Types and constants only: workflow code
 * imports this file.
 */

/**
 * Workflow ID of a conversation's entity workflow: `chat-<conversationId>-<key>`, stored on the
 * conversation row. The key (random, made when the conversation is) keeps IDs unique when
 * databases come and go under one Temporal namespace (a reset dev database, every test
 * database): conversation ids restart at 1, and a bare `chat-1` would attach new messages to
 * the still-running workflow of another database's conversation 1.
 */
export const chatWorkflowId = (conversationId: number, key: string): string =>
  `chat-${conversationId}-${key}`;

/** A conversation's workflow closes after this long without a message; the next one restarts it. */
export const CHAT_IDLE_TIMEOUT_MS = 60 * 60 * 1000;

/** Turns per run before continue-as-new, so the history of a long conversation stays small. */
export const CHAT_MAX_TURNS_PER_RUN = 100;

export const CHAT_MESSAGE_MAX_CHARS = 2000;

/** What the `sendMessage` update returns; callers read the rows by id. */
export interface ChatTurnResult {
  conversationId: number;
  turnKey: string;
  userMessageId: number;
  assistantMessageId: number;
  framework: Framework;
}

export interface ChatReplyInput {
  conversationId: number;
  framework: Framework;
  message: string;
  turnKey: string;
  correlationId: string;
  requestId: string;
  origin: Origin;
}

export interface ChatReply {
  text: string;
  framework: Framework;
  provider: string;
  model: string;
  inputTokens: number;
  outputTokens: number;
  totalTokens: number;
  costUsd: Usd;
  inputCostPer1k: Usd;
  outputCostPer1k: Usd;
  generationTimeMs: number;
  /** History messages sent with the request, and how many older ones the token budget left out. */
  historySent: number;
  historyDropped: number;
  /** The turn had already been stored (a retried update): nothing was generated or paid. */
  alreadyPersisted?: ChatTurnResult;
  /** The call's audit row, when the database refused it: persistChatTurn writes it first. */
  deferredAudit?: DeferredAuditRow;
}

export interface PersistChatTurnInput {
  conversationId: number;
  turnKey: string;
  message: string;
  /** Workflow time at which the turn started: the user message's timestamp. */
  startedAt: string;
  reply: ChatReply;
  correlationId: string;
  requestId: string;
}

/** Failure type of a turn whose conversation does not exist (any more): a 404 for the caller. */
export const CONVERSATION_NOT_FOUND = 'ConversationNotFound';

/** Idempotency keys of a turn's two rows, derived from the update id. */
export const turnRowKeys = (turnKey: string) => ({
  user: `${turnKey}/user`,
  assistant: `${turnKey}/assistant`,
});
