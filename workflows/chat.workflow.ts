import {
  ActivityFailure,
  allHandlersFinished,
  ApplicationFailure,
  condition,
  continueAsNew,
  currentUpdateInfo,
  patched,
  proxyActivities,
  setCurrentDetails,
  setHandler,
  upsertSearchAttributes,
  uuid4,
  workflowInfo,
} from '@temporalio/workflow';
import type { Activities } from '../activities';
import {
  CHAT_IDLE_TIMEOUT_MS,
  CHAT_MAX_TURNS_PER_RUN,
  CHAT_MESSAGE_MAX_CHARS,
  CONVERSATION_NOT_FOUND,
  type ChatReply,
  type ChatReplyInput,
  type ChatTurnResult,
} from '../common/chat-types';
import { FRAMEWORK_LABELS, isFramework, type Framework } from '../common/frameworks';
import { SEARCH_ATTRIBUTE_KEYS as SA } from '../temporal/search-attributes';
import { persistOptions, singleCallOptions } from './activity-options';
import {
  chatStateQuery,
  sendMessageUpdate,
  type ChatTurnRequest,
  type ChatWorkflowInput,
  type ChatWorkflowState,
} from './chat.definitions';
import { frameworkInfo } from './frameworks';

/**
 * The entity workflow of one conversation (ID `chat-<conversationId>-<key>`, see chatWorkflowId).
 * Each user message is an Update; updates are answered strictly one at a time, in the order
 * Temporal accepted them (FIFO tickets), so concurrent messages to one conversation are never
 * interleaved or lost: each turn's answer sees the history including every earlier turn. The
 * workflow holds no chat text between turns: activities read the history from the database and
 * store each turn idempotently, keyed by the update id. It continues as new after a bounded
 * number of turns and closes after an idle hour; the next message (update-with-start) starts a
 * fresh run with nothing to restore. A failed turn stores nothing (as in the original), and a
 * conversation created for a first message whose answer failed is removed again.
 */
