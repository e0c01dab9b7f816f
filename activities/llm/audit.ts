import type { AuditOutcome } from '../../common/audit-outcomes';
import type { DeferredAuditRow } from '../../common/workflow-types';
import type { PrismaClient } from '../../prisma/client';
import { noteDatabaseFailure, unavailablePauseLeft } from '../../prisma/unavailable-pause';
import { isUniqueViolation } from '../../prisma/unique-violation';
import type { ActivityDeps } from '../deps';
import type { CallContext } from './call-context';

export interface AuditEntry {
  callIndex: number;
  /**
   * The same call tried again within its attempt (after a 429 wait, or on the next provider):
   * 0 for the first try, whose key stays as it was before such tries existed.
   */
  tryIndex?: number;
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
 * Outcomes of a row that has no result yet. `pending`: written before the call, so a worker that
 * dies mid-call (kill -9, OOM) leaves a row for a call the provider may have billed, instead of
 * nothing. `lost`: a pending row whose run went on without it (closeLostAttempts). Either is
 * overwritten if its attempt does report after all.
 */
export const PENDING_OUTCOME: AuditOutcome = 'pending';
export const LOST_OUTCOME: AuditOutcome = 'lost';
const OPEN_OUTCOMES = [PENDING_OUTCOME, LOST_OUTCOME];

type AttemptRow = Omit<DeferredAuditRow, 'createdAt'>;

function attemptRow(
  ctx: CallContext,
  e: Omit<AuditEntry, 'outcome'> & { outcome: string },
): AttemptRow {
  return {
    attemptKey: [
      ctx.workflowId,
      ctx.runId,
      ctx.activityId,
      ctx.attempt,
      e.callIndex,
      ...(e.tryIndex ? [`t${e.tryIndex}`] : []),
    ].join('/'),
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
    correlationId: ctx.correlationId,
    origin: ctx.origin,
    batchId: ctx.batchId ?? null,
  };
}

/*
 * Audit writes share the database pause (prisma/unavailable-pause.ts): after the database
 * refused a write as unavailable, the LLM calls of the next few seconds do not try theirs. Two
 * SQLite lock waits per call (before and after it) outlast the activity's StartToClose and fail
 * generations that would succeed. Skipped outcome rows travel as deferredAudit like refused ones;
 * persistStory retries them.
 */

/** Fills in the attempt's open row; false if there is none (never begun, or already closed). */
async function closeOpenRow(prisma: PrismaClient, row: AttemptRow): Promise<boolean> {
  const { count } = await prisma.llmCallAttempt.updateMany({
    where: { attemptKey: row.attemptKey, outcome: { in: OPEN_OUTCOMES } },
    data: row,
  });
  return count > 0;
}

/**
 * Writes the attempt's row before its call, as `pending`. Never throws (the call goes ahead
 * without it; recordAttempt then inserts the row whole); true = written.
 */
export async function beginAttempt(
  deps: ActivityDeps,
  ctx: CallContext,
  e: Pick<AuditEntry, 'callIndex' | 'tryIndex' | 'step' | 'framework' | 'provider' | 'model'>,
): Promise<boolean> {
  if (unavailablePauseLeft(deps.prisma) > 0) return false;
  const data = attemptRow(ctx, {
    ...e,
    inputTokens: 0,
    outputTokens: 0,
    costUsd: '0',
    latencyMs: 0,
    outcome: PENDING_OUTCOME,
  });
  try {
    await deps.prisma.llmCallAttempt.create({ data, select: { id: true } });
    return true;
  } catch (err) {
    // A row under this key exists already: an earlier begin of this very attempt.
    if (isUniqueViolation(err)) return true;
    noteDatabaseFailure(deps.prisma, err);
    deps.logger.warn(
      {
        err: (err as Error).message,
        attemptKey: data.attemptKey,
        correlationId: ctx.correlationId,
      },
      'pending audit row not written',
    );
    return false;
  }
}

/**
 * Writes the outcome of an LLM call attempt: fills in its pending row, or inserts the row when
 * there is none. The key makes a rewrite of the same attempt a no-op. A failed audit write is
 * logged, never thrown: losing the audit row of an attempt must not turn a paid-for success into
 * a retry that pays again. Instead the row is returned, so a caller can carry it to an activity
 * that retries until the database is back (`deferredAudit` of a story step, chat reply or context
 * answer, written by persistStory, persistChatTurn or completeContextExecution); undefined =
 * written.
 */
export async function recordAttempt(
  deps: ActivityDeps,
  ctx: CallContext,
  e: AuditEntry,
  begun: boolean,
): Promise<DeferredAuditRow | undefined> {
  const data = attemptRow(ctx, e);
  const createdAt = new Date();
  if (unavailablePauseLeft(deps.prisma) > 0) {
    deps.logger.warn(
      { attemptKey: data.attemptKey, correlationId: ctx.correlationId },
      'audit writes paused (database unavailable); row deferred',
    );
    return { ...data, createdAt: createdAt.toISOString() };
  }
  try {
    if (begun && (await closeOpenRow(deps.prisma, data))) return undefined;
    // Insert unless the key exists (a rewrite of the same attempt): prisma/unique-violation.ts.
    await deps.prisma.llmCallAttempt.create({ data, select: { id: true } });
    return undefined;
  } catch (err) {
    if (isUniqueViolation(err)) return undefined;
    noteDatabaseFailure(deps.prisma, err);
    deps.logger.error(
      {
        err: (err as Error).message,
        attemptKey: data.attemptKey,
        correlationId: ctx.correlationId,
      },
      'audit row could not be written now; deferred',
    );
    return { ...data, createdAt: createdAt.toISOString() };
  }
}

/**
 * Marks the still-pending rows of a workflow's finished attempts `lost`: called once the run has
 * its result (its generation activities are over), so a pending row left there belongs to an
 * attempt that ended without reporting (its worker died mid-call). The provider may have billed
 * it; the row says so instead of looking in flight forever.
 */
export async function closeLostAttempts(
  prisma: PrismaClient,
  workflowId: string,
  activityTypes?: readonly string[],
): Promise<number> {
  const { count } = await prisma.llmCallAttempt.updateMany({
    where: {
      workflowId,
      outcome: PENDING_OUTCOME,
      ...(activityTypes ? { activityType: { in: [...activityTypes] } } : {}),
    },
    data: {
      outcome: LOST_OUTCOME,
      errorType: 'AttemptLost',
      errorMessage:
        'The attempt ended without recording an outcome (its worker stopped mid-call); the provider may have billed it.',
    },
  });
  return count;
}

/** Writes audit rows deferred by recordAttempt; throws when the database still refuses (the caller retries). */
export async function writeDeferredAuditRows(
  prisma: PrismaClient,
  rows: readonly DeferredAuditRow[],
): Promise<void> {
  for (const { createdAt, ...row } of rows) {
    // Its pending row (if the begin got through), else a new row; written already = no-op.
    if (await closeOpenRow(prisma, row)) continue;
    try {
      await prisma.llmCallAttempt.create({
        data: { ...row, createdAt: new Date(createdAt) },
        select: { id: true },
      });
    } catch (err) {
      if (!isUniqueViolation(err)) throw err; // written already (an earlier try of this persist)
    }
  }
}
