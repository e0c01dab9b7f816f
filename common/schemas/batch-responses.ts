import { z } from 'zod';
import type { BatchProgress, BatchReport, FailedItemDetail } from '../batch-types';
import { BATCH_ITEM_MODES } from '../batch-items';
import { FRAMEWORKS } from '../frameworks';
import { int, isoDateTime, links, named, type Same, usdString } from './response-fields';
import { runStatusSchema } from './run-responses';

/**
 * Batches: the row (list), the workflow's live progress (query and updates), its final report,
 * and the stories made so far. Progress and report are the workflow's contract
 * (common/batch-types.ts, types only so workflow code can import it); the schemas below are
 * checked against it by tsc (the assertions at the end).
 */

const batchLinks = links('self', 'events', 'run', 'history');

export const BATCH_STATES = [
  'running',
  'paused',
  'finishing',
  'completed',
  'stopped',
  'cancelled',
  'failed',
] as const;

const progressFields = {
  batchId: z.string(),
  /** `finishing`: no new starts, waiting for running items (before continue-as-new or the end). */
  state: z.enum(BATCH_STATES),
  stopReason: z.enum(['budget', 'cancelled']).nullable(),
  total: int,
  completed: int,
  failed: int,
  cancelled: int,
  running: int,
  /** Not started yet (failed items queued for retry included). */
  pending: int,
  costUsd: usdString,
  totalTokens: int,
  budgetUsd: usdString.nullable(),
  /** Worst-case cost reserved by the running items: an item starts only if it fits in budget - spent - reserved. */
  reservedUsd: usdString,
  /** What the cap could not prevent: the audited cost of calls paid again after a worker crash (spent - overshoot <= budget); 0 without a budget. */
  overshootUsd: usdString,
  concurrency: int,
  /** Seconds to finish at the rate so far; null while paused, stopped or before the first item. */
  etaSeconds: z.number().nullable(),
  /** How the provider answers the batch's LLM calls; absent before the first checkpoint (and in reports from before it existed). */
  provider: named(
    'BatchProviderPace',
    z.strictObject({
      /** LLM calls answered per minute over the last minute: the current pace. */
      callsPerMinute: z.number(),
      /** Calls refused with 429 (rate limited) in the last 10 seconds. */
      rateLimitedCalls: int,
      /** Throttled by the provider: 429s in the last 10 seconds, or the window has not grown back to `concurrency` yet. */
      throttled: z.boolean(),
      /** Items running at once now: `concurrency`, or fewer while throttled. */
      window: int,
    }),
    'The provider: pace and throttling',
  )
    .nullable()
    .optional(),
  runs: int,
  startedAt: isoDateTime,
  updatedAt: isoDateTime,
};

export const batchProgressSchema = named(
  'BatchProgress',
  z.strictObject(progressFields),
  'Progress of a batch',
);

export const failedItemSchema = named(
  'BatchFailedItem',
  z.strictObject({
    index: int,
    error: z.string(),
    workflowId: z.string(),
    framework: z.enum(FRAMEWORKS),
    primaryCharacter: z.string(),
    secondaryCharacter: z.string(),
  }),
  'An item whose story failed',
);

const reportFields = {
  ...progressFields,
  /** Items never started (budget cap or cancellation). */
  notStarted: int,
  failedItems: z.array(failedItemSchema),
  finishedAt: isoDateTime,
  durationSeconds: z.number(),
  /** State `failed`: what the batch could not get past (e.g. a stored spec that cannot be estimated). */
  failure: z.string().optional(),
};

export const batchReportSchema = named(
  'BatchReport',
  z.strictObject(reportFields),
  'The final word on a closed batch',
);

/** While running: the live progress; after: the final report (a superset of the progress). */
const progressOrReport = z.union([batchReportSchema, batchProgressSchema]);

export const batchStartedSchema = named(
  'BatchStarted',
  z.strictObject({
    batchId: z.string(),
    workflowId: z.string(),
    runId: z.string(),
    status: z.literal('RUNNING'),
    totalItems: int,
    links: batchLinks,
  }),
  'The batch workflow started',
);
export type BatchStarted = z.infer<typeof batchStartedSchema>;

export const batchListItemSchema = named(
  'BatchListItem',
  z.strictObject({
    batchId: z.string(),
    /** running, paused, completed, stopped, cancelled or failed. */
    status: z.string(),
    totalItems: int,
    completed: int,
    failed: int,
    cancelled: int,
    concurrency: int,
    /** As of the row's last checkpoint. */
    budgetUsd: usdString.nullable(),
    spentUsd: usdString,
    totalTokens: int,
    stopReason: z.string().nullable(),
    origin: z.string(),
    label: z.string().nullable(),
    transactionGuid: z.string(),
    createdAt: isoDateTime,
    updatedAt: isoDateTime,
    finishedAt: isoDateTime.nullable(),
    links: links('self', 'run'),
  }),
  'A batch as its row has it (counters as of the last checkpoint)',
);
export type BatchListItem = z.infer<typeof batchListItemSchema>;

