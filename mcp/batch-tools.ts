import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';
import { batchRequestSchema } from '../common/schemas/batch';
import { requiredAs } from '../common/schemas/well-formed';
import type { batchWorkflow } from '../workflows/batch.workflow';
import { parseInput } from './results';
import type { McpServices } from './services';
import { defineTool } from './tool';
import { progressNotifier, waitBounded } from './waiting';

export const batchIdSchema = z
  .string(requiredAs('batch_id', 'a string'))
  .regex(/^batch-[A-Za-z0-9._:-]{1,190}$/, {
    error: 'batch_id must be a batch id such as batch-<uuid>',
  })
  .describe('The batch id start_batch returned (batch-<uuid>)');

/** Batches of stories: registered only where the batches service exists. */
export function registerBatchTools(server: McpServer, s: McpServices): void {
  const { batches } = s;
  if (!batches) return;
  const request = batchRequestSchema();
  const waitHint = `at most ${Math.round(s.maxWaitMs / 1000)} s`;

  defineTool(
    server,
    s.log,
    'start_batch',
    {
      title: 'Start a batch of stories',
      description:
        'Start a durable batch: every character pair (items, or a generate spec drawing pairs from two name lists) times every ' +
        'framework, with a concurrency window and an optional budgetUsd cap. Returns the batch id at once; follow it with ' +
        `get_batch or batch://{id}, or pass wait=true to wait (${waitHint}) with progress notifications. ` +
        'With dryRun=true it starts nothing and answers what the batch would cost: items, expected tokens and cost, the worst case, and whether budgetUsd covers them.',
      inputSchema: {
        ...request.shape,
        wait: z
          .boolean()
          .optional()
          .describe(`Wait for the batch to finish (default false; ${waitHint})`),
        idempotency_key: z
          .string()
          .regex(/^[A-Za-z0-9._:-]{1,200}$/)
          .optional()
          .describe('The same key never starts a second batch'),
      },
      annotations: { readOnlyHint: false, destructiveHint: false, openWorldHint: true },
    },
    async (args, extra, ctx) => {
      const { wait, idempotency_key, ...rest } = args;
      const req = parseInput(request, rest); // the cross-field rules (items xor generate, sizes)
      if (req.dryRun === true)
        return { ...(await batches.estimate(req)), transaction_guid: ctx.correlationId };
      const started = await batches.create(req, { origin: 'mcp', idempotencyKey: idempotency_key });
      const out = { ...started, transaction_guid: ctx.correlationId };
      if (wait !== true) return out;
      const handle = s.temporal.workflow.getHandle<typeof batchWorkflow>(started.batchId);
      const outcome = await waitBounded({
        result: handle.result().catch(() => undefined), // a cancelled or failed batch still has a report to read
        maxMs: s.maxWaitMs,
        signal: extra.signal,
        pollEveryMs: 1000,
        poll: async () => {
          const { progress: p } = await batches.snapshot(started.batchId);
          return {
            progress: p.completed + p.failed + p.cancelled,
            total: p.total,
            message: `batch ${p.state}`,
          };
        },
        notify: progressNotifier(extra),
      });
      return outcome.done
        ? { ...(await batches.get(started.batchId, 0, 100)), transaction_guid: ctx.correlationId }
        : out;
    },
  );

  defineTool(
    server,
    s.log,
    'get_batch',
    {
      description:
        'Progress (done, failed, running, pending, cost, tokens, ETA), the final report once finished, and the stories made so far.',
      inputSchema: {
        batch_id: batchIdSchema,
        items_skip: z.number().int().min(0).optional().describe('Stories to skip (default 0)'),
        items_limit: z
          .number()
          .int()
          .min(1)
          .max(500)
          .optional()
          .describe('Stories to list, 1-500 (default 50)'),
      },
      annotations: { readOnlyHint: true },
    },
    async (args) => batches.get(args.batch_id, args.items_skip ?? 0, args.items_limit ?? 50),
  );

  const control = (
    name: string,
    description: string,
    act: (id: string) => Promise<object>,
    destructive = false,
  ) =>
    defineTool(
      server,
      s.log,
      name,
      {
        description,
        inputSchema: { batch_id: batchIdSchema },
        annotations: { readOnlyHint: false, destructiveHint: destructive, idempotentHint: true },
      },
      // A copy: an object type with an index signature, as tool results are typed.
      async (args) => ({ ...(await act(args.batch_id)) }),
    );
  control('pause_batch', 'Pause a running batch: no new items start; running ones finish.', (id) =>
    batches.pause(id),
  );
  control('resume_batch', 'Resume a paused batch.', (id) => batches.resume(id));
  control(
    'cancel_batch',
    'Cancel a batch: no new items, running items cancelled, a final report written.',
    (id) => batches.cancel(id),
    true,
  );
}
