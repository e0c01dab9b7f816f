import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { WorkflowHandle } from '@temporalio/client';
import { z } from 'zod';
import { ApiError } from '../api/http/api-error';
import type { Started } from '../api/core/workflow-starter';
import { mcpStoryResponse } from '../api/stories/story.serializers';
import {
  FRAMEWORK_CATALOG,
  FRAMEWORK_LABELS,
  FRAMEWORKS,
  type Framework,
} from '../common/frameworks';
import { usdToNumber } from '../common/money';
import { characterName } from '../common/schemas/character-name';
import { legacyStoryRequestSchema } from '../common/schemas/story';
import { storyProgressQuery, type GenerationState } from '../workflows/story.definitions';
import type { storyWorkflow } from '../workflows/story.workflow';
import { compareRuns, type FrameworkRun } from './compare';
import { toolError, parseInput } from './results';
import type { McpServices } from './services';
import { defineTool, type ToolExtra } from './tool';
import { progressNotifier, waitBounded } from './waiting';

/** The original's list_frameworks payload, word for word (plus transaction_guid), from the catalog. */
export const FRAMEWORK_INFO = FRAMEWORKS.map((name) => ({
  name,
  description: FRAMEWORK_CATALOG[name].description,
  features: [...FRAMEWORK_CATALOG[name].features],
}));

const STEPS: Record<GenerationState, number> = {
  queued: 0,
  generating: 1,
  persisting: 2,
  completed: 3,
  failed: 3,
};

// Same format as the HTTP Idempotency-Key header (WorkflowStarter re-checks it).
const idempotencyKey = z
  .string()
  .regex(/^[A-Za-z0-9._:-]{1,200}$/, {
    error: 'idempotency_key must be 1-200 characters of letters, digits, ".", "_", ":" or "-"',
  })
  .optional()
  .describe(
    'Makes the call safe to repeat: the same key never generates twice and returns the first run',
  );

/** A query waits for a worker, for ever if none polls the queue: bounded like the API's batch reads. */
async function storyProgress(handle: WorkflowHandle<typeof storyWorkflow>, timeoutMs: number) {
  const p = await handle.client.withDeadline(Date.now() + timeoutMs, () =>
    handle.query(storyProgressQuery),
  );
  return { progress: STEPS[p.state], total: 3, message: `story ${p.state}` };
}

