import type { WorkflowExecutionStatusName } from '@temporalio/client';
import type { temporal } from '../../temporal/sdk-internals';
import { z } from 'zod';
import { int, isoDateTime, links, named, type Same, usdString } from './response-fields';

/** Runs as Temporal knows them (visibility, describe, history), joined with the audit trail. */

/** Temporal's WorkflowExecutionStatusName. */
export const RUN_STATUSES = [
  'UNSPECIFIED',
  'RUNNING',
  'COMPLETED',
  'FAILED',
  'CANCELLED',
  'TERMINATED',
  'CONTINUED_AS_NEW',
  'TIMED_OUT',
  'PAUSED',
  'UNKNOWN',
] as const;
export const runStatusSchema = z.enum(RUN_STATUSES);
export const runStatusesMatchTemporal: Same<
  (typeof RUN_STATUSES)[number],
  WorkflowExecutionStatusName
> = true;

/** Search attribute values as JSON: keyword lists are arrays, datetimes ISO strings. */
export const searchAttributesSchema = z.record(
  z.string(),
  z.union([z.string(), z.number(), z.boolean(), z.array(z.string())]),
);

const runLinks = links('self', 'history');

const runSummaryFields = {
  workflowId: z.string(),
  runId: z.string(),
  /** Workflow type: storyWorkflow, batchWorkflow, chatWorkflow, contextWorkflow. */
  type: z.string(),
  status: runStatusSchema,
  taskQueue: z.string(),
  startTime: isoDateTime,
  closeTime: isoDateTime.nullable(),
  historyLength: int,
  parentWorkflowId: z.string().nullable(),
  searchAttributes: searchAttributesSchema,
  links: runLinks,
};

export const auditedCostSchema = named(
  'AuditedCost',
  z.strictObject({ attempts: int, errors: int, totalTokens: int, costUsd: usdString }),
  'Every audited LLM attempt of a run (of a batch: of all its items), failed ones included',
);
export type AuditedCost = z.infer<typeof auditedCostSchema>;

export const runSummarySchema = named(
  'RunSummary',
  z.strictObject({
    ...runSummaryFields,
    /** The run's own audited LLM attempts, when it made any: what a chat, which has no cost attributes, spent. */
    audited: auditedCostSchema.optional(),
  }),
  'One run from Temporal visibility',
);
export type RunSummary = z.infer<typeof runSummarySchema>;

export const runListSchema = named(
  'RunList',
  z.strictObject({
    /** The visibility query the filters became. */
    query: z.string(),
    runs: z.array(runSummarySchema),
    /** Pass as nextPageToken for the next page; null on the last. */
    nextPageToken: z.string().nullable(),
  }),
  'One page of runs, newest first',
);
export type RunList = z.infer<typeof runListSchema>;

export const runFailureSchema = named(
  'RunFailure',
  z.strictObject({ type: z.string(), message: z.string(), nonRetryable: z.boolean().optional() }),
  'The innermost meaningful failure of a run',
);

/** One audited LLM call attempt of a run. */
export const runAttemptSchema = named(
  'RunAttempt',
  z.strictObject({
    activityId: z.string(),
    activityType: z.string(),
    attempt: int,
    step: z.string(),
    /** success or error. */
    outcome: z.string(),
    httpStatus: int.nullable(),
    errorType: z.string().nullable(),
    errorMessage: z.string().nullable(),
    inputTokens: int,
    outputTokens: int,
    costUsd: usdString,
    latencyMs: z.number(),
    createdAt: isoDateTime,
  }),
  'One LLM call attempt (an audit row) of a run',
);
export type RunAttempt = z.infer<typeof runAttemptSchema>;

/** Temporal's PendingActivityState, by name (its PENDING_ACTIVITY_STATE_ prefix left off). */
export const PENDING_ACTIVITY_STATES = [
  'UNSPECIFIED',
  'SCHEDULED',
  'STARTED',
  'CANCEL_REQUESTED',
  'PAUSED',
  'PAUSE_REQUESTED',
] as const;
export type PendingActivityStateName = (typeof PENDING_ACTIVITY_STATES)[number];
type SdkPendingActivityStateName =
  keyof typeof temporal.api.enums.v1.PendingActivityState extends infer K
    ? K extends `PENDING_ACTIVITY_STATE_${infer N}`
      ? N
      : never
    : never;
export const pendingActivityStatesMatchTemporal: Same<
  PendingActivityStateName,
  SdkPendingActivityStateName
> = true;

export const runDetailSchema = named(
  'RunDetail',
  z.strictObject({
    ...runSummaryFields,
    memo: z.record(z.string(), z.unknown()),
    /** The static summary shown in the Temporal UI, when the run has one. */
    summary: z.string().optional(),
    /** What the input asked for, without its bulk (lists of pairs, prompts). */
    input: z.record(z.string(), z.unknown()).nullable(),
    /** The workflow's result, when it completed. */
    result: z.unknown().optional(),
    failure: runFailureSchema.optional(),
    cost: z.strictObject({
      costUsd: usdString.nullable(),
      totalTokens: int.nullable(),
      audited: auditedCostSchema,
    }),
    pendingActivities: z
      .array(
        z.strictObject({
          activityType: z.string().nullish(),
          attempt: int.nullish(),
          /** Temporal's PendingActivityState by name: SCHEDULED, STARTED, CANCEL_REQUESTED, PAUSED, PAUSE_REQUESTED. */
          state: z.enum(PENDING_ACTIVITY_STATES).nullish(),
          lastFailure: z.string().nullish(),
        }),
      )
      .optional(),
    /** The first 500 attempts; attemptCount counts them all. */
    attempts: z.array(runAttemptSchema),
    attemptCount: int,
  }),
  'One run: status, input summary, result or failure, cost and its LLM call attempts',
);
export type RunDetail = z.infer<typeof runDetailSchema>;

