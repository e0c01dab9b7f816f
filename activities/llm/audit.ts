import type { DeferredAuditRow } from '../../common/workflow-types';
import type { PrismaClient } from '../../prisma/client';
import { isUniqueViolation } from '../../prisma/unique-violation';
import type { ActivityDeps } from '../deps';
import type { CallContext } from './call-context';

export interface AuditEntry {
  callIndex: number;
  step: string;
  framework: string;
  provider: string;
  model: string;
  inputTokens: number;
  outputTokens: number;
  costUsd: string;
  latencyMs: number;
  outcome: 'success' | 'error';
  httpStatus?: number;
  errorType?: string;
  errorMessage?: string;
}

/**
 * Writes one audit row per LLM call attempt. The key makes a rewrite of the same attempt a
 * no-op. A failed audit write is logged, never thrown: losing the audit row of an attempt must
 * not turn a paid-for success into a retry that pays again. Instead the row is returned, so a
 * caller can carry it to an activity that retries until the database is back
 * (GenerationStepRecord.deferredAudit, written by persistStory); undefined = written.
 */
export async function recordAttempt(deps: ActivityDeps, ctx: CallContext, e: AuditEntry): Promise<DeferredAuditRow | undefined> {
  const attemptKey = [ctx.workflowId, ctx.runId, ctx.activityId, ctx.attempt, e.callIndex].join('/');
  const data = {
    attemptKey,
    workflowId: ctx.workflowId,
    runId: ctx.runId,
    workflowType: ctx.workflowType,
    activityId: ctx.activityId,
    activityType: ctx.activityType,
    attempt: ctx.attempt,
    callIndex: e.callIndex,
    step: e.step,
    framework: e.framework,
    provider: e.provider,
    model: e.model,
    inputTokens: e.inputTokens,
    outputTokens: e.outputTokens,
    totalTokens: e.inputTokens + e.outputTokens,
    costUsd: e.costUsd,
    latencyMs: e.latencyMs,
    outcome: e.outcome,
    httpStatus: e.httpStatus ?? null,
    errorType: e.errorType ?? null,
    errorMessage: e.errorMessage ?? null,
    transactionGuid: ctx.correlationId,
    origin: ctx.origin,
    batchId: ctx.batchId ?? null,
  };
  const createdAt = new Date();
  try {
    // Insert unless the key exists (a rewrite of the same attempt): prisma/unique-violation.ts.
    await deps.prisma.llmCallAttempt.create({ data, select: { id: true } });
    return undefined;
  } catch (err) {
    if (isUniqueViolation(err)) return undefined;
    deps.logger.error(
      { err: (err as Error).message, attemptKey, correlationId: ctx.correlationId },
      'audit row could not be written now; deferred',
    );
    return { ...data, createdAt: createdAt.toISOString() };
  }
}

/** Writes audit rows deferred by recordAttempt; throws when the database still refuses (the caller retries). */
export async function writeDeferredAuditRows(prisma: PrismaClient, rows: readonly DeferredAuditRow[]): Promise<void> {
  for (const { createdAt, ...row } of rows) {
    try {
      await prisma.llmCallAttempt.create({ data: { ...row, createdAt: new Date(createdAt) }, select: { id: true } });
    } catch (err) {
      if (!isUniqueViolation(err)) throw err; // written already (an earlier try of this persist)
    }
  }
}
