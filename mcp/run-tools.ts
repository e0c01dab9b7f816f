import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';
import { runFiltersSchema } from '../api/runs/visibility-query';
import { requiredAs } from '../common/schemas/well-formed';
import { McpInputError } from './results';
import type { McpServices } from './services';
import { defineTool } from './tool';

/** Workflow ids are ours (`story-<uuid>`, `batch-<uuid>`, `batch-.../item-3`, ...): a plain token. */
export const workflowIdSchema = z
  .string(requiredAs('workflow_id', 'a string'))
  .regex(/^[A-Za-z0-9._:@/-]{1,200}$/, {
    error: 'workflow_id must be a workflow id such as story-<uuid>',
  })
  .describe('A workflow id returned by a generate/start tool, e.g. story-<uuid>');

/** Runs through RunsService, as GET/POST /api/runs: same filters, same shapes. */
export function registerRunTools(server: McpServer, s: McpServices): void {
  defineTool(
    server,
    s.log,
    'list_runs',
    {
      description:
        'List workflow runs, newest first, from Temporal visibility: filter by type (story, batch, chat, context), status, framework, ' +
        'model, provider, origin (api, mcp, batch, schedule), batchId, correlationId (transaction GUID) and start time (from/to); ' +
        'page with pageSize and nextPageToken.',
      inputSchema: runFiltersSchema.shape,
      annotations: { readOnlyHint: true },
    },
    async (args) => {
      if (args.from && args.to && args.from > args.to)
        throw new McpInputError([{ field: 'to', message: 'to must not be before from' }]);
      return s.runs.list(args);
    },
  );

  defineTool(
    server,
    s.log,
    'get_run',
    {
      description:
        'Status, result or failure, search attributes and every audited LLM call attempt of one run.',
      inputSchema: { workflow_id: workflowIdSchema },
      annotations: { readOnlyHint: true },
    },
    async (args) => s.runs.describe(args.workflow_id),
  );

  defineTool(
    server,
    s.log,
    'get_run_history',
    {
      description:
        "A run's event history as a timeline: meaningful events, activities with attempts, durations, failures and retries, and their audited LLM attempts.",
      inputSchema: {
        workflow_id: workflowIdSchema,
        verbose: z
          .boolean()
          .optional()
          .describe('Include every workflow task event (default false)'),
      },
      annotations: { readOnlyHint: true },
    },
    async (args) => s.runs.history(args.workflow_id, { verbose: args.verbose }),
  );

  defineTool(
    server,
    s.log,
    'cancel_run',
    {
      description:
        'Request cancellation of a running workflow (a story, batch, chat or context run).',
      inputSchema: { workflow_id: workflowIdSchema },
      annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: true },
    },
    async (args) => s.runs.cancel(args.workflow_id),
  );
}