export const timelineEventSchema = named(
  'TimelineEvent',
  z.strictObject({
    eventId: int,
    time: isoDateTime.nullable(),
    type: z.string(),
    summary: z.string(),
  }),
  'One readable history event',
);
export type TimelineEntry = z.infer<typeof timelineEventSchema>;

export const ACTIVITY_STATUSES = [
  'scheduled',
  'started',
  'completed',
  'failed',
  'timed_out',
  'cancel_requested',
  'cancelled',
] as const;

const activityFields = {
  activityId: z.string(),
  activityType: z.string(),
  status: z.enum(ACTIVITY_STATUSES),
  scheduledAt: isoDateTime.nullable(),
  startedAt: isoDateTime.nullable(),
  closedAt: isoDateTime.nullable(),
  /** Attempt that produced the outcome (1 = first try). */
  attempt: int.nullable(),
  retries: int,
  maximumAttempts: int.nullable(),
  /** Scheduled to closed, all attempts and backoff included. */
  durationMs: z.number().nullable(),
  /** Last attempt only (started to closed). */
  lastAttemptMs: z.number().nullable(),
  /** Failure of the attempt before the last one (why it was retried). */
  previousFailure: z.string().nullable(),
  failure: z.string().nullable(),
  retryState: z.string().nullable(),
};
/** An activity folded into one entry (history-timeline.ts builds it from the events). */
export const activityEntrySchema = z.strictObject(activityFields);
export type ActivityEntry = z.infer<typeof activityEntrySchema>;

export const CHILD_STATUSES = [
  'initiated',
  'start_failed',
  'running',
  'completed',
  'failed',
  'cancelled',
  'timed_out',
  'terminated',
] as const;

export const timelineChildSchema = named(
  'TimelineChild',
  z.strictObject({
    workflowId: z.string(),
    workflowType: z.string(),
    runId: z.string().nullable(),
    status: z.enum(CHILD_STATUSES),
    initiatedAt: isoDateTime.nullable(),
    closedAt: isoDateTime.nullable(),
    durationMs: z.number().nullable(),
    failure: z.string().nullable(),
  }),
  'A child workflow folded into one entry',
);
export type ChildEntry = z.infer<typeof timelineChildSchema>;

export const timelineLlmAttemptSchema = named(
  'TimelineLlmAttempt',
  z.strictObject({
    activityId: z.string(),
    attempt: int,
    callIndex: int,
    step: z.string(),
    outcome: z.string(),
    errorType: z.string().nullable(),
    errorMessage: z.string().nullable(),
    latencyMs: z.number(),
    costUsd: usdString,
    createdAt: isoDateTime,
  }),
  'One audited LLM call made by an activity attempt',
);
export type TimelineLlmAttempt = z.infer<typeof timelineLlmAttemptSchema>;

export const timelineActivitySchema = named(
  'TimelineActivity',
  z.strictObject({ ...activityFields, llmAttempts: z.array(timelineLlmAttemptSchema) }),
  'An activity with its attempts, durations, failure, retry state and audited LLM calls',
);
export type TimelineActivity = z.infer<typeof timelineActivitySchema>;

export const runHistorySchema = named(
  'RunHistory',
  z.strictObject({
    workflowId: z.string(),
    runId: z.string(),
    type: z.string(),
    /** Null for an earlier run of the workflow ID (only the latest is described). */
    status: runStatusSchema.nullable(),
    eventCount: int,
    events: z.array(timelineEventSchema),
    activities: z.array(timelineActivitySchema),
    children: z.array(timelineChildSchema),
  }),
  'The event history as a readable timeline',
);
export type RunHistory = z.infer<typeof runHistorySchema>;

export const runCancelledSchema = named(
  'RunCancelRequested',
  z.strictObject({
    workflowId: z.string(),
    runId: z.string(),
    status: z.literal('CANCEL_REQUESTED'),
    links: runLinks,
  }),
  'Cancellation requested',
);
export type RunCancelRequested = z.infer<typeof runCancelledSchema>;

export const runTerminatedSchema = named(
  'RunTerminated',
  z.strictObject({
    workflowId: z.string(),
    runId: z.string(),
    status: z.literal('TERMINATED'),
    reason: z.string(),
    links: runLinks,
  }),
  'The run was terminated',
);
export type RunTerminated = z.infer<typeof runTerminatedSchema>;

export const runRerunSchema = named(
  'RunRerun',
  z.strictObject({
    rerunOf: z.string(),
    workflowId: z.string(),
    runId: z.string(),
    status: z.literal('RUNNING'),
    links: runLinks,
  }),
  'A new run with the same input started',
);
export type RunRerun = z.infer<typeof runRerunSchema>;
