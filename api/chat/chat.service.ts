import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { HttpStatus, Inject, Injectable, Logger } from '@nestjs/common';
import {
  type Client,
  WithStartWorkflowOperation,
  WorkflowUpdateFailedError,
} from '@temporalio/client';
import { WorkflowIdConflictPolicy } from '@temporalio/common';
import {
  chatWorkflowId,
  CONVERSATION_NOT_FOUND,
  type ChatTurnResult,
} from '../../common/chat-types';
import type { AppConfig } from '../../common/config';
import { FRAMEWORK_CATALOG, FRAMEWORK_LABELS, type Framework } from '../../common/frameworks';
import type { Origin } from '../../common/origins';
import {
  conversationTitle,
  type ChatMessageRequest,
  type ConversationListQuery,
} from '../../common/schemas/chat';
import type {
  ChatConversation,
  ChatConversationListItem,
  ChatTurnResponse,
} from '../../common/schemas/chat-responses';
import type { DeletedCount, Message } from '../../common/schemas/response-fields';
import type { PrismaClient } from '../../prisma/client';
import {
  sendMessageUpdate,
  type ChatTurnRequest,
  type ChatWorkflowInput,
} from '../../workflows/chat.definitions';
import { chatWorkflow } from '../../workflows/chat.workflow';
import {
  chatTurnBoundedRequest,
  chatTurnTokens,
  historyRoom,
} from '../../activities/chat/turn-bounds';
import { loadPrompt } from '../../activities/prompts';
import { ApiError, notFound } from '../http/api-error';
import { currentRequestContext } from '../http/request-context';
import { RequestBounds } from '../core/request-bounds.service';
import { CONFIG, PRISMA, TEMPORAL } from '../core/tokens';
import { failureToHttp, summarizeFailure } from '../core/workflow-errors';
import { stillRunning } from '../core/wait-deadline';
import { WorkflowStarter } from '../core/workflow-starter';
import { conversationDto, conversationListItem } from './chat.serializers';
import { runSearchAttributes } from '../core/run-search-attributes';

/** Ids are 32-bit in both databases: a larger one cannot exist (and PostgreSQL would reject it). */
const MAX_ID = 2_147_483_647;

/** Delivery attempts of one message when the workflow service, not the turn, failed. */
const DELIVERY_ATTEMPTS = 3;

/** The conversation a turn goes to, and the workflow that serializes its turns. */
interface TurnTarget {
  id: number;
  workflowId: string;
  correlationId: string;
}

const newWorkflowKey = () => randomUUID().replace(/-/g, '').slice(0, 12);

const MESSAGE_ORDER = [{ createdAt: 'asc' as const }, { id: 'asc' as const }];

@Injectable()
export class ChatService {
  private readonly log = new Logger(ChatService.name);

  constructor(
    private readonly starter: WorkflowStarter,
    @Inject(PRISMA) private readonly prisma: PrismaClient,
    @Inject(CONFIG) private readonly config: AppConfig,
    @Inject(TEMPORAL) private readonly client: Client,
    private readonly bounds: RequestBounds,
  ) {}

