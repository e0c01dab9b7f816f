import type { McpServer, ToolCallback } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { RequestHandlerExtra } from '@modelcontextprotocol/sdk/shared/protocol.js';
import type {
  CallToolResult,
  ServerNotification,
  ServerRequest,
  ToolAnnotations,
} from '@modelcontextprotocol/sdk/types.js';
import type { z } from 'zod';
import { toolAccessRefusal } from '../api/http/auth/policy';
import type { RequestContext } from '../api/http/request-context';
import { withRequestContext } from './request-context';
import { errorResult, ok, toolError } from './results';

export type ToolExtra = RequestHandlerExtra<ServerRequest, ServerNotification>;
export type Shape = Record<string, z.ZodType>;
export type ShapeArgs<S extends Shape> = z.output<z.ZodObject<S>>;

/** What tools log: names, ids, outcome and timing — never arguments (prompts, chat text). */
export interface McpLog {
  info(obj: Record<string, unknown>, msg: string): void;
  warn(obj: Record<string, unknown>, msg: string): void;
  error(obj: Record<string, unknown>, msg: string): void;
}

export interface ToolDefinition<S extends Shape> {
  title?: string;
  description: string;
  inputSchema: S;
  annotations?: ToolAnnotations;
}

export type ToolRun<S extends Shape> = (
  args: ShapeArgs<S>,
  extra: ToolExtra,
  ctx: RequestContext,
) => Promise<Record<string, unknown> | CallToolResult>;

const isCallToolResult = (v: object): v is CallToolResult =>
  Array.isArray((v as { content?: unknown }).content);

/**
 * Registers a tool whose handler runs inside a request context, is logged without its
 * arguments, returns plain objects as JSON results and turns every failure into an isError
 * result (input mistakes name the field).
 */
export function defineTool<S extends Shape>(
  server: McpServer,
  log: McpLog,
  name: string,
  def: ToolDefinition<S>,
  run: ToolRun<S>,
): void {
  const handler = (args: ShapeArgs<S>, extra: ToolExtra): Promise<CallToolResult> =>
    withRequestContext(async (ctx) => {
      const started = Date.now();
      const ids = { tool: name, requestId: ctx.requestId, correlationId: ctx.correlationId };
      // Over HTTP, admin-only tools (cancel_run, batch control) need an admin key.
      const refusal = toolAccessRefusal(name, def.annotations, extra.authInfo);
      if (refusal) {
        log.warn({ ...ids, reason: 'admin key needed' }, 'mcp tool refused');
        return toolError({ type: 'Forbidden', message: refusal });
      }
      try {
        const out = await run(args, extra, ctx);
        const result = isCallToolResult(out) ? out : ok(out);
        log.info(
          { ...ids, ms: Date.now() - started, isError: result.isError === true },
          'mcp tool call',
        );
        return result;
      } catch (err) {
        const { result, unexpected, errorId } = errorResult(err);
        if (unexpected)
          log.error({ ...ids, err, errorId, ms: Date.now() - started }, 'mcp tool failed');
        else log.info({ ...ids, ms: Date.now() - started, isError: true }, 'mcp tool call');
        return result;
      }
    });
  server.registerTool(name, def, handler as unknown as ToolCallback<S>);
}