export function registerStoryTools(server: McpServer, s: McpServices): void {
  const limits = { min: s.config.env.MIN_CHARACTER_LENGTH, max: s.config.env.MAX_CHARACTER_LENGTH };
  const names = {
    primary_character: characterName('primary_character', limits.min, limits.max).describe(
      'The main character',
    ),
    secondary_character: characterName('secondary_character', limits.min, limits.max).describe(
      'The second character (must differ from the first)',
    ),
  };
  const pairSchema = legacyStoryRequestSchema(limits);
  const waitHint = `at most ${Math.round(s.maxWaitMs / 1000)} s, then the workflow id is returned with status RUNNING`;

  const start = (
    framework: Framework,
    args: { primary_character: string; secondary_character: string },
    key?: string,
  ) => {
    const pair = parseInput(pairSchema, args);
    return s.stories.start({ ...pair, framework }, { origin: 'mcp', idempotencyKey: key });
  };

  for (const framework of FRAMEWORKS) {
    defineTool(
      server,
      s.log,
      `generate_story_${framework}`,
      {
        title: `Generate a story with ${FRAMEWORK_LABELS[framework]}`,
        description:
          `Generate and save a story about two characters with the ${FRAMEWORK_LABELS[framework]} pipeline, as a durable workflow. ` +
          `Waits for the story by default (${waitHint}); with wait=false returns the workflow id at once (follow it with get_run).`,
        inputSchema: {
          ...names,
          wait: z.boolean().optional().describe(`Wait for the story (default true; ${waitHint})`),
          idempotency_key: idempotencyKey,
        },
        annotations: { readOnlyHint: false, destructiveHint: false, openWorldHint: true },
      },
      async (args, extra, ctx) => {
        const started = await start(framework, args, args.idempotency_key);
        const running = {
          workflow_id: started.workflowId,
          run_id: started.runId,
          status: 'RUNNING',
          framework,
          transaction_guid: ctx.correlationId,
        };
        if (args.wait === false) return running;
        try {
          const outcome = await waitBounded({
            result: s.stories.result(started.handle),
            maxMs: s.maxWaitMs,
            signal: extra.signal,
            poll: () => storyProgress(started.handle, s.config.env.WORKFLOW_QUERY_TIMEOUT_MS),
            notify: progressNotifier(extra),
          });
          return outcome.done ? mcpStoryResponse(outcome.value) : running;
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

  defineTool(
    server,
    s.log,
    'list_frameworks',
    {
      description: 'List available AI frameworks for story generation.',
      inputSchema: {},
      annotations: { readOnlyHint: true },
    },
    async (_args, _extra, ctx) => ({
      frameworks: FRAMEWORK_INFO,
      transaction_guid: ctx.correlationId,
    }),
  );

  defineTool(
    server,
    s.log,
    'compare_frameworks',
    {
      title: 'Compare the three frameworks',
      description:
        `Generate the same story with all three frameworks concurrently (three saved stories) and compare cost, tokens, time and length: ` +
        `winners fastest, cheapest and longest_story. Waits ${waitHint}.`,
      inputSchema: { ...names, idempotency_key: idempotencyKey },
      annotations: { readOnlyHint: false, destructiveHint: false, openWorldHint: true },
    },
    async (args, extra, ctx) => {
      const pair = parseInput(pairSchema, args);
      // All three within the request bounds, or none started.
      for (const framework of FRAMEWORKS) s.stories.assertBounded({ ...pair, framework });
      // One key per framework, so a repeated call maps each onto its first run.
      const started = await Promise.all(
        FRAMEWORKS.map((f) =>
          start(f, args, args.idempotency_key ? `${args.idempotency_key}:${f}` : undefined),
        ),
      );
      const runs = await compareAll(s, started, extra);
      return { ...runs, comparison: compareRuns(runs), transaction_guid: ctx.correlationId };
    },
  );
}

/** Waits for the three runs under one deadline; each ends as COMPLETED, FAILED or RUNNING. */
async function compareAll(
  s: McpServices,
  started: Started<typeof storyWorkflow>[],
  extra: ToolExtra,
): Promise<Record<Framework, FrameworkRun>> {
  const notify = progressNotifier(extra);
  let finished = 0;
  const deadline = Date.now() + s.maxWaitMs;
  const one = async (f: Framework, st: Started): Promise<FrameworkRun> => {
    const run = await outcomeOf(s, st, Math.max(0, deadline - Date.now()), extra.signal);
    if (run.status !== 'RUNNING') {
      finished += 1;
      await notify?.({
        progress: finished,
        total: FRAMEWORKS.length,
        message: `${FRAMEWORK_LABELS[f]} ${run.status.toLowerCase()}`,
      }).catch(() => undefined);
    }
    return run;
  };
  const results = await Promise.all(FRAMEWORKS.map((f, i) => one(f, started[i])));
  return Object.fromEntries(FRAMEWORKS.map((f, i) => [f, results[i]])) as Record<
    Framework,
    FrameworkRun
  >;
}

async function outcomeOf(
  s: McpServices,
  st: Started<typeof storyWorkflow>,
  maxMs: number,
  signal: AbortSignal,
): Promise<FrameworkRun> {
  const base = {
    workflow_id: st.workflowId,
    story: null,
    cost: 0,
    tokens: 0,
    generation_time_ms: 0,
    story_length: 0,
    model: null,
  };
  try {
    const outcome = await waitBounded({ result: s.stories.result(st.handle), maxMs, signal });
    if (!outcome.done) return { ...base, success: false, status: 'RUNNING' };
    const r = outcome.value;
    return {
      success: true,
      status: 'COMPLETED',
      story: r.story,
      cost: usdToNumber(r.costUsd),
      tokens: r.totalTokens,
      generation_time_ms: r.generationTimeMs,
      story_length: r.story.length,
      model: r.model,
      workflow_id: r.workflowId,
      story_id: r.storyId,
    };
  } catch (err) {
    return {
      ...base,
      success: false,
      status: 'FAILED',
      error: err instanceof Error ? err.message : String(err),
    };
  }
}
