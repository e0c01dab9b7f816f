import { defineQuery, defineUpdate } from '@temporalio/workflow';
import type { ChatTurnResult } from '../common/chat-types';
import type { Framework } from '../common/frameworks';
import type { Origin } from '../common/origins';
import type { RunSettings } from '../common/workflow-types';

// Contract of chatWorkflow with its callers (API, MCP): input, result, messages. Each user
// message is the sendMessage Update (update-with-start); its result is also persistChatTurn's
// (common/chat-types.ts).

export interface ChatWorkflowInput {
  conversationId: number;
  /** Transaction GUID of the request that created the conversation (stable across runs). */
  correlationId: string;
  origin: Origin;
  settings: RunSettings;
  idleTimeoutMs?: number;
  maxTurnsPerRun?: number;
  /** Turns handled by the earlier runs of this chain (carried over continue-as-new). */
  turnsBefore?: number;
}

/** The workflow's state (query `state`), and its result when the conversation goes idle. */
export interface ChatWorkflowState {
  conversationId: number;
  turns: number;
  queued: number;
  busy: boolean;
  lastFramework?: Framework;
}

/** The argument of the `sendMessage` update: one user message and how to answer it. */
export interface ChatTurnRequest {
  message: string;
  framework: Framework;
  /** Transaction GUID and request id of the HTTP/MCP request carrying this message. */
  correlationId: string;
  requestId: string;
  origin: Origin;
  /** The conversation was created for this message: a failed first turn removes it again. */
  newConversation: boolean;
}

/** One user message; answered (stored user and assistant message ids) once the turn is stored. */
export const sendMessageUpdate = defineUpdate<ChatTurnResult, [ChatTurnRequest]>('sendMessage');
export const chatStateQuery = defineQuery<ChatWorkflowState>('state');