export const batchListSchema = named(
  'BatchList',
  z.strictObject({ total: int, skip: int, limit: int, batches: z.array(batchListItemSchema) }),
  'Batches, newest first',
);
export type BatchList = z.infer<typeof batchListSchema>;

export const batchSpecSummarySchema = named(
  'BatchSpecSummary',
  z.strictObject({
    source: z.enum(['pairs', 'generate']),
    /** Character pairs (each is generated once per framework). */
    pairs: int,
    frameworks: z.array(z.enum(FRAMEWORKS)),
    totalItems: int,
    concurrency: int,
    budgetUsd: usdString.nullable(),
    continueAsNewAfter: int.nullable(),
    label: z.string().nullable(),
    /** `activity`: items are activities of the batch run (no run of their own); `workflow`: a child run each. */
    itemMode: z.enum(BATCH_ITEM_MODES),
  }),
  'What a batch asks for, without its list of pairs',
);
export type BatchSpecSummary = z.infer<typeof batchSpecSummarySchema>;

export const batchStorySchema = named(
  'BatchStory',
  z.strictObject({
    storyId: int,
    workflowId: z.string(),
    /** The item's index in the batch (-1 if the workflow ID does not say). */
    item: int,
    framework: z.string(),
    primaryCharacter: z.string(),
    secondaryCharacter: z.string(),
    totalTokens: int.nullable(),
    costUsd: usdString.nullable(),
    createdAt: isoDateTime,
    links: links('story', 'run'),
  }),
  'A story a batch made',
);
export type BatchStory = z.infer<typeof batchStorySchema>;

export const workflowUnansweredSchema = named(
  'WorkflowUnanswered',
  z.strictObject({
    /** The task queue whose workers should have answered (none polls it, or none in time). */
    taskQueue: z.string(),
    /** What happened, in words: the deadline and queue, or the query's error. */
    reason: z.string(),
  }),
  "A running batch's workflow did not answer its progress query: its progress is the last checkpoint",
);
export type WorkflowUnanswered = z.infer<typeof workflowUnansweredSchema>;

export const batchDetailSchema = named(
  'BatchDetail',
  z.strictObject({
    batchId: z.string(),
    /** Temporal status of the batch's latest run; null once Temporal no longer knows it. */
    status: runStatusSchema.nullable(),
    progress: progressOrReport,
    spec: batchSpecSummarySchema.nullable(),
    origin: z.string().nullable(),
    transactionGuid: z.string().nullable(),
    createdAt: isoDateTime.nullable(),
    finishedAt: isoDateTime.nullable(),
    report: batchReportSchema.nullable(),
    /**
     * Null when `progress` is the running workflow's own answer, or the batch is closed; set when
     * it is running but did not answer within WORKFLOW_QUERY_TIMEOUT_MS (no worker on its task
     * queue): `progress` is then the row's last checkpoint and `failedItems` is empty.
     */
    workflowUnanswered: workflowUnansweredSchema.nullable(),
    items: z.strictObject({
      total: int,
      skip: int,
      limit: int,
      stories: z.array(batchStorySchema),
    }),
    failedItems: z.array(failedItemSchema),
    links: batchLinks,
  }),
  'A batch: progress (live while running, the report after), stories made so far (paged) and failed items',
);
export type BatchDetail = z.infer<typeof batchDetailSchema>;

export const batchCancelledSchema = named(
  'BatchCancelRequested',
  z.strictObject({ batchId: z.string(), status: z.literal('CANCEL_REQUESTED'), links: batchLinks }),
  'Cancellation requested: no new items, running ones cancelled, report written',
);
export type BatchCancelRequested = z.infer<typeof batchCancelledSchema>;

export const batchRetrySchema = named(
  'BatchRetry',
  z.discriminatedUnion('reopened', [
    z.strictObject({
      batchId: z.string(),
      queued: int,
      reopened: z.literal(false),
      progress: batchProgressSchema,
      links: batchLinks,
    }),
    z.strictObject({
      batchId: z.string(),
      queued: int,
      reopened: z.literal(true),
      runId: z.string(),
      links: batchLinks,
    }),
  ]),
  'Failed items queued again: in the running batch, or in a new run of a completed one (reopened)',
);
export type BatchRetry = z.infer<typeof batchRetrySchema>;

/** Data of each server-sent event of GET /api/batches/{id}/events (`progress`, then `closed`). */
export const batchEventSchema = named(
  'BatchEvent',
  z.union([
    batchReportSchema.extend({ status: runStatusSchema.nullable() }),
    batchProgressSchema.extend({ status: runStatusSchema.nullable() }),
  ]),
  'The data of a batch progress event: the progress (or report) and the Temporal status',
);
export type BatchEvent = z.infer<typeof batchEventSchema>;

// The schemas are the workflow contract, exactly (both directions).
export const batchSchemasMatchContract: [
  Same<z.infer<typeof batchProgressSchema>, BatchProgress>,
  Same<z.infer<typeof batchReportSchema>, BatchReport>,
  Same<z.infer<typeof failedItemSchema>, FailedItemDetail>,
] = [true, true, true];