  /**
   * One chat turn: the conversation is created here when new (the workflow ID needs its id),
   * then the message goes to the conversation's workflow by update-with-start, which starts the
   * workflow if it is not running. The reply comes back when the turn is stored.
   */
  async send(
    framework: Framework,
    req: ChatMessageRequest,
    o: { origin?: Origin } = {},
  ): Promise<ChatTurnResponse> {
    const ctx = currentRequestContext();
    const origin = o.origin ?? 'api';
    this.assertBounded(framework, req.message);
    const created = req.conversation_id === null;
    const conversation =
      req.conversation_id === null
        ? await this.createConversation(framework, req.message, ctx.correlationId, origin)
        : await this.findForTurn(req.conversation_id);
    const conversationId = conversation.id;

    const turn: ChatTurnRequest = {
      message: req.message,
      framework,
      correlationId: ctx.correlationId,
      requestId: ctx.requestId,
      origin,
      newConversation: created,
    };
    let result: ChatTurnResult;
    try {
      const waited = await this.starter.waitWithin(() => this.deliver(conversation, turn));
      if (!waited.done) {
        // The turn may be under way (or delivered when a worker comes back): keep the conversation.
        throw stillRunning(
          `No reply after ${this.starter.waitSeconds} s. If the message reached conversation ${conversationId}, it is still being answered and the reply will be stored there: check GET /api/chat/conversations/${conversationId} before sending it again.`,
        );
      }
      result = waited.value;
    } catch (err) {
      if (err instanceof ApiError) throw err;
      if (created && !(err instanceof WorkflowUpdateFailedError)) {
        // The message never reached the workflow, which would otherwise clean up: do it here.
        await this.prisma.chatConversation
          .deleteMany({ where: { id: conversationId, messages: { none: {} } } })
          .catch(() => undefined);
      }
      throw this.toHttp(err, conversationId);
    }

    const full = await this.loadConversation(conversationId);
    const message = full.messages.find((m) => m.id === result.assistantMessageId);
    if (!message) throw notFound('Conversation');
    return { conversation: full, message, request_id: ctx.requestId };
  }

  /**
   * Before anything is written: the message with the framework's system prompt must fit the
   * context window (history is trimmed to the room left), and the turn at its worst (full
   * history) must stay under MAX_REQUEST_COST_USD. The activity checks the turn as sent again.
   */
  private assertBounded(framework: Framework, message: string): void {
    const { limits, promptsDir } = this.bounds;
    const system = loadPrompt(promptsDir, FRAMEWORK_CATALOG[framework].chat.systemPrompt);
    const worst =
      chatTurnTokens(system, [{ role: 'user', content: message }]) +
      historyRoom(limits, this.config.env.CHAT_HISTORY_TOKEN_BUDGET, system, message);
    this.bounds.assert(chatTurnBoundedRequest(limits, worst));
  }

  async list(q: ConversationListQuery): Promise<ChatConversationListItem[]> {
    const rows = await this.prisma.chatConversation.findMany({
      orderBy: [{ updatedAt: 'desc' }, { id: 'desc' }],
      skip: q.skip,
      take: q.limit,
      include: {
        _count: { select: { messages: true } },
        messages: {
          orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
          take: 1,
          select: { content: true },
        },
      },
    });
    return rows.map((r) =>
      conversationListItem({
        ...r,
        messageCount: r._count.messages,
        lastMessage: r.messages[0]?.content,
      }),
    );
  }

  /** How many conversations there are in all (the list says it in X-Total-Count). */
  count(): Promise<number> {
    return this.prisma.chatConversation.count();
  }

  async get(id: number): Promise<ChatConversation> {
    return this.loadConversation(id);
  }

  async deleteOne(id: number): Promise<Message> {
    if (id > MAX_ID) throw notFound('Conversation');
    // Messages go with it (ON DELETE CASCADE); an idle workflow of it simply times out.
    const { count } = await this.prisma.chatConversation.deleteMany({ where: { id } });
    if (count === 0) throw notFound('Conversation');
    return { message: 'Conversation deleted successfully' };
  }

  async deleteAll(): Promise<DeletedCount> {
    // Messages first, explicitly, so no row can be left pointing at a deleted conversation.
    const [, conversations] = await this.prisma.$transaction([
      this.prisma.chatMessage.deleteMany({}),
      this.prisma.chatConversation.deleteMany({}),
    ]);
    return {
      message: 'All conversations deleted successfully',
      deleted_count: conversations.count,
    };
  }

  private async loadConversation(id: number): Promise<ChatConversation> {
    const row =
      id > MAX_ID
        ? null
        : await this.prisma.chatConversation.findUnique({
            where: { id },
            include: { messages: { orderBy: MESSAGE_ORDER } },
          });
    if (!row) throw notFound('Conversation');
    return conversationDto(row);
  }

