import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';
import { ApiError } from '../api/http/api-error';
import { chatToolInputShape } from '../common/schemas/chat';
import { contextExecuteRequestSchema } from '../common/schemas/context';
import { toolError } from './results';
import type { McpServices } from './services';
import { defineTool } from './tool';
import { progressNotifier, waitBounded } from './waiting';

/** chat and run_context_prompt: registered only where the chat and context services exist. */
export function registerConversationTools(server: McpServer, s: McpServices): void {
  const { chat, contextExecutions, contextFiles } = s;
  if (chat) {
    defineTool(
      server,
      s.log,
      'chat',
      {
        title: 'Chat',
        description:
          'Send a message to a chat conversation and get the reply. Omit conversation_id to start a new conversation; ' +
          'pass the returned conversation_id to continue it (the framework may change between turns).',
        inputSchema: chatToolInputShape,
        annotations: { readOnlyHint: false, destructiveHint: false, openWorldHint: true },
      },
      async (args, _extra, ctx) => {
        const r = await chat.send(
          args.framework,
          { message: args.message, conversation_id: args.conversation_id },
          { origin: 'mcp' },
        );
        return {
          conversation_id: r.conversation.id,
          reply: r.message.content,
          message: r.message,
          conversation: {
            id: r.conversation.id,
            title: r.conversation.title,
            message_count: r.conversation.messages.length,
          },
          request_id: r.request_id,
          transaction_guid: ctx.correlationId,
          workflow_id: r.conversation.workflow_id,
        };
      },
    );
  }

  if (contextFiles) {
    defineTool(
      server,
      s.log,
      'list_context_files',
      {
        description:
          'List uploaded context files (id, name, size, upload date), newest first: the file_ids run_context_prompt takes.',
        inputSchema: {
          limit: z.number().int().min(1).max(1000).optional().describe('default 200'),
        },
        annotations: { readOnlyHint: true },
      },
      async (args) => ({ files: await contextFiles.list(0, args.limit ?? 200) }),
    );
  }

  if (contextExecutions) {
    const waitHint = `at most ${Math.round(s.maxWaitMs / 1000)} s, then the workflow id is returned with status RUNNING`;
    defineTool(
      server,
      s.log,
      'run_context_prompt',
      {
        title: 'Ask about uploaded files',
        description:
          "Run a prompt over uploaded context files: system_prompt must contain [context], which is replaced by the files' text. " +
          `Recorded as a context execution. Waits by default (${waitHint}).`,
        inputSchema: {
          ...contextExecuteRequestSchema.shape,
          wait: z.boolean().optional().describe(`Wait for the answer (default true; ${waitHint})`),
          idempotency_key: z
            .string()
            .regex(/^[A-Za-z0-9._:-]{1,200}$/)
            .optional(),
        },
        annotations: { readOnlyHint: false, destructiveHint: false, openWorldHint: true },
      },
      async (args, extra, ctx) => {
        const { wait, idempotency_key, ...req } = args;
        const started = await contextExecutions.start(req, {
          origin: 'mcp',
          idempotencyKey: idempotency_key,
        });
        const running = {
          workflow_id: started.workflowId,
          run_id: started.runId,
          status: 'RUNNING',
          transaction_guid: ctx.correlationId,
        };
        if (wait === false) return running;
        const notify = progressNotifier(extra);
        await notify?.({ progress: 0, total: 1, message: 'context prompt started' }).catch(
          () => undefined,
        );
        try {
          const outcome = await waitBounded({
            result: contextExecutions.result(started.handle),
            maxMs: s.maxWaitMs,
            signal: extra.signal,
          });
          return outcome.done ? { ...outcome.value, workflow_id: started.workflowId } : running;
        } catch (err) {
          if (err instanceof ApiError)
            return toolError({
              type: err.type,
              message: err.message,
              workflow_id: started.workflowId,
            });
          throw err;
        }
      },
    );
  }
}