export async function chatWorkflow(input: ChatWorkflowInput): Promise<ChatWorkflowState> {
  const { conversationId } = input;
  const idleTimeoutMs = input.idleTimeoutMs ?? CHAT_IDLE_TIMEOUT_MS;
  const maxTurnsPerRun = input.maxTurnsPerRun ?? CHAT_MAX_TURNS_PER_RUN;
  const llm = proxyActivities<Activities>(singleCallOptions(input.settings));
  const db = proxyActivities<Activities>(persistOptions);

  let issued = 0;
  let served = 0;
  let turnsThisRun = 0;
  let conversationGone = false;
  const state: ChatWorkflowState = {
    conversationId,
    turns: input.turnsBefore ?? 0,
    queued: 0,
    busy: false,
  };

  if (workflowInfo().typedSearchAttributes.get(SA.WorkflowKind) === undefined) {
    upsertSearchAttributes([
      { key: SA.WorkflowKind, value: 'chat' },
      { key: SA.Origin, value: input.origin },
      { key: SA.CorrelationId, value: input.correlationId },
    ]);
  }
  setHandler(chatStateQuery, () => ({ ...state, queued: issued - served, busy: issued > served }));

  const generate = (f: Framework, args: ChatReplyInput): Promise<ChatReply> =>
    llm[frameworkInfo(f).chat.activity](args);

  async function runTurn(req: ChatTurnRequest, turnKey: string): Promise<ChatTurnResult> {
    const startedAt = new Date().toISOString();
    state.lastFramework = req.framework;
    upsertSearchAttributes([{ key: SA.Framework, value: req.framework }]);
    setCurrentDetails(`Turn ${state.turns + 1}: answering with ${FRAMEWORK_LABELS[req.framework]}`);
    let reply: ChatReply;
    try {
      reply = await generate(req.framework, {
        conversationId,
        framework: req.framework,
        message: req.message,
        turnKey,
        correlationId: req.correlationId,
        requestId: req.requestId,
        origin: req.origin,
      });
    } catch (err) {
      if (failureType(err) === CONVERSATION_NOT_FOUND) conversationGone = true;
      // Only the sole turn of a conversation created for it: a queued turn keeps it alive.
      else if (req.newConversation && issued - served === 1) {
        conversationGone = await db.discardEmptyConversation({
          conversationId,
          correlationId: req.correlationId,
        });
      }
      // Turns run one at a time, so a pending audit row of this workflow now is an attempt
      // whose worker died mid-call (a stored turn marks them lost the same way).
      if (patched('mark-lost-attempts-of-failed-turn')) {
        await db.markLostAttempts({ workflowId: workflowInfo().workflowId });
      }
      setCurrentDetails(`Turn ${state.turns + 1} failed: ${describe(err)}`);
      throw err;
    }
    upsertSearchAttributes([
      { key: SA.LlmProvider, value: reply.provider },
      { key: SA.LlmModel, value: reply.model },
    ]);
    try {
      const saved = await db.persistChatTurn({
        conversationId,
        turnKey,
        message: req.message,
        startedAt,
        reply,
        correlationId: req.correlationId,
        requestId: req.requestId,
      });
      state.turns++;
      setCurrentDetails(
        `${state.turns} turn(s); last: ${FRAMEWORK_LABELS[req.framework]}, ${reply.totalTokens} tokens, $${reply.costUsd}, ${reply.historySent} history message(s) sent`,
      );
      return saved;
    } catch (err) {
      if (failureType(err) === CONVERSATION_NOT_FOUND) conversationGone = true;
      throw err;
    }
  }

  setHandler(
    sendMessageUpdate,
    async (req) => {
      const turnKey = currentUpdateInfo()?.id ?? uuid4();
      const ticket = issued++;
      await condition(() => served === ticket);
      try {
        return await runTurn(req, turnKey);
      } finally {
        served++;
        turnsThisRun++;
      }
    },
    {
      validator: (req: ChatTurnRequest) => {
        if (conversationGone)
          throw ApplicationFailure.nonRetryable(
            `Conversation ${conversationId} not found`,
            CONVERSATION_NOT_FOUND,
          );
        validateTurn(req);
      },
      description:
        'Send one user message; returns the ids of the stored user and assistant messages',
    },
  );

  for (;;) {
    const woke = await condition(() => issued > served || conversationGone, idleTimeoutMs);
    if (!woke) break;
    await condition(() => issued === served);
    if (conversationGone) break;
    if (turnsThisRun >= maxTurnsPerRun || workflowInfo().continueAsNewSuggested) {
      await condition(allHandlersFinished);
      return continueAsNew<typeof chatWorkflow>({ ...input, turnsBefore: state.turns });
    }
  }
  // Every accepted message is answered before the run ends.
  await condition(allHandlersFinished);
  setCurrentDetails(
    conversationGone ? 'Conversation deleted: closed' : `Idle: closed after ${state.turns} turn(s)`,
  );
  return { ...state, queued: 0, busy: false };
}

/** Rejects (before acceptance, so nothing enters history) a message the API should have refused. */
function validateTurn(req: ChatTurnRequest): void {
  const bad = (m: string) => ApplicationFailure.nonRetryable(m, 'InvalidChatTurn');
  if (typeof req?.message !== 'string' || req.message.trim() === '')
    throw bad('message must not be empty');
  if ([...req.message].length > CHAT_MESSAGE_MAX_CHARS)
    throw bad(`message must be at most ${CHAT_MESSAGE_MAX_CHARS} characters`);
  if (!isFramework(req.framework)) throw bad('unknown framework');
}

function innermost(err: unknown): unknown {
  let e = err;
  while (e instanceof ActivityFailure && e.cause) e = e.cause;
  return e;
}

function failureType(err: unknown): string | undefined {
  const e = innermost(err);
  return e instanceof ApplicationFailure ? (e.type ?? undefined) : undefined;
}

function describe(err: unknown): string {
  const e = innermost(err);
  if (e instanceof ApplicationFailure) return `${e.type ?? 'Error'}: ${e.message}`;
  return e instanceof Error ? e.message : String(e);
}