  private async createConversation(
    framework: Framework,
    message: string,
    correlationId: string,
    origin: Origin,
  ): Promise<TurnTarget> {
    const { provider } = this.config;
    const row = await this.prisma.chatConversation.create({
      data: {
        title: conversationTitle(message),
        method: framework,
        correlationId,
        provider: provider.name,
        model: provider.model,
        origin,
      },
      select: { id: true },
    });
    const workflowId = chatWorkflowId(row.id, newWorkflowKey());
    await this.prisma.chatConversation.update({ where: { id: row.id }, data: { workflowId } });
    return { id: row.id, workflowId, correlationId };
  }

  private async findForTurn(id: number): Promise<TurnTarget> {
    const select = { id: true, workflowId: true, correlationId: true };
    const row =
      id > MAX_ID ? null : await this.prisma.chatConversation.findUnique({ where: { id }, select });
    if (!row) throw notFound('Conversation');
    if (row.workflowId) return { ...row, workflowId: row.workflowId };
    // A conversation made without one (another tool, an import): give it its workflow now.
    await this.prisma.chatConversation.updateMany({
      where: { id, workflowId: null },
      data: { workflowId: chatWorkflowId(id, newWorkflowKey()) },
    });
    const again = await this.prisma.chatConversation.findUnique({ where: { id }, select });
    if (!again?.workflowId) throw notFound('Conversation');
    return { ...again, workflowId: again.workflowId };
  }

  /**
   * Update-with-start with USE_EXISTING: the running workflow of the conversation gets the
   * message, or one is started for it. The update id is fixed across attempts, so a retry
   * after a lost response or a run that closed at that moment can never make a second turn.
   */
  private async deliver(target: TurnTarget, turn: ChatTurnRequest): Promise<ChatTurnResult> {
    const { id: conversationId, workflowId } = target;
    const updateId = `turn-${randomUUID()}`;
    const input: ChatWorkflowInput = {
      conversationId,
      // The workflow correlates with the conversation (its creator's GUID), each row with its request.
      correlationId: target.correlationId,
      origin: turn.origin,
      settings: this.starter.runSettings(),
    };
    for (let attempt = 1; ; attempt++) {
      const startWorkflowOperation = new WithStartWorkflowOperation(chatWorkflow, {
        workflowId,
        taskQueue: this.config.env.TEMPORAL_TASK_QUEUE,
        args: [input],
        workflowIdConflictPolicy: WorkflowIdConflictPolicy.USE_EXISTING,
        typedSearchAttributes: runSearchAttributes({
          kind: 'chat',
          framework: turn.framework,
          origin: turn.origin,
          correlationId: input.correlationId,
          provider: this.config.provider,
        }),
        memo: { conversationId, transactionGuid: input.correlationId },
        staticSummary: `Chat conversation #${conversationId} (${turn.origin}, started with ${FRAMEWORK_LABELS[turn.framework]})`,
      });
      try {
        return await this.client.workflow.executeUpdateWithStart(sendMessageUpdate, {
          args: [turn],
          updateId,
          startWorkflowOperation,
        });
      } catch (err) {
        if (err instanceof WorkflowUpdateFailedError || attempt >= DELIVERY_ATTEMPTS) throw err;
        this.log.warn(
          {
            conversationId,
            workflowId,
            attempt,
            errorType: (err as Error)?.name,
            correlationId: turn.correlationId,
          },
          'chat message delivery failed; retrying with the same update id',
        );
        await sleep(250 * attempt);
      }
    }
  }

  private toHttp(err: unknown, conversationId: number): ApiError {
    if (err instanceof ApiError) return err;
    if (err instanceof WorkflowUpdateFailedError) {
      const f = summarizeFailure(err.cause);
      if (f.type === CONVERSATION_NOT_FOUND) return notFound('Conversation');
      if (f.type === 'InvalidChatTurn')
        return new ApiError(
          HttpStatus.UNPROCESSABLE_ENTITY,
          'ValidationError',
          f.message,
          'VALIDATION_ERROR',
        );
      return failureToHttp(err.cause);
    }
    this.log.error(
      { conversationId, errorType: (err as Error)?.name, err: (err as Error)?.message },
      'chat message could not be delivered',
    );
    return new ApiError(
      HttpStatus.SERVICE_UNAVAILABLE,
      'WorkflowServiceUnavailable',
      'The message could not be delivered to its conversation workflow; try again',
    );
  }
}
