import { type McpServer, ResourceTemplate } from '@modelcontextprotocol/sdk/server/mcp.js';
import { ErrorCode, McpError, type ReadResourceResult } from '@modelcontextprotocol/sdk/types.js';
import { z } from 'zod';
import { ApiError } from '../api/http/api-error';
import { batchIdSchema } from './batch-tools';
import { FRAMEWORKS } from '../common/frameworks';
import { withRequestContext } from './request-context';
import { workflowIdSchema } from './run-tools';
import type { McpServices } from './services';

/** MCP's "resource not found" code (the SDK has no constant for it). */
export const RESOURCE_NOT_FOUND = -32002;

export const SERVER_NAME = 'AI Story Generator MCP Server';

const limitSchema = z.coerce
  .number({ error: 'limit must be a whole number' })
  .int({ error: 'limit must be a whole number' })
  .min(1, { error: 'limit must be between 1 and 100' })
  .max(100, { error: 'limit must be between 1 and 100' });
const storyIdSchema = z.coerce.number().int().positive();

function json(uri: URL, data: unknown): ReadResourceResult {
  return {
    contents: [
      { uri: uri.href, mimeType: 'application/json', text: JSON.stringify(data, null, 2) },
    ],
  };
}

function param(vars: Record<string, string | string[]>, name: string): string {
  const v = vars[name];
  const raw = Array.isArray(v) ? (v[0] ?? '') : (v ?? '');
  try {
    return decodeURIComponent(raw);
  } catch {
    return raw; // malformed escapes: validated (and refused) as they are
  }
}

function parseParam<S extends z.ZodType>(schema: S, value: string, name: string): z.output<S> {
  const r = schema.safeParse(value);
  if (!r.success)
    throw new McpError(
      ErrorCode.InvalidParams,
      `${name}: ${r.error.issues[0]?.message ?? 'invalid'}`,
    );
  return r.data;
}

/**
 * Resource reads answer with JSON-RPC errors (resources have no isError): invalid parameters
 * and missing records name what was wrong; anything else is logged and answered generically.
 */
function reader(
  s: McpServices,
  name: string,
  read: (uri: URL, vars: Record<string, string | string[]>) => Promise<unknown>,
) {
  return (uri: URL, vars: Record<string, string | string[]>) =>
    withRequestContext(async (ctx) => {
      try {
        return json(uri, await read(uri, vars));
      } catch (err) {
        if (err instanceof McpError) throw err;
        if (err instanceof ApiError && err.getStatus() === 404)
          throw new McpError(RESOURCE_NOT_FOUND, `${err.message}: ${uri.href}`);
        if (err instanceof ApiError && err.getStatus() < 500)
          throw new McpError(ErrorCode.InvalidParams, err.message);
        s.log.error(
          { resource: name, requestId: ctx.requestId, correlationId: ctx.correlationId, err },
          'mcp resource read failed',
        );
        throw new McpError(
          ErrorCode.InternalError,
          `Could not read ${uri.href} (request id ${ctx.requestId})`,
        );
      }
    });
}

export function registerResources(server: McpServer, s: McpServices): void {
  const config = reader(s, 'config', async () => ({
    version: s.config.env.APP_VERSION,
    name: SERVER_NAME,
    capabilities: [
      'story_generation',
      'multi_framework_support',
      'cost_tracking',
      'performance_monitoring',
      'durable_workflows',
      'run_tracking',
    ],
    framework_count: FRAMEWORKS.length,
    frameworks: [...FRAMEWORKS],
    created_at: new Date().toISOString(),
    provider: s.config.provider.name,
    model: s.config.provider.model,
    simulated: s.config.provider.simulated,
  }));
  server.registerResource(
    'config',
    'data://config',
    {
      description:
        'Server configuration: version, capabilities, frameworks and the LLM provider in use',
      mimeType: 'application/json',
    },
    (uri) => config(uri, {}),
  );

  const recent = async (limit: number) => {
    const [stories, total] = await Promise.all([s.stories.list(0, limit), s.prisma.story.count()]);
    return {
      stories,
      limit,
      total_count: total,
      message: `${stories.length} most recent of ${total} stories`,
    };
  };
  const recentDefault = reader(s, 'recent-stories', () => recent(10));
  server.registerResource(
    'recent-stories',
    'stories://recent',
    {
      description:
        'The 10 most recent stories, newest first (previews; read story://{id} for the full text)',
      mimeType: 'application/json',
    },
    (uri) => recentDefault(uri, {}),
  );
  server.registerResource(
    'stories/recent/{limit}',
    new ResourceTemplate('stories://recent/{limit}', { list: undefined }),
    {
      description: 'The most recent stories, newest first; limit 1-100',
      mimeType: 'application/json',
    },
    reader(s, 'stories/recent', (_uri, vars) =>
      recent(parseParam(limitSchema, param(vars, 'limit'), 'limit')),
    ),
  );

  server.registerResource(
    'story',
    new ResourceTemplate('story://{id}', { list: undefined }),
    {
      description:
        'One story with full content and metadata (tokens, cost, model, workflow id, origin)',
      mimeType: 'application/json',
    },
    reader(s, 'story', (_uri, vars) =>
      s.stories.get(parseParam(storyIdSchema, param(vars, 'id'), 'id')),
    ),
  );

  server.registerResource(
    'run',
    new ResourceTemplate('run://{workflowId}', { list: undefined }),
    {
      description:
        'One workflow run: status, result or failure, and every audited LLM call attempt',
      mimeType: 'application/json',
    },
    reader(s, 'run', (_uri, vars) =>
      s.runs.describe(parseParam(workflowIdSchema, param(vars, 'workflowId'), 'workflowId')),
    ),
  );

  server.registerResource(
    'run-history',
    new ResourceTemplate('run://{workflowId}/history', { list: undefined }),
    {
      description:
        "A run's event history as a timeline: events, activities with attempts and failures",
      mimeType: 'application/json',
    },
    reader(s, 'run-history', (_uri, vars) =>
      s.runs.history(parseParam(workflowIdSchema, param(vars, 'workflowId'), 'workflowId'), {}),
    ),
  );

  const { batches } = s;
  if (batches) {
    server.registerResource(
      'batch',
      new ResourceTemplate('batch://{id}', { list: undefined }),
      {
        description: 'One batch: progress, final report and its first 100 stories',
        mimeType: 'application/json',
      },
      reader(s, 'batch', (_uri, vars) =>
        batches.get(parseParam(batchIdSchema, param(vars, 'id'), 'id'), 0, 100),
      ),
    );
  }
}
