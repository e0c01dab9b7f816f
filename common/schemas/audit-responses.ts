import { z } from 'zod';
import { int, isoDateTime, links, named, usdString } from './response-fields';

/** The audit trail: one row per LLM call attempt, success or failure, billed or not. */

export const auditAttemptSchema = named(
  'AuditAttempt',
  z.strictObject({
    id: int,
    createdAt: isoDateTime,
    workflowId: z.string(),
    runId: z.string(),
    workflowType: z.string(),
    activityId: z.string(),
    activityType: z.string(),
    attempt: int,
    callIndex: int,
    step: z.string(),
    framework: z.string(),
    provider: z.string(),
    model: z.string(),
    inputTokens: int,
    outputTokens: int,
    totalTokens: int,
    costUsd: usdString,
    latencyMs: z.number(),
    /** success or error. */
    outcome: z.string(),
    httpStatus: int.nullable(),
    errorType: z.string().nullable(),
    errorMessage: z.string().nullable(),
    origin: z.string(),
    batchId: z.string().nullable(),
    transactionGuid: z.string(),
    links: links('run'),
  }),
  'One LLM call attempt',
);
export type AuditAttempt = z.infer<typeof auditAttemptSchema>;

export const auditTotalsSchema = named(
  'AuditTotals',
  z.strictObject({
    attempts: int,
    byOutcome: z.record(z.string(), int),
    byErrorType: z.record(z.string(), int),
    inputTokens: int,
    outputTokens: int,
    totalTokens: int,
    costUsd: usdString,
    /** Failed attempts the provider still charged for (usage came back, then the call failed). */
    billedErrors: z.strictObject({ attempts: int, costUsd: usdString }),
    averageLatencyMs: z.number().nullable(),
  }),
  'Totals over every attempt matching the filters (not just the page)',
);
export type AuditTotals = z.infer<typeof auditTotalsSchema>;

export const auditPageSchema = named(
  'AuditPage',
  z.strictObject({
    total: int,
    skip: int,
    limit: int,
    totals: auditTotalsSchema,
    items: z.array(auditAttemptSchema),
  }),
  'One page of attempts, newest first, with the totals',
);
export type AuditPage = z.infer<typeof auditPageSchema>;
